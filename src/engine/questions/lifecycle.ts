import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { Member, Question } from '../../generated/prisma/client.js';
import type { EventContext, Tx } from '../capability.js';
import { detectQuestion } from './detect-question.js';
import { ESCALATE_JOB, escalationJobId } from './escalate.js';
import { routeQuestion } from './route-question.js';
import { addWorkingTime } from './working-hours.js';

const UNSETTLED = ['open', 'escalated'] as const;

/** The question a message belongs to: the one it replies to, or the one whose thread it is in. */
async function questionOf(tx: Tx, communityId: number, refs: (string | undefined)[]): Promise<Question | null> {
  const ids = refs.filter((ref): ref is string => ref !== undefined);
  if (!ids.length) return null;
  return tx.question.findFirst({
    where: { communityId, OR: [{ messageExternalId: { in: ids } }, { threadExternalId: { in: ids } }] },
    orderBy: { id: 'desc' },
  });
}

function tracked(channelName: string, ctx: EventContext): boolean {
  const { questions } = ctx.config;
  if (questions.ignoreChannels.includes(channelName)) return false;
  return questions.channels.length === 0 || questions.channels.includes(channelName);
}

const RUN_QUESTIONS = 'questions.ofRun';
type RunQuestions = Map<number, Question>;

/**
 * The questions the run's messages reply to or are threaded under, by id: one query for the
 * whole run. The run's own questions and changes are added as they are written.
 */
async function runQuestions(ctx: EventContext): Promise<RunQuestions> {
  const known = ctx.run.memo.get(RUN_QUESTIONS) as Promise<RunQuestions> | undefined;
  if (known) return known;
  const loading = (async () => {
    const refs = new Set<string>();
    for (const event of ctx.run.events) {
      if (event.type !== 'message.created') continue;
      if (event.replyTo !== undefined) refs.add(event.replyTo);
      if (event.thread !== undefined) refs.add(event.thread);
    }
    if (!refs.size) return new Map<number, Question>();
    const ids = [...refs];
    const rows = await ctx.tx.question.findMany({ where: { communityId: ctx.community.id, OR: [{ messageExternalId: { in: ids } }, { threadExternalId: { in: ids } }] } });
    return new Map(rows.map((row) => [row.id, row]));
  })();
  ctx.run.memo.set(RUN_QUESTIONS, loading);
  return loading;
}

/** `questionOf` for a message of the run, from what the run knows. */
async function questionOfRunMessage(ctx: EventContext, refs: (string | undefined)[]): Promise<Question | null> {
  const ids = refs.filter((ref): ref is string => ref !== undefined);
  if (!ids.length) return null;
  let found: Question | null = null;
  for (const question of (await runQuestions(ctx)).values()) {
    const matches = ids.includes(question.messageExternalId) || (question.threadExternalId !== null && ids.includes(question.threadExternalId));
    if (matches && (!found || question.id > found.id)) found = question;
  }
  return found;
}

/** Keeps the run's questions true after a write (nothing to do where the run never looked them up). */
async function remember(ctx: EventContext, question: Question): Promise<void> {
  const known = ctx.run.memo.get(RUN_QUESTIONS) as Promise<RunQuestions> | undefined;
  if (known) (await known).set(question.id, question);
}

/** Marks a question answered by `answerer` and withdraws its pending escalation. */
async function markAnswered(ctx: EventContext, question: Question, answerer: Member, messageId: string, at: Date): Promise<void> {
  const updated = await ctx.tx.question.update({
    where: { id: question.id },
    data: { status: 'answered', firstAnswerAt: question.firstAnswerAt ?? at, firstAnswerMessageId: question.firstAnswerMessageId ?? messageId, answeredById: question.answeredById ?? answerer.id },
  });
  await remember(ctx, updated);
  ctx.cancel(escalationJobId(question.id));
}

/** Settles a question for good; its pending escalation goes too. */
export async function markResolved(ctx: EventContext, question: Question, by: Member, at: Date, accepted?: { memberId: number; messageId: string }): Promise<void> {
  const updated = await ctx.tx.question.update({
    where: { id: question.id },
    data: {
      status: 'resolved',
      resolvedAt: at,
      resolvedById: by.id,
      ...(accepted && { acceptedAnswerById: accepted.memberId, acceptedAnswerMessageId: accepted.messageId }),
      ...(question.firstAnswerAt === null && accepted && { firstAnswerAt: at, firstAnswerMessageId: accepted.messageId, answeredById: accepted.memberId }),
    },
  });
  await remember(ctx, updated);
  ctx.cancel(escalationJobId(question.id));
}

/**
 * A message either answers a question (a reply or thread reply by another member that is not
 * itself a question), belongs to one (the asker's follow-ups), or is a new question, which is
 * recorded, routed to a team and given its escalation deadline.
 */
export async function trackQuestion(event: EventOfType<'message.created'>, ctx: EventContext): Promise<ActionDraft[]> {
  const { questions } = ctx.config;
  const author = ctx.member;
  if (!questions.enabled || !author || author.isBot || event.author.bot || !ctx.channel) return [];
  const at = new Date(event.at);
  const detection = detectQuestion(event.text, ctx.config.locale);
  const parent = await questionOfRunMessage(ctx, [event.replyTo, event.thread]);
  if (parent) {
    const answersIt = parent.askerId !== author.id && !detection.isQuestion && (UNSETTLED as readonly string[]).includes(parent.status);
    if (answersIt) await markAnswered(ctx, parent, author, event.id, at);
    return [];
  }
  if (!detection.isQuestion || !tracked(ctx.channel.name, ctx)) return [];

  const route = routeQuestion(event.text, ctx.channel.name, questions);
  const team = questions.teams[route.team]!;
  const deadlineAt = addWorkingTime(at, route.deadlineMs, team.workingHours, ctx.config.timeZone);
  // The message is new (its event was not processed before), so is its question; skipped only
  // if another path stored it already.
  const data = {
    communityId: ctx.community.id,
    askerId: author.id,
    channelExternalId: event.channel,
    messageExternalId: event.id,
    threadExternalId: event.thread ?? null,
    text: event.text.slice(0, 4000),
    language: detection.language,
    topic: route.topic,
    team: route.team,
    askedAt: at,
    deadlineAt,
  };
  const [created] = await ctx.tx.question.createManyAndReturn({ data: [data], skipDuplicates: true });
  const question = created ?? (await ctx.tx.question.findUniqueOrThrow({ where: { communityId_messageExternalId: { communityId: ctx.community.id, messageExternalId: event.id } } }));
  await remember(ctx, question);
  ctx.schedule({ id: escalationJobId(question.id), name: ESCALATE_JOB, runAt: deadlineAt, payload: { questionId: question.id, level: 1 } });
  return [];
}

/** The asker's ✅ on the question settles it; on an answer, it also marks that answer as the helpful one. */
export async function resolveByReaction(event: EventOfType<'reaction.added'>, ctx: EventContext): Promise<ActionDraft[]> {
  const { questions } = ctx.config;
  const reactor = ctx.member;
  if (!questions.enabled || !reactor || !questions.resolveEmoji.includes(event.emoji)) return [];
  const direct = await ctx.tx.question.findFirst({ where: { communityId: ctx.community.id, messageExternalId: event.messageId } });
  if (direct) {
    if (direct.askerId === reactor.id && direct.status !== 'resolved') await markResolved(ctx, direct, reactor, new Date(event.at));
    return [];
  }
  const answer = await ctx.tx.message.findUnique({ where: { communityId_externalId: { communityId: ctx.community.id, externalId: event.messageId } } });
  if (!answer) return [];
  const question = await questionOf(ctx.tx, ctx.community.id, [answer.replyToExternalId ?? undefined, answer.threadExternalId ?? undefined]);
  if (!question || question.askerId !== reactor.id || answer.authorId === reactor.id || question.acceptedAnswerById !== null) return [];
  await markResolved(ctx, question, reactor, new Date(event.at), { memberId: answer.authorId, messageId: answer.externalId });
  return [];
}

import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import { parseDuration } from '../../core/duration.js';
import type { EventContext } from '../capability.js';
import { commandArgs, referencedNumber } from '../command-args.js';
import { neutralizeMentions } from '../format/neutralize-mentions.js';
import { isModerator } from '../permissions.js';
import { chartName, closePoll, startPoll } from './flow.js';
import { MAX_QUESTION, parseChoices, parseClosing, parseFlag, parseResultsMode, type Problem } from './parse.js';
import { resultsMessage } from './render.js';
import { findPollByNumber, tallyPoll, votersByOption } from './store.js';

type Command = EventOfType<'command.invoked'>;

const reply = (event: Command, text: string): ActionDraft => ({ type: 'reply.ephemeral', member: event.member.id, message: { text } });
const problem = (event: Command, ctx: EventContext, p: Problem): ActionDraft => {
  const variables = Object.fromEntries(Object.entries(p.variables ?? {}).map(([k, v]) => [k, typeof v === 'string' ? neutralizeMentions(v) : v]));
  return reply(event, `${ctx.t(p.key, variables)}\n${ctx.t('polls.usage')}`);
};

/** `/poll question:… choices:"a;b;c" [multi] [anonymous] [duration:2h | closes:<time>] [results:live|close]`. */
async function create(event: Command, ctx: EventContext, question: string | undefined): Promise<ActionDraft[]> {
  const allowed = ctx.config.polls.createRoles;
  if (allowed.length && !isModerator(event.member.roles, ctx.config) && !(event.member.roles ?? []).some((r) => allowed.includes(r))) {
    return [reply(event, ctx.t('polls.error.notAllowed'))];
  }
  const text = question?.trim().replace(/\s+/g, ' ');
  if (!text) return [problem(event, ctx, { key: 'polls.error.noQuestion' })];
  if ([...text].length > MAX_QUESTION) return [problem(event, ctx, { key: 'polls.error.questionTooLong', variables: { max: MAX_QUESTION } })];
  const choices = parseChoices(stringOption(event, 'choices'));
  if (!choices.ok) return [problem(event, ctx, choices.problem)];
  const multi = parseFlag(event.options.multi, false);
  const anonymous = parseFlag(event.options.anonymous, false);
  if (multi === undefined || anonymous === undefined) return [problem(event, ctx, { key: 'polls.error.badFlag' })];
  const liveResults = parseResultsMode(event.options.results);
  if (liveResults === undefined) return [problem(event, ctx, { key: 'polls.error.badResults', variables: { value: String(event.options.results) } })];
  const closingText = stringOption(event, 'closes') ?? stringOption(event, 'duration');
  const closesAt = parseClosing(closingText, ctx.clock.now(), {
    defaultMs: parseDuration(ctx.config.polls.defaultDuration)!,
    maxMs: parseDuration(ctx.config.polls.maxDuration)!,
    timeZone: ctx.config.timeZone,
  });
  if (!closesAt.ok) return [problem(event, ctx, closesAt.problem)];
  const { poll, actions } = await startPoll(ctx, {
    question: text,
    choices: choices.value,
    multi,
    anonymous,
    liveResults,
    closesAt: closesAt.value,
    channelExternalId: event.channel,
    authorId: ctx.member?.id ?? null,
    recurringId: null,
    origin: event.id,
  });
  return [...actions, reply(event, ctx.t('polls.created', { number: poll.number }))];
}

function stringOption(event: Command, name: string): string | undefined {
  const value = event.options[name];
  return value === undefined || value === '' ? undefined : String(value);
}

const mayManage = (event: Command, ctx: EventContext, authorId: number | null) =>
  isModerator(event.member.roles, ctx.config) || (authorId !== null && authorId === ctx.member?.id);

/** `/poll close <number>`: the poll's author or a moderator closes it now. */
async function close(event: Command, ctx: EventContext, raw: string | undefined): Promise<ActionDraft[]> {
  const ref = referencedNumber(raw);
  if (ref === 'none') return [reply(event, ctx.t('polls.error.needsNumber', { command: 'poll close' }))];
  const poll = ref.number === null ? null : await findPollByNumber(ctx.tx, ctx.community.id, ref.number);
  if (!poll) return [reply(event, ctx.t('polls.error.notFound', { number: ref.number ?? ref.typed }))];
  const { number } = poll;
  if (poll.closedAt) return [reply(event, ctx.t('polls.error.alreadyClosed', { number }))];
  if (!mayManage(event, ctx, poll.authorId)) return [reply(event, ctx.t('polls.error.notYours', { number }))];
  const actions = await closePoll(ctx, poll.id, ctx.clock.now(), ctx.member?.id ?? null);
  return [...actions, reply(event, ctx.t('polls.closedByYou', { number }))];
}

/** `/poll results <number>`: the tally now (a hidden tally only for its author and moderators until it closes). */
async function results(event: Command, ctx: EventContext, raw: string | undefined): Promise<ActionDraft[]> {
  const ref = referencedNumber(raw);
  if (ref === 'none') return [reply(event, ctx.t('polls.error.needsNumber', { command: 'poll results' }))];
  const poll = ref.number === null ? null : await findPollByNumber(ctx.tx, ctx.community.id, ref.number);
  if (!poll) return [reply(event, ctx.t('polls.error.notFound', { number: ref.number ?? ref.typed }))];
  const { number } = poll;
  const open = poll.closedAt === null;
  if (open && !poll.liveResults && !mayManage(event, ctx, poll.authorId)) return [reply(event, ctx.t('polls.error.hidden', { number }))];
  const tally = await tallyPoll(ctx.tx, poll);
  const voters = poll.anonymous ? undefined : await votersByOption(ctx.tx, poll.id);
  const message = resultsMessage(ctx, poll, tally, { voters, final: !open });
  if (!open) {
    const chart = await ctx.tx.storedImage.findFirst({ where: { communityId: ctx.community.id, name: chartName(poll) }, orderBy: { id: 'desc' }, select: { id: true, name: true, contentType: true } });
    if (chart) message.image = { name: chart.name, contentType: chart.contentType, storedImageId: chart.id };
  }
  return [{ type: 'reply.ephemeral', member: event.member.id, message }];
}

/** /poll (create), /poll close <n>, /poll results <n>; platforms may send the last two as their own commands. */
export async function handlePollCommand(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  if (!ctx.config.polls.enabled) return [];
  if (event.command === 'poll close') return close(event, ctx, commandArgs(event, ['poll'] as const).poll);
  if (event.command === 'poll results') return results(event, ctx, commandArgs(event, ['poll'] as const).poll);
  if (event.command !== 'poll') return [];
  // `close 3` / `results 3` as free text (the shell, Slack), unless it is a question with its choices.
  if (event.options.question === undefined && event.options.choices === undefined) {
    const args = commandArgs(event, ['sub', 'poll'] as const);
    if (args.sub === 'close') return close(event, ctx, args.poll);
    if (args.sub === 'results') return results(event, ctx, args.poll);
  }
  // The question as an option, or (in the shell) the free text before the key:value options.
  return create(event, ctx, stringOption(event, 'question') ?? stringOption(event, 'text'));
}

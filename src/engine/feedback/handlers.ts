import type { ActionDraft, Button, EventOfType } from '../../contracts/index.js';
import type { CommunityContext, EventContext } from '../capability.js';
import { commandArgs } from '../command-args.js';
import { neutralizeMentions, truncate } from '../format/neutralize-mentions.js';
import { FEEDBACK_SUBCOMMANDS } from './config.js';
import {
  categoryLabel,
  feedbackCard,
  feedbackMessageKey,
  feedbackRef,
  parseFeedbackRef,
  parseStatus,
  parseSupportButtonId,
  statusLabel,
  supportButtonId,
  supportToken,
} from './format.js';
import { addSupport, changeStatus, createFeedback, findFeedback, nextFeedbackNumber, OPEN_STATUSES, topFeedback } from './store.js';

type Command = EventOfType<'command.invoked'>;
type Component = EventOfType<'component.used'>;

export const JOB_CARD = 'feedback.card';
/** +1s on one item within this window make one edit of its card. */
export const CARD_REFRESH_MS = 5_000;
const cardJobId = (number: number) => `feedback-card:${number}`;

const reply = (member: string, text: string, buttons?: Button[]): ActionDraft => ({ type: 'reply.ephemeral', member, message: { text, ...(buttons?.length && { buttons }) } });

function categoryNames(ctx: CommunityContext): string {
  return Object.keys(ctx.config.feedback.categories).join(', ');
}

function findCategory(ctx: CommunityContext, raw: string | undefined): string | undefined {
  const name = raw?.trim().toLowerCase();
  return name && Object.hasOwn(ctx.config.feedback.categories, name) ? name : undefined;
}

/** `/feedback category:<c> text:<…>`: stored, acknowledged with its reference, posted to the owning team's channel. */
async function submit(event: Command, ctx: EventContext, args: { category?: string; text?: string }): Promise<ActionDraft[]> {
  const me = event.member.id;
  const category = findCategory(ctx, args.category);
  if (!category) {
    const key = args.category ? 'feedback.error.unknownCategory' : 'feedback.error.needsCategory';
    return [reply(me, ctx.t(key, { category: neutralizeMentions(args.category ?? ''), categories: categoryNames(ctx) }))];
  }
  const text = args.text?.trim();
  if (!text) return [reply(me, ctx.t('feedback.error.needsText', { categories: categoryNames(ctx) }))];
  if ([...text].length > ctx.config.feedback.maxLength) return [reply(me, ctx.t('feedback.error.tooLong', { max: ctx.config.feedback.maxLength }))];
  if (!ctx.member || ctx.member.leftAt) return [reply(me, ctx.t('feedback.error.memberLeft'))];
  const routed = ctx.config.feedback.categories[category]!.channel ?? ctx.config.channels.feedback;
  const channel = await ctx.channelId(routed);
  const number = await nextFeedbackNumber(ctx.tx, ctx.community.id);
  const item = await createFeedback(ctx.tx, { communityId: ctx.community.id, number, authorId: ctx.member.id, category, text, channelExternalId: channel, createdAt: ctx.clock.now() });
  return [
    reply(me, ctx.t('feedback.thanks', { ref: feedbackRef(number), category: categoryLabel(ctx, category) })),
    { type: 'message.send', channel, key: feedbackMessageKey(number), message: feedbackCard(ctx, { ...item, author: ctx.member, supporters: 0 }) },
  ];
}

const isTeamMember = (ctx: CommunityContext, roles: readonly string[] | undefined, category: string): boolean => {
  const team = new Set([...ctx.config.feedback.teamRoles, ...(ctx.config.feedback.categories[category]?.teamRoles ?? [])]);
  return (roles ?? []).some((role) => team.has(role));
};

/** `/feedback status <ref> planned|in-progress|done|declined [note]`: the owning team only; the submitter is told. */
async function setStatus(event: Command, ctx: EventContext, args: { ref?: string; status?: string; note?: string }): Promise<ActionDraft[]> {
  const me = event.member.id;
  const number = parseFeedbackRef(args.ref);
  if (number === undefined) return [reply(me, ctx.t('feedback.error.needsRef'))];
  const item = await findFeedback(ctx.tx, ctx.community.id, number);
  if (!item) return [reply(me, ctx.t('feedback.error.notFound', { ref: feedbackRef(number) }))];
  if (!isTeamMember(ctx, event.member.roles, item.category)) return [reply(me, ctx.t('feedback.error.notTeam', { category: categoryLabel(ctx, item.category) }))];
  const status = parseStatus(args.status);
  if (!status) return [reply(me, ctx.t('feedback.error.badStatus', { status: neutralizeMentions(args.status ?? '') }))];
  const note = args.note?.trim() ? truncate(args.note.trim(), 1000) : null;
  if (status === item.status && note === item.statusNote) return [reply(me, ctx.t('feedback.error.sameStatus', { ref: feedbackRef(number), status: statusLabel(ctx, status) }))];
  await changeStatus(ctx.tx, item, status, note, ctx.member?.id ?? null, ctx.clock.now());
  const updated = (await findFeedback(ctx.tx, ctx.community.id, number))!;
  const actions: ActionDraft[] = [
    reply(me, ctx.t('feedback.statusChanged', { ref: feedbackRef(number), status: statusLabel(ctx, status) })),
    { type: 'message.edit', key: feedbackMessageKey(number), message: feedbackCard(ctx, updated) },
  ];
  const author = item.author;
  if (ctx.config.feedback.notifySubmitter && author && !author.leftAt && !author.isBot) {
    const text = ctx.t(note ? 'feedback.notifyWithNote' : 'feedback.notify', {
      ref: feedbackRef(number),
      status: statusLabel(ctx, status),
      text: neutralizeMentions(truncate(item.text, 200)),
      note: note ? neutralizeMentions(note) : '',
      by: `<@${me}>`,
    });
    actions.push({ type: 'message.send', member: author.externalId, message: { text } });
  }
  return actions;
}

/** `/feedback top [category]`: the most supported items still open, with their +1 buttons. */
async function top(event: Command, ctx: EventContext, raw: string | undefined): Promise<ActionDraft[]> {
  const me = event.member.id;
  let category: string | null = null;
  if (raw?.trim()) {
    category = findCategory(ctx, raw) ?? null;
    if (!category) return [reply(me, ctx.t('feedback.error.unknownCategory', { category: neutralizeMentions(raw), categories: categoryNames(ctx) }))];
  }
  const items = await topFeedback(ctx.tx, ctx.community.id, category, ctx.config.feedback.topLimit);
  if (!items.length) return [reply(me, ctx.t(category ? 'feedback.topEmptyCategory' : 'feedback.topEmpty', { category: category ? categoryLabel(ctx, category) : '' }))];
  const lines = items.map((item, i) =>
    ctx.t('feedback.topLine', {
      rank: i + 1,
      ref: feedbackRef(item.number),
      category: categoryLabel(ctx, item.category),
      count: item.supporters,
      status: statusLabel(ctx, item.status),
      text: neutralizeMentions(truncate(item.text.replace(/\s+/g, ' '), 100)),
    }),
  );
  const header = ctx.t(category ? 'feedback.topHeaderCategory' : 'feedback.topHeader', { category: category ? categoryLabel(ctx, category) : '' });
  const buttons = items.map((item): Button => ({ id: supportButtonId(ctx, item), label: `+1 ${feedbackRef(item.number)}`, style: 'secondary' }));
  return [reply(me, [header, ...lines].join('\n'), buttons)];
}

/** /feedback (submit), /feedback status …, /feedback top […]; platforms may send the last two as their own commands. */
export async function handleFeedbackCommand(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  if (!ctx.config.feedback.enabled) return [];
  if (event.command === 'feedback status') return setStatus(event, ctx, commandArgs(event, ['ref', 'status', 'note'] as const));
  if (event.command === 'feedback top') return top(event, ctx, commandArgs(event, ['category'] as const).category);
  if (event.command !== 'feedback') return [];
  if (event.options.category === undefined) {
    const sub = commandArgs(event, ['sub', 'rest'] as const);
    const word = sub.sub?.toLowerCase();
    if (word && (FEEDBACK_SUBCOMMANDS as readonly string[]).includes(word)) {
      const rest: Command = { ...event, options: { ...event.options, text: sub.rest ?? '' } };
      if (word === 'status') return setStatus(event, ctx, commandArgs(rest, ['ref', 'status', 'note'] as const));
      if (word === 'top') return top(event, ctx, commandArgs(rest, ['category'] as const).category);
      if (word === 'show') return show(event, ctx, commandArgs(rest, ['ref'] as const).ref);
    }
  }
  // `text` is also where the shell and Slack put free text: a named text option arrives there too.
  const args = commandArgs(event, ['category', 'body'] as const);
  return submit(event, ctx, { category: args.category, text: args.body });
}

/** `/feedback show <ref>`: one item's card, privately. */
async function show(event: Command, ctx: EventContext, raw: string | undefined): Promise<ActionDraft[]> {
  const number = parseFeedbackRef(raw);
  if (number === undefined) return [reply(event.member.id, ctx.t('feedback.error.needsRef'))];
  const item = await findFeedback(ctx.tx, ctx.community.id, number);
  if (!item) return [reply(event.member.id, ctx.t('feedback.error.notFound', { ref: feedbackRef(number) }))];
  return [{ type: 'reply.ephemeral', member: event.member.id, message: feedbackCard(ctx, item) }];
}

/** A +1 click: validated like a poll's buttons, once per member (by the database), never one's own item. */
export async function handleSupport(event: Component, ctx: EventContext): Promise<ActionDraft[]> {
  const me = event.member.id;
  const ref = parseSupportButtonId(event.componentId);
  const item = ref && (await findFeedback(ctx.tx, ctx.community.id, ref.number));
  if (!ref || !item || supportToken(ctx, item) !== ref.token) return [reply(me, ctx.t('feedback.error.unknownButton'))];
  const refText = feedbackRef(item.number);
  if (!OPEN_STATUSES.includes(item.status)) return [reply(me, ctx.t('feedback.error.supportClosed', { ref: refText, status: statusLabel(ctx, item.status) }))];
  if (!ctx.member || ctx.member.leftAt) return [reply(me, ctx.t('feedback.error.memberLeft'))];
  if (ctx.member.isBot) return [];
  if (item.authorId === ctx.member.id) return [reply(me, ctx.t('feedback.error.ownItem', { ref: refText }))];
  if (!(await addSupport(ctx.tx, item.id, ctx.member.id, ctx.clock.now()))) return [reply(me, ctx.t('feedback.error.alreadySupported', { ref: refText }))];
  const runAt = new Date((Math.floor(ctx.clock.now().getTime() / CARD_REFRESH_MS) + 1) * CARD_REFRESH_MS);
  ctx.schedule({ id: cardJobId(item.number), name: JOB_CARD, runAt, payload: { number: item.number } });
  return [reply(me, ctx.t('feedback.supported', { ref: refText, count: item.supporters + 1 }))];
}

/** The coalesced refresh of an item's card after +1s. */
export async function refreshCard(ctx: CommunityContext, number: number): Promise<ActionDraft[]> {
  const item = await findFeedback(ctx.tx, ctx.community.id, number);
  return item ? [{ type: 'message.edit', key: feedbackMessageKey(number), message: feedbackCard(ctx, item) }] : [];
}

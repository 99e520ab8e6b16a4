import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import { parseDuration } from '../../core/duration.js';
import type { Member } from '../../generated/prisma/client.js';
import type { EventContext } from '../capability.js';
import { neutralizeMentions, truncate } from '../format/neutralize-mentions.js';
import { isModerator } from '../permissions.js';
import { resolveAutomodRules, testText } from './automod/index.js';
import { caseCard, recordCase, summarizeCase } from './case-flow.js';
import { commandArgs, referencedNumber } from '../command-args.js';
import { findMemberByReference } from '../records/index.js';
import { activePoints, findCase, listCases, membersWithPoints, openCase, pardonCase, type CaseWithPeople } from './ledger.js';

type Command = EventOfType<'command.invoked'>;
type CommandHandler = (event: Command, ctx: EventContext) => Promise<ActionDraft[]>;

/** Discord's longest timeout; Slack's emulation keeps to the same bound. */
const MAX_TIMEOUT_MS = 28 * 24 * 60 * 60 * 1000;
const LIST_LIMIT = 10;

const reply = (event: Command, text: string, extra: Partial<{ fields: { name: string; value: string }[] }> = {}): ActionDraft => ({
  type: 'reply.ephemeral',
  member: event.member.id,
  message: { text, ...extra },
});

/** Resolves the target member, refusing unknown members, oneself and (for sanctions) moderators. */
async function targetOf(event: Command, ctx: EventContext, raw: string | undefined, protect: boolean): Promise<Member | ActionDraft> {
  if (!raw) return reply(event, ctx.t('moderation.needsMember', { command: event.command }));
  const target = await findMemberByReference(ctx.tx, ctx.community.id, raw);
  if (!target) return reply(event, ctx.t('moderation.unknownMember', { member: neutralizeMentions(raw) }));
  if (protect && target.externalId === event.member.id) return reply(event, ctx.t('moderation.notYourself', { command: event.command }));
  if (protect && isModerator(target.roles, ctx.config)) {
    return reply(event, ctx.t('moderation.protectedModerator', { member: `<@${target.externalId}>`, command: event.command }));
  }
  return target;
}

const isAction = (value: Member | ActionDraft): value is ActionDraft => 'type' in value;

/** /warn, /kick, /ban, /timeout, /untimeout, /unban: a case, its sanction, and what follows. */
function sanctionCommand(kind: 'warn' | 'kick' | 'ban' | 'timeout' | 'untimeout' | 'unban'): CommandHandler {
  const withDuration = kind === 'timeout';
  return async (event, ctx) => {
    const args = commandArgs(event, withDuration ? (['member', 'duration', 'reason'] as const) : (['member', 'reason'] as const));
    const target = await targetOf(event, ctx, args.member, kind !== 'untimeout' && kind !== 'unban');
    if (isAction(target)) return [target];
    let durationMs: number | undefined;
    if (withDuration) {
      const duration = 'duration' in args ? args.duration : undefined;
      if (!duration) return [reply(event, ctx.t('moderation.needsDuration'))];
      durationMs = parseDuration(duration);
      if (durationMs === undefined || durationMs > MAX_TIMEOUT_MS) return [reply(event, ctx.t('moderation.badDuration', { duration: neutralizeMentions(duration) }))];
    }
    const reason = truncate(args.reason ?? ctx.t('moderation.noReason'), 1000);
    const member = target.externalId;
    const sanctions: ActionDraft[] = {
      warn: [],
      timeout: [{ type: 'member.timeout', member, seconds: Math.round(durationMs! / 1000), reason } as ActionDraft],
      untimeout: [{ type: 'member.untimeout', member, reason } as ActionDraft],
      kick: [{ type: 'member.kick', member, reason } as ActionDraft],
      ban: [{ type: 'member.ban', member, reason } as ActionDraft],
      unban: [{ type: 'member.unban', member, reason } as ActionDraft],
    }[kind];
    const points = kind === 'untimeout' || kind === 'unban' ? 0 : ctx.config.moderation.points[kind];
    const { theCase, actions } = await recordCase(
      ctx,
      { target, moderator: ctx.member, kind, reason, points, ...(durationMs !== undefined && { durationSeconds: Math.round(durationMs / 1000) }) },
      { sanctions },
    );
    return [reply(event, ctx.t('moderation.done', { number: theCase.number, summary: summarizeCase(ctx, theCase, target) })), ...actions];
  };
}

const purge: CommandHandler = async (event, ctx) => {
  const args = commandArgs(event, ['count', 'member'] as const);
  const max = ctx.config.moderation.purgeLimit;
  const count = Number(args.count);
  if (!Number.isInteger(count) || count < 1 || count > max) return [reply(event, ctx.t('moderation.purgeCount', { max }))];
  let author: Member | undefined;
  if (args.member) {
    const found = await targetOf(event, ctx, args.member, false);
    if (isAction(found)) return [found];
    author = found;
  }
  const channel = ctx.channel!;
  const messages = await ctx.tx.message.findMany({
    where: { channelId: channel.id, deletedAt: null, ...(author && { authorId: author.id }) },
    orderBy: [{ sentAt: 'desc' }, { id: 'desc' }],
    take: count,
    select: { id: true, externalId: true },
  });
  const at = ctx.clock.now();
  await ctx.tx.message.updateMany({ where: { id: { in: messages.map((m) => m.id) } }, data: { deletedAt: at } });
  const reason = `/purge ${count}${author ? ` ${author.name}` : ''}`;
  const deletes: ActionDraft[] = messages.map((m) => ({ type: 'message.delete', channel: channel.externalId, messageId: m.externalId, reason }));
  const theCase = await openCase(ctx.tx, {
    communityId: ctx.community.id,
    target: author ?? null,
    moderator: ctx.member,
    kind: 'purge',
    reason,
    points: 0,
    affectedMessages: messages.length,
    channelId: channel.externalId,
    at,
  });
  const summary = ctx.t('moderation.summary.purge', { count: messages.length, channel: `<#${channel.externalId}>` });
  return [
    reply(event, ctx.t('moderation.done', { number: theCase.number, summary })),
    ...deletes,
    { type: 'message.send', channel: await ctx.channelId(ctx.config.channels.modLog), message: caseCard(ctx, theCase, author ?? null, ctx.member) },
  ];
};

function caseLine(ctx: EventContext, c: CaseWithPeople): string {
  const by = c.moderator ? `<@${c.moderator.externalId}>` : ctx.t(c.escalatedFromId ? 'moderation.ladderModerator' : 'moderation.automodModerator');
  const line = ctx.t('moderation.caseLine', {
    number: c.number,
    kind: ctx.t(`moderation.kind.${c.kind}`),
    member: c.member ? `<@${c.member.externalId}>` : '',
    by,
    reason: neutralizeMentions(truncate(c.reason, 120)),
  });
  return `${line}${c.pardonedAt ? ctx.t('moderation.pardonedMark') : ''}`;
}

const infractions: CommandHandler = async (event, ctx) => {
  const args = commandArgs(event, ['member'] as const);
  const since = new Date(ctx.clock.now().getTime() - parseDuration(ctx.config.moderation.decay)!);
  if (args.member) {
    const target = await targetOf(event, ctx, args.member, false);
    if (isAction(target)) return [target];
    const cases = await listCases(ctx.tx, ctx.community.id, { memberId: target.id, limit: LIST_LIMIT });
    const points = await activePoints(ctx.tx, target, since);
    const header = ctx.t('moderation.memberHeader', { member: `<@${target.externalId}>`, points });
    return [reply(event, cases.length ? [header, ...cases.map((c) => `- ${caseLine(ctx, c)}`)].join('\n') : `${header}\n${ctx.t('moderation.noCases')}`)];
  }
  const members = await membersWithPoints(ctx.tx, ctx.community.id, since, LIST_LIMIT);
  const recent = await listCases(ctx.tx, ctx.community.id, { limit: LIST_LIMIT });
  if (!recent.length) return [reply(event, ctx.t('moderation.noCases'))];
  const lines = [
    ctx.t('moderation.communityHeader'),
    ...members.filter((m) => m.points > 0).map((m) => `- ${ctx.t('moderation.memberPoints', { member: `<@${m.member.externalId}>`, points: m.points, cases: m.cases })}`),
    ctx.t('moderation.recentHeader'),
    ...recent.map((c) => `- ${caseLine(ctx, c)}`),
  ];
  return [reply(event, lines.join('\n'))];
};

function caseNumberOf(event: Command, ctx: EventContext, raw: string | undefined): number | ActionDraft {
  const ref = referencedNumber(raw);
  if (ref === 'none') return reply(event, ctx.t('moderation.needsCaseNumber', { command: event.command }));
  return ref.number ?? reply(event, ctx.t('moderation.caseNotFound', { number: ref.typed }));
}

const showCase: CommandHandler = async (event, ctx) => {
  const number = caseNumberOf(event, ctx, commandArgs(event, ['number'] as const).number);
  if (typeof number !== 'number') return [number];
  const found = await findCase(ctx.tx, ctx.community.id, number);
  if (!found) return [reply(event, ctx.t('moderation.caseNotFound', { number }))];
  const card = caseCard(ctx, found, found.member, found.moderator);
  return [{ type: 'reply.ephemeral', member: event.member.id, message: card }];
};

const pardon: CommandHandler = async (event, ctx) => {
  const args = commandArgs(event, ['case', 'reason'] as const);
  const number = caseNumberOf(event, ctx, args.case);
  if (typeof number !== 'number') return [number];
  const found = await findCase(ctx.tx, ctx.community.id, number);
  if (!found) return [reply(event, ctx.t('moderation.caseNotFound', { number }))];
  if (found.pardonedAt) return [reply(event, ctx.t('moderation.alreadyPardoned', { number }))];
  const reason = truncate(args.reason ?? ctx.t('moderation.noReason'), 1000);
  await pardonCase(ctx.tx, found.id, ctx.member!, reason, ctx.clock.now());
  return [
    reply(event, ctx.t('moderation.pardoned', { number, points: found.points })),
    {
      type: 'message.send',
      channel: await ctx.channelId(ctx.config.channels.modLog),
      message: { text: ctx.t('moderation.pardonLog', { number, moderator: `<@${event.member.id}>`, reason: neutralizeMentions(reason) }) },
    },
  ];
};

const automodTest: CommandHandler = async (event, ctx) => {
  // `automod test` (a platform subcommand) carries the text alone; the shell sends `automod` and "test …".
  const args = commandArgs(event, event.command === 'automod test' ? (['content'] as const) : (['sub', 'content'] as const));
  const text = event.command === 'automod test' || ('sub' in args && args.sub === 'test') ? args.content : undefined;
  if (!text) return [reply(event, ctx.t('moderation.needsText'))];
  const hits = testText(text, resolveAutomodRules(ctx.config.automod, ctx.channel?.name ?? ''));
  if (!hits.length) return [reply(event, ctx.t('moderation.automodTestNone'))];
  return [reply(event, [ctx.t('moderation.automodTestHits'), ...hits.map((h) => `- **${h.rule}** (+${h.points}): ${neutralizeMentions(h.reason)}`)].join('\n'))];
};

/** Every moderator command by name; `automod test` also arrives as `automod` with "test …" text. */
export const MODERATOR_COMMANDS: Record<string, CommandHandler> = {
  warn: sanctionCommand('warn'),
  timeout: sanctionCommand('timeout'),
  untimeout: sanctionCommand('untimeout'),
  kick: sanctionCommand('kick'),
  ban: sanctionCommand('ban'),
  unban: sanctionCommand('unban'),
  purge,
  infractions,
  case: showCase,
  pardon,
  automod: automodTest,
  'automod test': automodTest,
};

/** Runs a moderator command, or refuses it (ephemerally, with no case) to anyone else. */
export async function handleModeratorCommand(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const handler = MODERATOR_COMMANDS[event.command];
  if (!handler || !ctx.config.moderation.enabled) return [];
  if (!isModerator(event.member.roles, ctx.config)) return [reply(event, ctx.t('moderation.notModerator', { command: event.command }))];
  return handler(event, ctx);
}


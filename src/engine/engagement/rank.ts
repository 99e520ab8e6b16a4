import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { EventContext } from '../capability.js';
import { commandArgs } from '../command-args.js';
import { neutralizeMentions } from '../format/neutralize-mentions.js';
import { ephemeral, findMember, linkedMemberIds, mention } from './common.js';
import { memberScore, ranking, tierFor, type ScorePart } from './score.js';

type Command = EventOfType<'command.invoked'>;
const DAY = 86_400_000;
const LEADERBOARD_SIZE = 10;

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function partLine(ctx: EventContext, part: ScorePart): string {
  return `- ${ctx.t('engagement.rank.part', { label: ctx.t(`engagement.rank.kind.${part.kind}`), count: fmt(part.count), points: fmt(part.points) })}`;
}

/** `/rank [member]`: the standing score, its tier, the next tier, and every part that made it. */
export async function rank(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const { member: ref } = commandArgs(event, ['member'] as const);
  const target = ref ? await findMember(ctx, ref) : ctx.member;
  if (!target) return [ephemeral(event.member.id, ctx.t('engagement.rank.unknownMember', { member: neutralizeMentions(ref ?? '') }))];
  const config = ctx.config.engagement;
  const score = await memberScore(ctx.tx, config, { communityId: ctx.community.id, memberId: target.id, now: ctx.clock.now(), decay: true, timeZone: ctx.config.timeZone });
  const who = mention(target);
  if (!score.parts.length) return [ephemeral(event.member.id, ctx.t('engagement.rank.nothing', { member: who }))];
  const { ladder } = config.tiers;
  const tier = tierFor(score.score, ladder);
  const next = ladder[ladder.indexOf(tier) + 1];
  const lines = [
    ctx.t('engagement.rank.header', {
      member: who,
      score: fmt(score.score),
      tier: tier.name,
      next: next ? ctx.t('engagement.rank.next', { points: fmt(Math.ceil((next.threshold - score.score) * 10) / 10), tier: next.name }) : '',
    }),
    ...score.parts.map((part) => partLine(ctx, part)),
  ];
  const linked = (await linkedMemberIds(ctx.tx, target)).length - 1;
  if (linked > 0) lines.push(ctx.t('engagement.rank.linked', { count: linked }));
  return [ephemeral(event.member.id, lines.join('\n'))];
}

/** `/leaderboard [week|month|all]`: week and month are plain sums of their window; all is the decayed standing. */
export async function leaderboard(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const period = (commandArgs(event, ['period'] as const).period ?? 'week').toLowerCase();
  if (period !== 'week' && period !== 'month' && period !== 'all') return [ephemeral(event.member.id, ctx.t('engagement.leaderboard.badPeriod'))];
  const now = ctx.clock.now();
  const since = period === 'week' ? new Date(now.getTime() - 7 * DAY) : period === 'month' ? new Date(now.getTime() - 30 * DAY) : undefined;
  const top = await ranking(ctx.tx, ctx.config.engagement, { communityId: ctx.community.id, now, ...(since && { since }), decay: period === 'all', timeZone: ctx.config.timeZone }, LEADERBOARD_SIZE);
  if (!top.length) return [ephemeral(event.member.id, ctx.t('engagement.leaderboard.empty'))];
  const members = new Map((await ctx.tx.member.findMany({ where: { id: { in: top.map((s) => s.memberId) } } })).map((m) => [m.id, m]));
  const lines = top.map((s, i) =>
    ctx.t('engagement.leaderboard.line', {
      position: i + 1,
      member: mention(members.get(s.memberId)!),
      score: fmt(s.score),
      top: s.parts.slice(0, 2).map((p) => `${ctx.t(`engagement.rank.kind.${p.kind}`)} ${fmt(p.count)}`).join(', '),
    }),
  );
  return [ephemeral(event.member.id, [`**${ctx.t(`engagement.leaderboard.header.${period}`)}**`, ...lines].join('\n'))];
}

import { parseDuration } from '../../core/duration.js';
import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { AmbassadorNomination, Member } from '../../generated/prisma/client.js';
import type { CommunityContext, EventContext, JobContext } from '../capability.js';
import { commandArgs } from '../command-args.js';
import { neutralizeMentions } from '../format/neutralize-mentions.js';
import { isModerator } from '../permissions.js';
import { digest, ephemeral, findMember, linkedMemberIds, localDate, mention } from './common.js';
import { memberScore, scoreParts, tierFor } from './score.js';

export const AMBASSADOR_SCAN_JOB = 'engagement.ambassadors';
const DAY = 86_400_000;
const HELPFUL_WINDOW = 30 * DAY;

const cardKey = (nomination: Pick<AmbassadorNomination, 'id'>): string => `ambassador-nomination-${nomination.id}`;
const buttonId = (nomination: Pick<AmbassadorNomination, 'id' | 'nonce'>, decision: 'approve' | 'decline'): string => `amb:${nomination.id}:${nomination.nonce}:${decision}`;

interface Standing {
  score: number;
  tier: string;
  replies: number;
  accepted: number;
  cases: number;
  since: Date | null;
}

/** What the card shows of a candidate; linked accounts count together. */
async function standing(ctx: CommunityContext, member: Member, now: Date): Promise<Standing> {
  const config = ctx.config.engagement;
  const base = { communityId: ctx.community.id, memberId: member.id, now, timeZone: ctx.config.timeZone };
  const score = await memberScore(ctx.tx, config, { ...base, decay: true });
  const recent = await memberScore(ctx.tx, config, { ...base, decay: false, since: new Date(now.getTime() - HELPFUL_WINDOW) });
  const count = (kind: string) => recent.parts.find((p) => p.kind === kind)?.count ?? 0;
  const ids = await linkedMemberIds(ctx.tx, member);
  const cases = await ctx.tx.moderationCase.count({
    where: { memberId: { in: ids }, pardonedAt: null, createdAt: { gt: new Date(now.getTime() - parseDuration(config.ambassadors.cleanFor)!) } },
  });
  const first = await ctx.tx.message.findFirst({ where: { authorId: { in: ids }, deletedAt: null }, orderBy: { sentAt: 'asc' }, select: { sentAt: true } });
  return { score: score.score, tier: tierFor(score.score, config.tiers.ladder).name, replies: count('reply'), accepted: count('answerAccepted'), cases, since: first?.sentAt ?? null };
}

/** Why a member cannot be nominated now (an i18n key), or null. */
async function blocker(ctx: CommunityContext, member: Member, now: Date): Promise<{ key: string; until?: Date } | null> {
  if (member.isBot) return { key: 'engagement.ambassadors.bot' };
  const profile = await ctx.tx.engagementProfile.findUnique({ where: { memberId: member.id } });
  if (profile?.ambassadorAt || member.roles.includes(ctx.config.engagement.ambassadors.role)) return { key: 'engagement.ambassadors.alreadyAmbassador' };
  const pending = await ctx.tx.ambassadorNomination.findFirst({ where: { memberId: member.id, status: 'pending' } });
  if (pending) return { key: 'engagement.ambassadors.alreadyPending' };
  const cooldown = parseDuration(ctx.config.engagement.ambassadors.cooldown)!;
  const declined = await ctx.tx.ambassadorNomination.findFirst({ where: { memberId: member.id, status: 'declined', decidedAt: { gt: new Date(now.getTime() - cooldown) } }, orderBy: { decidedAt: 'desc' } });
  if (declined) return { key: 'engagement.ambassadors.cooldown', until: new Date(declined.decidedAt!.getTime() + cooldown) };
  return null;
}

/** Stores a pending nomination and returns the card for the moderators' channel. */
async function nominate(ctx: CommunityContext, member: Member, by: Member | null, cause: string, now: Date): Promise<ActionDraft> {
  const nonce = digest('ambassador', ctx.community.platform, ctx.community.externalId, member.externalId, cause, now.toISOString()).slice(0, 12);
  const nomination = await ctx.tx.ambassadorNomination.create({ data: { communityId: ctx.community.id, memberId: member.id, nominatedById: by?.id ?? null, nonce, createdAt: now } });
  const s = await standing(ctx, member, now);
  const config = ctx.config.engagement.ambassadors;
  return {
    type: 'message.send',
    channel: await ctx.channelId(config.channel),
    key: cardKey(nomination),
    message: {
      text: ctx.t('engagement.ambassadors.card', { member: mention(member), by: by ? ctx.t('engagement.ambassadors.by', { by: mention(by) }) : ctx.t('engagement.ambassadors.byScan') }),
      fields: [
        { name: ctx.t('engagement.ambassadors.field.score'), value: `${s.score} (${s.tier})` },
        { name: ctx.t('engagement.ambassadors.field.helpful'), value: ctx.t('engagement.ambassadors.helpful', { replies: s.replies, accepted: s.accepted }) },
        { name: ctx.t('engagement.ambassadors.field.clean', { days: config.cleanFor }), value: String(s.cases) },
        { name: ctx.t('engagement.ambassadors.field.since'), value: s.since ? localDate(s.since, ctx.config.timeZone) : '-' },
      ],
      buttons: [
        { id: buttonId(nomination, 'approve'), label: ctx.t('engagement.ambassadors.approve'), style: 'success' },
        { id: buttonId(nomination, 'decline'), label: ctx.t('engagement.ambassadors.decline'), style: 'danger' },
      ],
    },
  };
}

/**
 * The weekly scan: members of the top tier who helped (replies to others plus accepted answers
 * in 30 days ≥ `minHelpful`), with no unpardoned moderation case within `cleanFor`, active
 * since at least `activeFor`, not ambassadors, not pending and not in a decline's cooldown.
 */
export async function scanForAmbassadors(ctx: JobContext): Promise<ActionDraft[]> {
  const config = ctx.config.engagement;
  if (!config.enabled || !config.ambassadors.enabled) return [];
  const now = ctx.job.dueAt;
  const top = config.tiers.ladder[config.tiers.ladder.length - 1]!;
  const candidates = await ctx.tx.member.findMany({
    where: { communityId: ctx.community.id, isBot: false, leftAt: null, engagement: { tier: top.name, ambassadorAt: null } },
    orderBy: { id: 'asc' },
  });
  if (!candidates.length) return [];
  const helpful = await scoreParts(ctx.tx, config, { communityId: ctx.community.id, now, since: new Date(now.getTime() - HELPFUL_WINDOW), decay: false, memberIds: candidates.map((c) => c.id), timeZone: ctx.config.timeZone });
  const ranked = helpful
    .map((h) => ({ ...h, helpful: h.parts.filter((p) => p.kind === 'reply' || p.kind === 'answerAccepted').reduce((sum, p) => sum + p.count, 0) }))
    .filter((h) => h.helpful >= config.ambassadors.minHelpful)
    .sort((a, b) => b.helpful - a.helpful || a.memberId - b.memberId);
  const actions: ActionDraft[] = [];
  for (const candidate of ranked) {
    if (actions.length >= config.ambassadors.maxPerScan) break;
    const member = candidates.find((c) => c.id === candidate.memberId)!;
    if (await blocker(ctx, member, now)) continue;
    const s = await standing(ctx, member, now);
    if (s.cases > 0 || !s.since || s.since.getTime() > now.getTime() - parseDuration(config.ambassadors.activeFor)!) continue;
    actions.push(await nominate(ctx, member, null, `${ctx.job.id}@${ctx.job.dueAt.toISOString()}`, now));
  }
  return actions;
}

/** `/ambassador nominate <member>`: any member may propose someone; the moderators decide on the card. */
export async function ambassadorCommand(event: EventOfType<'command.invoked'>, ctx: EventContext): Promise<ActionDraft[]> {
  const args = commandArgs(event, ['action', 'member'] as const);
  if (args.action !== 'nominate' || !args.member) return [ephemeral(event.member.id, ctx.t('engagement.ambassadors.usage'))];
  const member = await findMember(ctx, args.member);
  if (!member) return [ephemeral(event.member.id, ctx.t('engagement.rank.unknownMember', { member: neutralizeMentions(args.member) }))];
  if (member.id === ctx.member!.id) return [ephemeral(event.member.id, ctx.t('engagement.ambassadors.self'))];
  const now = ctx.clock.now();
  const blocked = await blocker(ctx, member, now);
  if (blocked) return [ephemeral(event.member.id, ctx.t(blocked.key, { member: mention(member), ...(blocked.until && { until: localDate(blocked.until, ctx.config.timeZone) }) }))];
  const card = await nominate(ctx, member, ctx.member, event.id, now);
  return [card, ephemeral(event.member.id, ctx.t('engagement.ambassadors.nominated', { member: mention(member) }))];
}

/** Approve / Decline on a nomination card. Forged, stale or foreign ids, and non-moderators, get an ephemeral answer and change nothing. */
export async function decideNomination(event: EventOfType<'component.used'>, ctx: EventContext): Promise<ActionDraft[]> {
  const match = /^amb:(\d{1,9}):([0-9a-f]{12}):(approve|decline)$/.exec(event.componentId);
  const nomination = match
    ? await ctx.tx.ambassadorNomination.findFirst({ where: { id: Number(match[1]), communityId: ctx.community.id }, include: { member: true } })
    : null;
  if (!match || !nomination || nomination.nonce !== match[2]) return [ephemeral(event.member.id, ctx.t('engagement.ambassadors.invalid'))];
  if (!isModerator(event.member.roles, ctx.config)) return [ephemeral(event.member.id, ctx.t('engagement.ambassadors.onlyModerators'))];
  if (nomination.status !== 'pending') return [ephemeral(event.member.id, ctx.t('engagement.ambassadors.decided', { status: nomination.status }))];
  const now = ctx.clock.now();
  const approve = match[3] === 'approve';
  const claimed = await ctx.tx.ambassadorNomination.updateMany({
    where: { id: nomination.id, status: 'pending' },
    data: { status: approve ? 'approved' : 'declined', decidedAt: now, decidedById: ctx.member!.id },
  });
  if (claimed.count !== 1) return [ephemeral(event.member.id, ctx.t('engagement.ambassadors.decided', { status: 'decided' }))];
  const member = nomination.member;
  const who = mention(member);
  const edit: ActionDraft = {
    type: 'message.edit',
    key: cardKey(nomination),
    message: { text: ctx.t(approve ? 'engagement.ambassadors.approved' : 'engagement.ambassadors.declined', { member: who, by: `<@${event.member.id}>` }) },
  };
  if (!approve) {
    const until = new Date(now.getTime() + parseDuration(ctx.config.engagement.ambassadors.cooldown)!);
    return [edit, ephemeral(event.member.id, ctx.t('engagement.ambassadors.declinedReply', { member: who, until: localDate(until, ctx.config.timeZone) }))];
  }
  await ctx.tx.engagementProfile.upsert({ where: { memberId: member.id }, create: { memberId: member.id, interests: [], ambassadorAt: now }, update: { ambassadorAt: now } });
  return [
    edit,
    { type: 'role.add', member: member.externalId, role: ctx.config.engagement.ambassadors.role, reason: ctx.t('engagement.ambassadors.reason') },
    { type: 'message.send', member: member.externalId, message: { text: ctx.t('engagement.ambassadors.congrats', { member: who, community: ctx.config.name ?? ctx.community.name ?? ctx.community.externalId }) } },
    ephemeral(event.member.id, ctx.t('engagement.ambassadors.approvedReply', { member: who })),
  ];
}

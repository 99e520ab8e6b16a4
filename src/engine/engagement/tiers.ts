import type { ActionDraft } from '../../contracts/index.js';
import type { JobContext } from '../capability.js';
import { mention } from './common.js';
import { scoreParts, tierFor } from './score.js';

export const TIERS_JOB = 'engagement.tiers';

/**
 * Re-evaluates every present member's tier from the standing score (decayed, one SQL query),
 * and for each change gives and takes the tiers' roles; promotions are announced. A member
 * never evaluated is taken to hold the first tier, so the quiet majority causes no writes.
 */
export async function evaluateTiers(ctx: JobContext): Promise<ActionDraft[]> {
  const config = ctx.config.engagement;
  if (!config.enabled) return [];
  const { ladder } = config.tiers;
  const now = ctx.job.dueAt;
  const scores = await scoreParts(ctx.tx, config, { communityId: ctx.community.id, now, decay: true, timeZone: ctx.config.timeZone });
  const scoreById = new Map(scores.map((s) => [s.memberId, s.score]));
  // Members with a score, and members holding a tier above the first (who may have to step down).
  const members = await ctx.tx.member.findMany({
    where: {
      communityId: ctx.community.id,
      isBot: false,
      leftAt: null,
      OR: [{ id: { in: [...scoreById.keys()] } }, { engagement: { tier: { not: null } } }],
    },
    include: { engagement: true },
    orderBy: { id: 'asc' },
  });
  const actions: ActionDraft[] = [];
  const announceChannel = config.tiers.announceChannel ? await ctx.channelId(config.tiers.announceChannel) : null;
  for (const member of members) {
    const score = scoreById.get(member.id) ?? 0;
    const target = tierFor(score, ladder);
    const currentName = member.engagement?.tier ?? ladder[0]!.name;
    if (currentName === target.name && (member.engagement?.tier != null || target.role === null)) continue;
    const currentIndex = ladder.findIndex((t) => t.name === currentName);
    const current = currentIndex >= 0 ? ladder[currentIndex]! : null;
    const stepsDown = ladder.indexOf(target) < currentIndex;
    if (stepsDown && current && score >= current.threshold * (1 - config.tiers.demotionMargin)) continue;
    const promoted = ladder.indexOf(target) > currentIndex;
    await ctx.tx.engagementProfile.upsert({
      where: { memberId: member.id },
      create: { memberId: member.id, interests: [], tier: target.name, tierChangedAt: now },
      update: { tier: target.name, tierChangedAt: now },
    });
    const reason = ctx.t(promoted ? 'engagement.tiers.reasonPromoted' : 'engagement.tiers.reasonDemoted', { tier: target.name, score: Math.floor(score) });
    if (current?.role && current.role !== target.role) actions.push({ type: 'role.remove', member: member.externalId, role: current.role, reason });
    if (target.role && target.role !== current?.role) actions.push({ type: 'role.add', member: member.externalId, role: target.role, reason });
    if (promoted && announceChannel) {
      actions.push({ type: 'message.send', channel: announceChannel, message: { text: ctx.t('engagement.tiers.promoted', { member: mention(member), tier: target.name }) } });
    }
  }
  return actions;
}

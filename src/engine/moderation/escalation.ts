import { parseDuration } from '../../core/duration.js';
import type { BurstTrigger, LadderStep, ModerationConfig, Sanction } from './config.js';

export interface Escalation {
  sanction: Sanction;
  /** Why, in words a moderator reads in the mod log (English; rendered through i18n by the caller). */
  trigger: { kind: 'points'; threshold: number; total: number } | { kind: 'burst'; infractions: number; within: string };
}

/**
 * The ladder step crossed when a member's active points go from `before` to `after`: the
 * highest threshold in (before, after]. Crossing several at once applies only the harshest.
 */
export function crossedStep(ladder: readonly LadderStep[], before: number, after: number): LadderStep | undefined {
  let crossed: LadderStep | undefined;
  for (const step of ladder) if (step.points > before && step.points <= after) crossed = step;
  return crossed;
}

/**
 * The burst trigger that a new infraction completes: `recentCounts[i]` is the number of the
 * member's infractions (this one included) within trigger i's window. A burst fires when the
 * count reaches its threshold exactly, so one burst is not punished again by each later case.
 */
export function completedBurst(bursts: readonly BurstTrigger[], recentCounts: readonly number[]): BurstTrigger | undefined {
  let fired: BurstTrigger | undefined;
  bursts.forEach((burst, i) => {
    if (recentCounts[i] === burst.infractions) fired = burst;
  });
  return fired;
}

const SEVERITY: Record<Sanction['action'], number> = { warn: 0, timeout: 1, kick: 2, ban: 3 };

/** The harsher of two sanctions (a longer timeout is harsher than a shorter one). */
export function harsher(a: Sanction, b: Sanction): Sanction {
  if (SEVERITY[a.action] !== SEVERITY[b.action]) return SEVERITY[a.action] > SEVERITY[b.action] ? a : b;
  if (a.action === 'timeout' && b.action === 'timeout') return parseDuration(a.duration)! >= parseDuration(b.duration)! ? a : b;
  return a;
}

/** Decides the escalation (if any) for a new infraction from the ladder and the burst triggers. */
export function decideEscalation(
  config: Pick<ModerationConfig, 'ladder' | 'bursts'>,
  points: { before: number; after: number },
  recentCounts: readonly number[],
): Escalation | undefined {
  const step = crossedStep(config.ladder, points.before, points.after);
  const burst = completedBurst(config.bursts, recentCounts);
  const byPoints: Escalation | undefined = step && { sanction: sanctionOf(step), trigger: { kind: 'points', threshold: step.points, total: points.after } };
  const byBurst: Escalation | undefined = burst && { sanction: sanctionOf(burst), trigger: { kind: 'burst', infractions: burst.infractions, within: burst.within } };
  if (byPoints && byBurst) return harsher(byPoints.sanction, byBurst.sanction) === byPoints.sanction ? byPoints : byBurst;
  return byPoints ?? byBurst;
}

function sanctionOf(step: Sanction): Sanction {
  return step.action === 'timeout' ? { action: 'timeout', duration: step.duration } : { action: step.action };
}

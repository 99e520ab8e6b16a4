import type { FloodRule } from '../config.js';
import type { RuleHit } from '../evaluate.js';

/*
 * Flood: more than `messages` messages by one member within `seconds`, counted across the whole
 * community (so emoji-only or one-letter floods count like any other). Every message over the limit
 * is a hit (and deleted if configured), but points are given once per window.
 */

export const floodKey = (communityKey: string, memberId: string) => `flood:${communityKey}:${memberId}`;
export const floodReportedKey = (communityKey: string, memberId: string) => `flood-reported:${communityKey}:${memberId}`;

/** The hit for the member's `count`-th message in the window (over the limit); points only for the first hit of a window. */
export function floodHit(count: number, rule: FloodRule, firstInWindow: boolean): RuleHit {
  return {
    rule: 'flood',
    points: firstInWindow ? rule.points : 0,
    deleteMessage: rule.delete,
    reason: `flood (${count} messages in ${rule.seconds}s, more than ${rule.messages})`,
  };
}

import type { RaidRule } from '../config.js';

/*
 * Join raids: more joins within the window than `joins` (raised to BASELINE_FACTOR times the
 * community's usual rate, so a busy community's ordinary traffic is not a raid), or more accounts
 * younger than `newAccountDays` than `newAccountJoins`. The usual rate is the higher of the last
 * hour's and the last day's averages: the hour learns quickly after a restart, the day remembers the
 * busy hours through quiet ones.
 */

export const BASELINE_WINDOWS_MS = [60 * 60 * 1000, 24 * 60 * 60 * 1000] as const;
export const BASELINE_FACTOR = 5;

export const raidJoinsKey = (communityKey: string) => `raid-joins:${communityKey}`;
export const raidNewKey = (communityKey: string) => `raid-new:${communityKey}`;
export const raidBaselineKey = (communityKey: string, windowMs: number) => `raid-baseline-${windowMs / 60_000}m:${communityKey}`;
export const raidReportedKey = (communityKey: string) => `raid-reported:${communityKey}`;

export const isNewAccount = (at: number, accountCreatedAt: number | undefined, rule: RaidRule) =>
  accountCreatedAt !== undefined && at - accountCreatedAt < rule.newAccountDays * 86_400_000;

/** Joins counted over a baseline window. */
export interface BaselineCount {
  joins: number;
  windowMs: number;
}

/** The join threshold for the rule's window, given the joins counted over the baseline windows. */
export function joinThreshold(rule: RaidRule, baselines: readonly BaselineCount[]): number {
  let usualPerWindow = 0;
  for (const b of baselines) usualPerWindow = Math.max(usualPerWindow, (b.joins * rule.seconds * 1000) / b.windowMs);
  return Math.max(rule.joins, Math.ceil(usualPerWindow * BASELINE_FACTOR));
}

/** Why this is a raid, or undefined. */
export function judgeRaid(rule: RaidRule, joins: number, newJoins: number, baselines: readonly BaselineCount[]): string | undefined {
  const threshold = joinThreshold(rule, baselines);
  if (joins > threshold) {
    const usual = threshold > rule.joins ? `, usual rate ${Math.round(threshold / BASELINE_FACTOR)}` : '';
    return `join raid: ${joins} joins in ${rule.seconds}s (more than ${threshold}${usual})`;
  }
  if (newJoins > rule.newAccountJoins) {
    return `join raid: ${newJoins} new accounts (under ${rule.newAccountDays} days old) joined in ${rule.seconds}s (more than ${rule.newAccountJoins})`;
  }
  return undefined;
}

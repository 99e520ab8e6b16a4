import type { RepeatsRule } from '../config.js';
import type { RuleHit } from '../evaluate.js';

/*
 * Repeated messages: `count` identical or near-identical messages by one member within `seconds`, in
 * any channels (cross-posting included). Messages are compared by a fingerprint (normalized text, cut
 * to FINGERPRINT_CHARS); near-identical means a Sørensen–Dice similarity of character pairs of at
 * least `similarity`. Very short messages (`ok`, `lol`) are left to the flood rule.
 */

export const FINGERPRINT_CHARS = 200;
export const MIN_FINGERPRINT_CHARS = 4;

export const repeatsKey = (communityKey: string, memberId: string) => `repeats:${communityKey}:${memberId}`;
export const repeatsReportedKey = (communityKey: string, memberId: string) => `repeats-reported:${communityKey}:${memberId}`;

/** How many previous messages are kept for comparison. */
export const repeatsKeep = (rule: RepeatsRule) => Math.min(50, Math.max(10, rule.count * 3));

/** The fingerprint of a message from its normalized text, or undefined when too short to judge. */
export function fingerprint(normalized: string): string | undefined {
  const f = normalized.trim().slice(0, FINGERPRINT_CHARS);
  return f.length < MIN_FINGERPRINT_CHARS ? undefined : f;
}

/*
 * Pair counts live in hashed tables reset by bumping a generation stamp rather than clearing them,
 * so comparing a message with each earlier one costs only the lengths of the two strings.
 */
const TABLE = 4096;
const pairCounts = new Uint16Array(TABLE);
const pairStamp = new Float64Array(TABLE); // stamps never wrap (2^53)
const usedCounts = new Uint16Array(TABLE);
const usedStamp = new Float64Array(TABLE);
let pairGen = 0;
let usedGen = 0;

const pairHash = (s: string, i: number) => (s.charCodeAt(i) * 31 + s.charCodeAt(i + 1)) & (TABLE - 1);

function loadPairs(a: string): void {
  const gen = ++pairGen;
  for (let i = 0; i < a.length - 1; i++) {
    const h = pairHash(a, i);
    if (pairStamp[h] === gen) pairCounts[h]!++;
    else {
      pairStamp[h] = gen;
      pairCounts[h] = 1;
    }
  }
}

/** Pairs of `b` also among the loaded pairs (each counted at most as often as loaded). */
function sharedPairs(b: string): number {
  const gen = ++usedGen;
  const loaded = pairGen;
  let common = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const h = pairHash(b, i);
    if (pairStamp[h] !== loaded) continue;
    const used = usedStamp[h] === gen ? usedCounts[h]! : 0;
    if (used < pairCounts[h]!) {
      usedStamp[h] = gen;
      usedCounts[h] = used + 1;
      common++;
    }
  }
  return common;
}

/** Sørensen–Dice coefficient over character pairs (hashed; 1 for equal strings). */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  loadPairs(a);
  return (2 * sharedPairs(b)) / (a.length - 1 + b.length - 1);
}

/** How many of `previous` are alike enough to `current`. */
export function countSimilar(current: string, previous: readonly string[], threshold: number): number {
  let n = 0;
  let loaded = false;
  const pa = current.length - 1;
  for (const p of previous) {
    if (p === current) {
      n++;
      continue;
    }
    if (threshold >= 1 || pa < 1 || p.length < 2) continue;
    // Dice can be at most 2·min/(sum): skip strings too different in length.
    const pb = p.length - 1;
    if ((2 * Math.min(pa, pb)) / (pa + pb) < threshold) continue;
    if (!loaded) {
      loadPairs(current);
      loaded = true;
    }
    if ((2 * sharedPairs(p)) / (pa + pb) >= threshold) n++;
  }
  return n;
}

/** The hit for a message with `similar` alike earlier ones (`similar + 1 >= count`); points only for the first hit of a window. */
export function repeatsHit(similar: number, rule: RepeatsRule, firstInWindow: boolean): RuleHit {
  return {
    rule: 'repeats',
    points: firstInWindow ? rule.points : 0,
    deleteMessage: rule.delete,
    reason: `repeated message (${similar + 1} alike in ${rule.seconds}s)`,
  };
}

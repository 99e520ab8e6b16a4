import { DateTime } from 'luxon';
import { parseDuration } from '../../core/duration.js';
import { MAX_CHOICES, MIN_CHOICES } from './config.js';

/** Longest question and choice, within what Discord and Slack show in a message and on a button. */
export const MAX_QUESTION = 300;
export const MAX_CHOICE = 80;

export type Problem = { key: string; variables?: Record<string, string | number> };
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (key: string, variables?: Record<string, string | number>): Parsed<never> => ({ ok: false, problem: { key, variables } });

/** How choices are compared for duplicates: case, width and spacing do not make a new choice. */
export const normalizeChoice = (choice: string): string => choice.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** `a; b; c` → ['a', 'b', 'c']: 2 to 10 distinct, non-empty choices of at most 80 characters. */
export function parseChoices(raw: string | undefined): Parsed<string[]> {
  if (!raw?.trim()) return fail('polls.error.noChoices');
  const choices = raw
    .split(';')
    .map((c) => c.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  if (choices.length < MIN_CHOICES || choices.length > MAX_CHOICES) return fail('polls.error.choiceCount', { count: choices.length, min: MIN_CHOICES, max: MAX_CHOICES });
  const tooLong = choices.find((c) => [...c].length > MAX_CHOICE);
  if (tooLong) return fail('polls.error.choiceTooLong', { choice: tooLong, max: MAX_CHOICE });
  const seen = new Set<string>();
  for (const choice of choices) {
    const key = normalizeChoice(choice);
    if (seen.has(key)) return fail('polls.error.duplicateChoice', { choice });
    seen.add(key);
  }
  return ok(choices);
}

/** A yes/no option as platforms (booleans) and people (`yes`, `ya`, `1`, ...) give it. */
export function parseFlag(value: string | number | boolean | undefined, fallback: boolean): boolean | undefined {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['true', 'yes', 'y', 'ya', '1', 'on'].includes(text)) return true;
  if (['false', 'no', 'n', 'tidak', '0', 'off'].includes(text)) return false;
  return undefined;
}

/** `results:live` (the tally shows while voting) or `results:close` (only when the poll closes). */
export function parseResultsMode(value: string | number | boolean | undefined): boolean | undefined {
  if (value === undefined || value === '') return true;
  const text = String(value).trim().toLowerCase();
  if (['live', 'always', 'now', 'true'].includes(text)) return true;
  if (['close', 'closed', 'end', 'hidden', 'false', 'tutup', 'akhir'].includes(text)) return false;
  return undefined;
}

/**
 * When a poll closes: a duration from now (`30m`, `2h`, `3d`) or a closing time (ISO 8601,
 * `2026-11-30T17:00`, `2026-11-30 17:00`; without an offset, in the community's time zone).
 */
export function parseClosing(
  raw: string | undefined,
  now: Date,
  limits: { defaultMs: number; maxMs: number; timeZone: string },
): Parsed<Date> {
  if (!raw?.trim()) return ok(new Date(now.getTime() + limits.defaultMs));
  const text = raw.trim();
  const durationMs = parseDuration(text);
  let closesAt: Date;
  if (durationMs !== undefined) closesAt = new Date(now.getTime() + durationMs);
  else {
    const time = DateTime.fromISO(text.replace(' ', 'T'), { zone: limits.timeZone, setZone: true });
    if (!time.isValid) return fail('polls.error.badClosing', { value: text });
    closesAt = time.toJSDate();
  }
  if (closesAt.getTime() <= now.getTime()) return fail('polls.error.closingInPast', { value: text });
  if (closesAt.getTime() - now.getTime() < 60_000) return fail('polls.error.tooShort', { value: text });
  if (closesAt.getTime() - now.getTime() > limits.maxMs) return fail('polls.error.tooLong', { value: text, max: limits.maxMs / 86_400_000 });
  return ok(closesAt);
}

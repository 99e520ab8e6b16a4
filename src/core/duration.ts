import ms from 'ms';

/** Durations as people type them: `30s`, `10m`, `2h`, `3d`, `1w` (a number and a unit). */
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\s*$/i;

/** Milliseconds of a duration, or undefined when the text is not one (a bare number has no unit). */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  const value = ms(text.trim() as ms.StringValue);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** `600000` → `10m`, `86400000` → `1d`. */
export function formatDuration(milliseconds: number): string {
  return ms(milliseconds);
}

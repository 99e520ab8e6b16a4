import { DateTime } from 'luxon';
import type { WorkingHours } from './config.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function at(day: DateTime, clock: string): DateTime {
  const [hour = 0, minute = 0] = clock.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/**
 * `start` plus `durationMs` of working time: time outside the team's hours (in the
 * community's time zone, daylight saving included) does not count. Without hours, plain time.
 */
export function addWorkingTime(start: Date, durationMs: number, hours: WorkingHours | null, timeZone: string): Date {
  if (!hours) return new Date(start.getTime() + durationMs);
  let cursor: DateTime = DateTime.fromJSDate(start, { zone: timeZone });
  let remaining = durationMs;
  // A year of days is more than any configuration needs; the loop cannot run away.
  for (let day = 0; day < 370; day++) {
    if (hours.days.includes(WEEKDAYS[cursor.weekday - 1]!)) {
      const opens = at(cursor, hours.start);
      const closes = at(cursor, hours.end);
      if (cursor < opens) cursor = opens;
      if (cursor < closes) {
        const available = closes.toMillis() - cursor.toMillis();
        if (remaining <= available) return cursor.plus({ milliseconds: remaining }).toJSDate();
        remaining -= available;
      }
    }
    cursor = cursor.startOf('day').plus({ days: 1 });
  }
  throw new Error('working hours leave no time in a year');
}

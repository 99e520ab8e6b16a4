import { describe, expect, it } from 'vitest';
import { addWorkingTime } from '../../../src/engine/questions/working-hours.js';
import { routeQuestion } from '../../../src/engine/questions/route-question.js';
import { QuestionsConfigSchema } from '../../../src/engine/questions/config.js';

const officeHours = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[], start: '09:00', end: '17:00' };
const HOUR = 3_600_000;

describe('working hours', () => {
  it('adds plain time when the team has no hours', () => {
    expect(addWorkingTime(new Date('2026-11-06T20:00:00Z'), 2 * HOUR, null, 'UTC').toISOString()).toBe('2026-11-06T22:00:00.000Z');
  });

  it('counts only time inside the hours of the same day', () => {
    expect(addWorkingTime(new Date('2026-11-02T10:00:00Z'), 2 * HOUR, officeHours, 'UTC').toISOString()).toBe('2026-11-02T12:00:00.000Z');
  });

  it('carries the rest of a deadline over the night', () => {
    expect(addWorkingTime(new Date('2026-11-02T16:00:00Z'), 2 * HOUR, officeHours, 'UTC').toISOString()).toBe('2026-11-03T10:00:00.000Z');
  });

  it('starts counting on Monday morning for a question asked on Friday night', () => {
    expect(addWorkingTime(new Date('2026-11-06T20:00:00Z'), 2 * HOUR, officeHours, 'UTC').toISOString()).toBe('2026-11-09T11:00:00.000Z');
  });

  it('reads the hours in the community time zone', () => {
    // 09:00 in Jakarta (UTC+7) is 02:00 UTC; a question at 23:00 UTC Sunday is 06:00 Monday there.
    expect(addWorkingTime(new Date('2026-11-08T23:00:00Z'), HOUR, officeHours, 'Asia/Jakarta').toISOString()).toBe('2026-11-09T03:00:00.000Z');
  });
});

describe('topic routing', () => {
  const config = QuestionsConfigSchema.parse({
    enabled: true,
    channels: [],
    ignoreChannels: [],
    answerDeadline: '2h',
    channelDeadlines: { help: '30m' },
    managerEscalationAfter: '4h',
    managersChannel: 'mod-log',
    resolveEmoji: ['✅'],
    defaultTeam: 'community',
    teams: { community: { role: 'moderator', channel: 'questions' }, billing: { role: 'billing', channel: 'billing-team' }, dev: { role: 'devrel', channel: 'dev-team' } },
    topics: [
      { name: 'billing', team: 'billing', keywords: ['invoice', 'tagihan'], phrases: ['credit card'], deadline: '1h' },
      { name: 'api', team: 'dev', channels: ['api'], keywords: ['api'] },
    ],
  });

  it('routes by keyword, as a whole word, with the topic deadline', () => {
    expect(routeQuestion('Where is my INVOICE for October?', 'general', config)).toEqual({ topic: 'billing', team: 'billing', deadlineMs: HOUR });
    expect(routeQuestion('kenapa tagihan saya dobel?', 'general', config).team).toBe('billing');
    expect(routeQuestion('any invoice-like report?', 'general', config).team).toBe('billing');
    expect(routeQuestion('what are invoicing rules?', 'general', config).team).toBe('community');
    expect(routeQuestion('capital questions?', 'general', config).team).toBe('community');
  });

  it('routes by phrase and by channel', () => {
    expect(routeQuestion('can I pay by credit card?', 'general', config).team).toBe('billing');
    expect(routeQuestion('why does this fail?', 'api', config)).toEqual({ topic: 'api', team: 'dev', deadlineMs: 2 * HOUR });
  });

  it('sends unmatched questions to the default team with the channel deadline', () => {
    expect(routeQuestion('how do I join the meetup?', 'help', config)).toEqual({ topic: null, team: 'community', deadlineMs: HOUR / 2 });
  });

  it('refuses a topic that names a team that does not exist', () => {
    const bad = QuestionsConfigSchema.safeParse({ ...config, topics: [{ name: 'x', team: 'ghosts' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('no team "ghosts" in questions.teams');
  });
});

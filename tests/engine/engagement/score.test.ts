import { afterEach, describe, expect, it } from 'vitest';
import { memberScore } from '../../../src/engine/engagement/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { Community, member, minutes } from './harness.js';

const noisy = member('noisy');
const helper = member('helper');
const bot = member('robot', { bot: true });
const start = new Date('2026-11-02T08:00:00Z');

let c: Community;
afterEach(async () => c?.dispose());

describe('the involvement score', () => {
  it('ranks a member who answers 20 questions far above one who posts 200 one-word messages, and /rank explains both', async () => {
    c = await Community.open('pglite');
    const words = ['lol', 'ok', 'yes', 'nice', 'hmm', 'wow', 'cool', 'sure'];
    for (let i = 0; i < 200; i++) {
      // Every tenth message replies to the noisy member's own previous one: self-replies count for nothing.
      const extra = i % 10 === 9 ? { replyTo: `noise-${i - 1}` } : {};
      await c.say(minutes(start, i * 2), noisy, words[i % words.length]!, extra, `noise-${i}`);
    }
    // A bot replying to the noisy member gives no "conversation started".
    await c.say(minutes(start, 401), bot, 'beep', { replyTo: 'noise-0' });
    for (let i = 0; i < 20; i++) {
      const asker = member(`asker${i}`);
      const at = minutes(start, 500 + i * 20);
      await c.say(at, asker, `How do I configure feature number ${i} in the dashboard?`, {}, `q-${i}`);
      await c.say(minutes(at, 5), helper, `Open settings, then the dashboard tab, and switch option ${i} on.`, { replyTo: `q-${i}` }, `a-${i}`);
      await c.send(minutes(at, 10), { type: 'reaction.added', channel: 'general', member: asker, messageId: `a-${i}`, emoji: '✅' });
    }
    const at = minutes(start, 1000);
    const prisma = c.t.database.prisma;
    const config = loadConfig().for('discord', 'g1').engagement;
    const community = await prisma.community.findFirstOrThrow();
    const score = async (externalId: string) => {
      const m = await prisma.member.findFirstOrThrow({ where: { externalId } });
      return prisma.$transaction((tx) => memberScore(tx, config, { communityId: community.id, memberId: m.id, now: at, decay: true, timeZone: 'UTC' }));
    };
    const helperScore = await score('helper');
    const noisyScore = await score('noisy');
    expect(helperScore.score).toBeGreaterThan(10 * noisyScore.score);
    expect(Object.fromEntries(helperScore.parts.map((p) => [p.kind, p.count]))).toEqual({
      answerAccepted: 20,
      distinctMember: 20,
      reply: 20,
      reactionReceived: 20,
      activeDay: 1,
      sessionMinute: 60,
    });
    // 200 messages over 400 minutes (decayed a little: up to 16 hours old): one active day and one session capped at 60 minutes, nothing else.
    expect(Object.fromEntries(noisyScore.parts.map((p) => [p.kind, p.count]))).toEqual({ activeDay: 1, sessionMinute: 60 });

    const rankHelper = Community.answer(await c.command(at, noisy, 'rank', { member: 'helper' }));
    expect(rankHelper).toMatch(/^<@helper>: \*\*\d+(\.\d)?\*\* points, tier \*\*champion\*\*\./);
    expect(rankHelper).toContain('answers accepted: 20 →');
    expect(rankHelper).toContain('members talked with: 20 →');
    const rankNoisy = Community.answer(await c.command(at, noisy, 'rank'));
    expect(rankNoisy).toMatch(/^<@noisy>: \*\*3\.9\*\* points, tier \*\*newcomer\*\* \(11\.1 to member\)\./);
    expect(rankNoisy).toContain('active days: 1 → 1.0 pts');
    expect(rankNoisy).toContain('minutes in activity sessions: 60 → 3.0 pts');

    const board = Community.answer(await c.command(at, noisy, 'leaderboard', { period: 'week' }));
    const lines = board.split('\n');
    expect(lines[1]).toMatch(/^1\. <@helper>: 344 pts \(answers accepted 20, members talked with 20\)$/);
    // Each asker (one conversation that got an answer) outranks the noisy member, who is not in the top 10.
    expect(lines[2]).toMatch(/^2\. <@asker\d+>: 8\.1 pts/);
    expect(board).not.toContain('<@noisy>');
  });

  it('does not count messages automod deleted for flooding', async () => {
    c = await Community.open('pglite');
    const a = member('ayu');
    const b = member('budi');
    await c.say(start, a, 'anyone here into data viz?', {}, 'topic');
    // Budi floods replies: the standard preset deletes from the 7th message in 8 seconds.
    for (let i = 0; i < 10; i++) await c.say(new Date(start.getTime() + 60_000 + i * 500), b, `reply number ${i} to you`, { replyTo: 'topic' }, `flood-${i}`);
    const deleted = c.actions.filter((x) => x.type === 'message.delete').length;
    expect(deleted).toBeGreaterThan(0);
    const rank = Community.answer(await c.command(minutes(start, 5), b, 'rank'));
    expect(rank).toContain(`replies to others: ${10 - deleted} →`);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Capability } from '../../src/engine/capability.js';
import { createCapabilities } from '../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../src/engine/moderation/automod/index.js';
import type { EventOutcome } from '../../src/engine/pipeline.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createTestEngine, DATABASE_KINDS, type TestEngine } from '../support/test-engine.js';

const start = Date.UTC(2026, 10, 2, 9, 0, 0);
let second = 0;
/** One event of the stream, a second after the one before. */
function at(body: Record<string, unknown>, id: string, community = 'g1'): Record<string, unknown> {
  second++;
  return { id, platform: 'discord', community, at: new Date(start + second * 1000).toISOString(), ...body };
}

const ayu = { id: 'u-ayu', name: 'Ayu', roles: ['member'] };
const budi = { id: 'u-budi', name: 'Budi' };
const citra = { id: 'u-citra', name: 'Citra', roles: ['member'] };
const mod = { id: 'u-mod', name: 'Mod', roles: ['moderator'] };

/**
 * A busy stretch of two communities: joins and leaves between messages (a member returning, one
 * who wrote before joining, one leaving who was never seen), new and known authors, renamed
 * authors and channels, a delivery repeated inside the stretch and later, a question answered
 * and resolved within it, an introduction, an automod hit that escalates, a command.
 */
function busyStream(): Record<string, unknown>[] {
  second = 0;
  const message = (id: string, author: object, text: string, extra: Record<string, unknown> = {}, community = 'g1') =>
    at({ type: 'message.created', channel: 'c-general', channelName: 'general', author, text, ...extra }, id, community);
  return [
    message('m1', ayu, 'good morning everyone'),
    message('m2', budi, 'morning!', { replyTo: 'm1' }),
    at({ type: 'member.joined', member: citra }, 'j1'),
    message('m3', citra, 'Hi, I am Citra and I like gardening and typescript', { channel: 'c-intro', channelName: 'introductions' }),
    message('m4', ayu, 'How do I reset my password on the staging server?', { channel: 'c-help', channelName: 'questions' }),
    message('m5', budi, 'Open settings, then security, then reset it there.', { channel: 'c-help', channelName: 'questions', replyTo: 'm4' }),
    message('m5', budi, 'Open settings, then security, then reset it there.', { channel: 'c-help', channelName: 'questions', replyTo: 'm4' }),
    at({ type: 'reaction.added', channel: 'c-help', member: ayu, messageId: 'm5', emoji: '✅' }, 'r1'),
    message('m6', { ...ayu, name: 'Ayu R.' }, 'thanks, that worked', { channel: 'c-help', channelName: 'help-desk' }),
    message('m7', { id: 'u-new', name: 'Newcomer' }, 'hello, is this the right place to ask about invoices?'),
    at({ type: 'member.joined', member: { id: 'u-new', name: 'Newcomer', joinedAt: '2026-11-02T08:00:00.000Z' } }, 'j2'),
    at({ type: 'member.left', member: budi }, 'l1'),
    at({ type: 'member.joined', member: { ...budi, name: 'Budi B.' } }, 'j3'),
    at({ type: 'member.joined', member: { id: 'u-dewi', name: 'Dewi' } }, 'j4'),
    at({ type: 'member.left', member: { id: 'u-eka', name: 'Eka' } }, 'l2'),
    message('m8', { id: 'u-spam', name: 'Spammer' }, 'you are an asshole'),
    message('m9', { id: 'u-spam', name: 'Spammer' }, 'asshole asshole'),
    message('m10', { id: 'u-spam', name: 'Spammer' }, 'total asshole'),
    at({ type: 'command.invoked', channel: 'c-general', member: mod, command: 'warn', options: { member: 'u-budi', reason: 'testing the ladder' } }, 'cmd1'),
    message('m11', { id: 'u-bot', name: 'SomeBot', bot: true }, 'Build #12 passed'),
    message('n1', ayu, 'hello from the other community', {}, 'g2'),
    message('n2', budi, 'hi there, what is this community about?', { replyTo: 'n1' }, 'g2'),
    message('m1', ayu, 'good morning everyone'),
    at({ type: 'message.edited', channel: 'c-general', author: ayu, messageId: 'm1', text: 'good morning, everyone' }, 'e1'),
    message('m12', budi, 'see you later', { thread: 'm4' }),
    // A lone UTF-16 surrogate (a cut emoji): stored as U+FFFD either way, not a failed run.
    message('m13', { ...citra, name: 'Citra \ud83d' }, 'half an emoji \ud83d here'),
  ];
}

/** Everything the events stored, with row ids replaced by what they point at (ids differ with skipped inserts). */
async function storedState(prisma: PrismaClient) {
  const communities = new Map((await prisma.community.findMany()).map((c) => [c.id, c.externalId]));
  const byCommunity = <T extends { communityId: number }>(rows: T[]) =>
    rows.map(({ communityId, ...rest }) => ({ community: communities.get(communityId)!, ...rest })).sort((a, b) => a.community.localeCompare(b.community));
  const members = byCommunity(await prisma.member.findMany({ orderBy: [{ externalId: 'asc' }, { communityId: 'asc' }] }));
  const memberKey = new Map(members.map((m) => [m.id, m.externalId]));
  const channels = byCommunity(await prisma.channel.findMany({ orderBy: [{ externalId: 'asc' }, { communityId: 'asc' }] }));
  const channelKey = new Map(channels.map((c) => [c.id, c.externalId]));
  const messages = byCommunity(await prisma.message.findMany({ orderBy: [{ externalId: 'asc' }, { communityId: 'asc' }] }));
  const questions = byCommunity(await prisma.question.findMany({ orderBy: [{ messageExternalId: 'asc' }, { communityId: 'asc' }] }));
  const cases = byCommunity(await prisma.moderationCase.findMany({ orderBy: [{ number: 'asc' }, { communityId: 'asc' }] }));
  const profiles = await prisma.engagementProfile.findMany({ include: { member: { select: { externalId: true } } } });
  const processed = byCommunity(await prisma.processedEvent.findMany({ orderBy: [{ eventId: 'asc' }, { communityId: 'asc' }] }));
  return {
    members: members.map(({ id: _id, createdAt: _c, updatedAt: _u, personId: _p, ...rest }) => rest),
    channels: channels.map(({ id: _id, createdAt: _c, ...rest }) => rest),
    messages: messages.map(({ id: _id, channelId, authorId, ...rest }) => ({ ...rest, channel: channelKey.get(channelId), author: memberKey.get(authorId) })),
    questions: questions.map(({ id: _id, askerId, answeredById, resolvedById, acceptedAnswerById, ...rest }) => ({
      ...rest,
      asker: memberKey.get(askerId),
      answeredBy: answeredById && memberKey.get(answeredById),
      resolvedBy: resolvedById && memberKey.get(resolvedById),
      acceptedAnswerBy: acceptedAnswerById && memberKey.get(acceptedAnswerById),
    })),
    cases: cases.map(({ id: _id, memberId, moderatorId, escalatedFromId, createdAt: _c, ...rest }) => ({
      ...rest,
      member: memberId && memberKey.get(memberId),
      moderator: moderatorId && memberKey.get(moderatorId),
      escalated: escalatedFromId !== null,
    })),
    profiles: profiles.map(({ memberId: _m, ...rest }) => rest).sort((a, b) => a.member.externalId.localeCompare(b.member.externalId)),
    processed: processed.map(({ community, eventId, type, occurredAt }) => ({ community, eventId, type, occurredAt })),
  };
}

const summary = (outcome: EventOutcome) => ({ status: outcome.status, actions: outcome.actions });

describe.each(DATABASE_KINDS)('events that arrive together on %s', (kind) => {
  const engines: TestEngine[] = [];
  afterEach(async () => {
    for (const t of engines.splice(0)) await t.dispose();
  });

  it('leave the same rows, actions and jobs as the same events handled one at a time', async () => {
    const options = { configFiles: { 'communities/g1.yaml': 'community: g1\nname: Guyub\n' }, start: new Date(start + 60_000) };
    const alone = await createTestEngine(kind, options);
    const together = await createTestEngine(kind, options);
    engines.push(alone, together);

    const sequential: EventOutcome[] = [];
    for (const e of busyStream()) sequential.push(await alone.engine.handle(e));
    const concurrent = await Promise.all(busyStream().map((e) => together.engine.handle(e)));

    expect(concurrent.map(summary)).toEqual(sequential.map(summary));
    expect(sequential.filter((o) => o.status === 'duplicate')).toHaveLength(2);
    expect(sequential.filter((o) => o.status === 'processed').flatMap((o) => o.actions).map((a) => a.type)).toEqual(
      expect.arrayContaining(['message.delete', 'member.timeout', 'message.send', 'reply.ephemeral']),
    );
    const [a, b] = [await storedState(alone.database.prisma), await storedState(together.database.prisma)];
    expect(b).toEqual(a);
    expect(a.questions.map((q) => [q.messageExternalId, q.status])).toEqual(expect.arrayContaining([['m4', 'resolved']]));
    expect(a.messages.find((m) => m.externalId === 'm1')?.text).toBe('good morning, everyone');
    expect(a.messages.find((m) => m.externalId === 'm13')?.text).toBe('half an emoji \ufffd here');
    expect(a.members.find((m) => m.externalId === 'u-bot')?.isBot).toBe(true);
    expect(a.members.find((m) => m.externalId === 'u-budi')).toMatchObject({ joinCount: 1, leftAt: null });
    expect(a.members.find((m) => m.externalId === 'u-eka')).toMatchObject({ joinCount: 0, leftAt: expect.any(Date) });
    expect(a.channels.find((c) => c.externalId === 'c-help')?.name).toBe('help-desk');
    // Jobs are named by row ids, which differ with the order communities are first stored in.
    const jobs = async (t: TestEngine) => (await t.scheduler.pendingJobIds()).map((id) => id.replace(/:question:\d+:/, ':question:#:')).sort();
    expect(await jobs(together)).toEqual(await jobs(alone));
    expect((await jobs(alone)).filter((id) => id.includes(':question:'))).toEqual(['discord:g1:question:#:escalation', 'discord:g2:question:#:escalation']);
  });

  it('handles a busy community in fewer transactions than events, in arrival order', async () => {
    const seen: { id: string; together: number }[] = [];
    const probe: Capability = {
      name: 'probe',
      on: {
        'message.created': async (e, ctx) => {
          seen.push({ id: e.id, together: ctx.run.events.length });
          return [];
        },
      },
    };
    const t = await createTestEngine(kind, { capabilities: [probe] });
    engines.push(t);
    second = 0;
    // One message carries half an emoji (a lone surrogate), which must not break the run.
    const events = Array.from({ length: 40 }, (_, i) => at({ type: 'message.created', channel: 'c1', author: i % 2 ? ayu : budi, text: i === 7 ? 'half \ud83d' : `n${i}` }, `x${i}`));
    // A quiet community's event goes alone, at once; those arriving while it is busy go together.
    expect((await t.engine.handle(events[0])).status).toBe('processed');
    const outcomes = await Promise.all(events.slice(1).map((e) => t.engine.handle(e)));
    expect(outcomes.every((o) => o.status === 'processed')).toBe(true);
    expect(seen.map((s) => s.id)).toEqual(events.map((e) => e.id));
    expect(seen.map((s) => s.together)).toEqual([1, ...Array(39).fill(39)]);
    expect(await t.database.prisma.message.count()).toBe(40);
  });

  it('fails only the broken event of a run; the others are processed', async () => {
    const probe: Capability = {
      name: 'probe',
      on: {
        'message.created': async (e) => {
          if (e.text === 'boom') throw new Error('probe exploded');
          return [{ type: 'message.send', channel: e.channel, message: { text: `echo ${e.text}` } }];
        },
      },
    };
    const t = await createTestEngine(kind, { capabilities: [probe] });
    engines.push(t);
    second = 0;
    const texts = ['one', 'two', 'boom', 'four'];
    const outcomes = await Promise.all(texts.map((text, i) => t.engine.handle(at({ type: 'message.created', channel: 'c1', author: ayu, text }, `b${i}`))));
    expect(outcomes.map((o) => o.status)).toEqual(['processed', 'processed', 'failed', 'processed']);
    expect(outcomes[3]!.actions.map((a) => (a.type === 'message.send' ? a.message.text : a.type))).toEqual(['echo four']);
    expect((await t.database.prisma.message.findMany({ orderBy: { externalId: 'asc' } })).map((m) => m.externalId)).toEqual(['b0', 'b1', 'b3']);
  });
});

describe('an engine that waits out store outages', () => {
  const engines: TestEngine[] = [];
  afterEach(async () => {
    for (const t of engines.splice(0)) await t.dispose();
  });

  it('retries the event that met an unreachable database in its place: none behind it overtakes it', async () => {
    let failuresLeft = 3;
    const order: string[] = [];
    const flaky: Capability = {
      name: 'flaky',
      on: {
        'message.created': async (e) => {
          if (e.text === 'flaky' && failuresLeft > 0) {
            failuresLeft--;
            throw Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: 'P1001' });
          }
          order.push(e.id);
          return [];
        },
      },
    };
    const t = await createTestEngine('pglite', { capabilities: [flaky], storeOutages: { retryDelayMs: 5, maxRetryDelayMs: 20 } });
    engines.push(t);
    const { engine } = t;
    second = 0;
    const texts = ['first', 'flaky', 'third', 'fourth'];
    const outcomes = await Promise.all(texts.map((text, i) => engine.handle(at({ type: 'message.created', channel: 'c1', author: ayu, text }, `o${i}`))));
    expect(outcomes.map((o) => o.status)).toEqual(['processed', 'processed', 'processed', 'processed']);
    // A handler may run again when its run is rolled back; what counts is that o1 succeeded before o2 or o3 ran.
    expect(order.indexOf('o1')).toBeGreaterThan(-1);
    expect(order.findIndex((id) => id === 'o2' || id === 'o3')).toBeGreaterThan(order.indexOf('o1'));
    expect(await t.database.prisma.message.count()).toBe(4);
    expect(failuresLeft).toBe(0);
  });

  it('gives the event back as failed when the engine is told to stop while waiting', async () => {
    const down: Capability = {
      name: 'down',
      on: {
        'message.created': async () => {
          throw Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: 'P1001' });
        },
      },
    };
    const stop = new AbortController();
    const t = await createTestEngine('pglite', { capabilities: [down], storeOutages: { signal: stop.signal, retryDelayMs: 5, maxRetryDelayMs: 10 } });
    engines.push(t);
    const { engine } = t;
    second = 0;
    const handled = Promise.allSettled(['a', 'b'].map((text, i) => engine.handle(at({ type: 'message.created', channel: 'c1', author: ayu, text }, `s${i}`))));
    setTimeout(() => stop.abort(), 100);
    const [first, second_] = await handled;
    expect(first).toMatchObject({ status: 'fulfilled', value: { status: 'failed' } });
    // Never tried: the caller hears why, and may hand it to the next process.
    expect(second_).toMatchObject({ status: 'rejected' });
    expect(await t.database.prisma.message.count()).toBe(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Capability } from '../../src/engine/capability.js';
import { createTestEngine, DATABASE_KINDS, event, type TestEngine } from '../support/test-engine.js';

const ayu = { id: 'u-ayu', name: 'Ayu', roles: ['member'] };
const budi = { id: 'u-budi', name: 'Budi' };

/** A capability for exercising the pipeline: echoes messages, fails on "boom", schedules on "later". */
const probe: Capability = {
  name: 'probe',
  on: {
    'message.created': async (e, ctx) => {
      if (e.text === 'boom') throw new Error('probe exploded');
      if (e.text === 'later') {
        ctx.schedule({ id: `remind:${e.id}`, name: 'probe.remind', runAt: new Date(new Date(e.at).getTime() + 60_000), payload: { channel: e.channel } });
        return [];
      }
      if (e.text === 'never mind') ctx.cancel(`remind:${e.replyTo}`);
      return [{ type: 'message.send', channel: e.channel, message: { text: `echo ${e.text}` } }];
    },
    'command.invoked': async (e) =>
      e.command === 'ping' ? [{ type: 'reply.ephemeral', member: e.member.id, message: { text: 'pong' } }] : [],
  },
  jobs: {
    'probe.remind': async (ctx) => [{ type: 'message.send', channel: String(ctx.job.payload.channel), message: { text: `reminder at ${ctx.clock.now().toISOString()}` } }],
  },
};

describe.each(DATABASE_KINDS)('event pipeline on %s', (kind) => {
  let t: TestEngine;
  afterEach(async () => t.dispose());

  it('records the member, channel and message of an event, then edits and deletions', async () => {
    t = await createTestEngine(kind, { capabilities: [] });
    await t.engine.handle(event({ type: 'message.created', channel: 'c1', channelName: 'general', author: ayu, text: 'hello', mentions: ['u-budi'] }, { id: 'm1' }));
    await t.engine.handle(event({ type: 'message.created', channel: 'c1', author: budi, text: 'hi Ayu', replyTo: 'm1' }, { id: 'm2' }));
    await t.engine.handle(event({ type: 'message.edited', channel: 'c1', author: ayu, messageId: 'm1', text: 'hello all' }));
    await t.engine.handle(event({ type: 'message.deleted', channel: 'c1', messageId: 'm2' }));
    const { prisma } = t.database;
    expect(await prisma.member.findMany({ orderBy: { id: 'asc' }, select: { externalId: true, name: true, roles: true } })).toEqual([
      { externalId: 'u-ayu', name: 'Ayu', roles: ['member'] },
      { externalId: 'u-budi', name: 'Budi', roles: [] },
    ]);
    expect(await prisma.channel.findMany({ select: { externalId: true, name: true } })).toEqual([{ externalId: 'c1', name: 'general' }]);
    const messages = await prisma.message.findMany({ orderBy: { id: 'asc' } });
    expect(messages.map((m) => [m.externalId, m.text, m.replyToExternalId, m.editedAt !== null, m.deletedAt !== null])).toEqual([
      ['m1', 'hello all', null, true, false],
      ['m2', 'hi Ayu', 'm1', false, true],
    ]);
    expect(messages[0]?.mentions).toEqual(['u-budi']);
  });

  it('rejects a malformed event with the reason and stores nothing', async () => {
    t = await createTestEngine(kind, { capabilities: [] });
    const outcome = await t.engine.handle({ type: 'message.created', id: 'x', platform: 'discord', community: 'g1', at: 'now', text: 1 });
    expect(outcome.status).toBe('invalid');
    expect(outcome.status === 'invalid' && outcome.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^at: /), expect.stringMatching(/^channel: /)]));
    expect(await t.database.prisma.processedEvent.count()).toBe(0);
  });

  it('rolls back everything an event did when a handler fails, so a retry is processed', async () => {
    t = await createTestEngine(kind, { capabilities: [probe] });
    const boom = event({ type: 'message.created', channel: 'c1', author: ayu, text: 'boom' });
    const outcome = await t.engine.handle(boom);
    expect(outcome.status).toBe('failed');
    expect(await t.database.prisma.processedEvent.count()).toBe(0);
    expect(await t.database.prisma.message.count()).toBe(0);
    expect((await t.engine.handle(boom)).status).toBe('failed');
  });

  it('answers a command that no capability knows, and a failed command, to its invoker only', async () => {
    t = await createTestEngine(kind, { capabilities: [probe] });
    const unknown = await t.engine.handle(event({ type: 'command.invoked', channel: 'c1', member: ayu, command: 'dance', options: {} }));
    expect(unknown.actions).toEqual([expect.objectContaining({ type: 'reply.ephemeral', member: 'u-ayu', message: { text: 'There is no /dance command here. Try /help.' } })]);
    const known = await t.engine.handle(event({ type: 'command.invoked', channel: 'c1', member: ayu, command: 'ping', options: {} }));
    expect(known.actions).toEqual([expect.objectContaining({ type: 'reply.ephemeral', message: { text: 'pong' } })]);
  });

  it('answers a button press that no capability knows, to the member only', async () => {
    t = await createTestEngine(kind, { capabilities: [probe] });
    const outcome = await t.engine.handle(event({ type: 'component.used', channel: 'c1', member: ayu, componentId: 'gone:1' }));
    expect(outcome.actions).toEqual([expect.objectContaining({ type: 'reply.ephemeral', member: 'u-ayu', message: { text: 'This button is no longer active.' } })]);
  });

  it("keeps one community's events in arrival order while they are handled concurrently", async () => {
    t = await createTestEngine(kind, { capabilities: [probe] });
    const events = Array.from({ length: 40 }, (_, i) =>
      event({ type: 'message.created', channel: 'c1', author: i % 2 ? ayu : budi, text: `n${i}` }, { community: i % 4 === 0 ? 'g2' : 'g1' }),
    );
    const outcomes = await Promise.all(events.map((e) => t.engine.handle(e)));
    expect(outcomes.every((o) => o.status === 'processed')).toBe(true);
    for (const community of ['g1', 'g2']) {
      const stored = await t.database.prisma.message.findMany({ where: { community: { externalId: community } }, orderBy: { id: 'asc' }, select: { text: true } });
      const sent = events.filter((e) => e.community === community).map((e) => e.text);
      expect(stored.map((m) => m.text)).toEqual(sent);
    }
  });

  it('runs a scheduled job once, after its event committed, with the clock at its due time', async () => {
    t = await createTestEngine(kind, { capabilities: [probe] });
    const delivered: unknown[] = [];
    t.engine.attachJobs(async (actions) => void delivered.push(...actions));
    await t.engine.handle(event({ type: 'message.created', channel: 'c1', author: ayu, text: 'later' }, { id: 'later-1', at: '2026-11-01T10:00:00Z' }));
    await t.scheduler.runUntil(new Date('2026-11-01T11:00:00Z'));
    expect(delivered).toEqual([
      {
        type: 'message.send',
        platform: 'discord',
        community: 'g1',
        cause: 'job:discord:g1:remind:later-1@2026-11-01T10:01:00.000Z',
        channel: 'c1',
        message: { text: 'reminder at 2026-11-01T10:01:00.000Z' },
      },
    ]);
  });

  it('does the effect of a job once when it is delivered twice', async () => {
    t = await createTestEngine(kind, { capabilities: [probe] });
    const job = { id: 'discord:g1:remind:x', name: 'probe.remind', dueAt: new Date('2026-11-01T10:00:00Z'), payload: { platform: 'discord', community: 'g1', channel: 'c1' } };
    expect(await t.engine.runJob(job)).toHaveLength(1);
    expect(await t.engine.runJob(job)).toEqual([]);
  });

  it('cancels a scheduled job from a later event', async () => {
    t = await createTestEngine(kind, { capabilities: [probe] });
    let delivered = 0;
    t.engine.attachJobs(async (actions) => void (delivered += actions.length));
    await t.engine.handle(event({ type: 'message.created', channel: 'c1', author: ayu, text: 'later' }, { id: 'later-2', at: '2026-11-01T10:00:00Z' }));
    await t.engine.handle(event({ type: 'message.created', channel: 'c1', author: ayu, text: 'never mind', replyTo: 'later-2' }, { at: '2026-11-01T10:00:30Z' }));
    await t.scheduler.runUntil(new Date('2026-11-01T12:00:00Z'));
    expect(delivered).toBe(0);
  });
});

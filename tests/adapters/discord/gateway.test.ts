import { GatewayDispatchEvents } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import { member, memberAdd, message, reactionAdd, user } from '../../support/fake-discord/index.js';
import { KOPI, startHarness, waitUntil, type Harness } from './harness.js';

describe('Discord adapter: the gateway connection drops and discord.js resumes', () => {
  let h: Harness;
  let kopiId: string;
  let general: { id: string };
  let sent = 0;

  beforeAll(async () => {
    h = await startHarness();
    kopiId = h.fake.guild(KOPI.name).id;
    general = h.fake.channel(KOPI.name, 'general');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const say = (count: number) => {
    for (let i = 0; i < count; i++) {
      sent++;
      h.fake.dispatch(GatewayDispatchEvents.MessageCreate, message({ guildId: kopiId, channelId: general.id, author: h.ayu, content: `message number ${sent}` }));
    }
  };
  const storedMessages = () => h.test.database.prisma.message.count({ where: { community: { externalId: kopiId } } });

  it('resumes after close code 4000 and receives what was dispatched while it was away, each message once', async () => {
    say(3);
    await h.waitForEvents(3);
    h.fake.closeGateway({ code: 4000 });
    say(3);
    const resume = await h.fake.waitForResume();
    expect(resume.session_id).toMatch(/^session-/);
    expect(resume.seq).toBeGreaterThanOrEqual(1);
    await h.waitForEvents(6);
    await waitUntil(() => h.outcomes.length >= 6);
    expect(h.fake.identifies).toHaveLength(1);
    expect(h.events.map((e) => (e.type === 'message.created' ? e.text : e.type))).toEqual([1, 2, 3, 4, 5, 6].map((n) => `message number ${n}`));
    expect(await storedMessages()).toBe(6);
  });

  it('resumes after the socket is cut; dispatches Discord sends again are handled once (the engine skips the duplicates)', async () => {
    // Neither reactions nor messages are cached, so discord.js passes a resend on and the engine must skip it.
    const first = h.events[0]!;
    for (const emoji of ['👍', '🔥']) {
      h.fake.dispatch(GatewayDispatchEvents.MessageReactionAdd, reactionAdd({ guildId: kopiId, channelId: general.id, messageId: first.id, member: h.mod, emoji: { name: emoji } }));
    }
    await waitUntil(() => h.outcomes.length >= 8);
    h.fake.closeGateway({ abrupt: true, resendOverlap: 2 });
    say(2);
    await h.fake.waitForResume();
    // The two reactions again, then the two new messages.
    await waitUntil(() => h.outcomes.length >= 12);
    expect(h.events.slice(8).map((e) => e.type)).toEqual(['reaction.added', 'reaction.added', 'message.created', 'message.created']);
    expect(h.outcomes.slice(8).map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'processed', 'processed']);
    expect(h.fake.identifies).toHaveLength(1);
    expect(await storedMessages()).toBe(8);
    expect(await h.test.database.prisma.reaction.count({ where: { community: { externalId: kopiId } } })).toBe(2);
  });
});

describe('Discord adapter: stopping', () => {
  it('stops taking events at stop(), finishes those in flight and carries out actions until dispose()', async () => {
    let released = false;
    const h = await startHarness({
      beforeHandle: async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        released = true;
      },
    });
    try {
      const kopiId = h.fake.guild(KOPI.name).id;
      const general = h.fake.channel(KOPI.name, 'general');
      // A join in flight when the adapter stops: its welcome is posted all the same.
      const newcomer = user('Citra');
      h.fake.dispatch(GatewayDispatchEvents.GuildMemberAdd, memberAdd(kopiId, { ...member(newcomer), user: newcomer }));
      await h.waitForEvents(1);
      await h.adapter.stop();
      expect(released).toBe(true);
      expect(h.outcomes).toHaveLength(1);
      const welcome = h.fake.callsTo('POST', `/channels/${general.id}/messages`).find((c) => String(c.body?.content).includes(newcomer.id));
      expect(welcome?.status).toBe(200);
      expect(h.logs.filter((l) => l.msg === 'platform action failed')).toEqual([]);

      // The gateway is closed: what Discord sends now is not taken.
      await waitUntil(() => !h.fake.gatewayOpen, 5000, 'the gateway to close');
      h.fake.dispatch(GatewayDispatchEvents.MessageCreate, message({ guildId: kopiId, channelId: general.id, author: h.ayu, content: 'too late' }));

      // The outboxes and jobs, stopped after the adapters, still get their actions carried out.
      const send = (text: string): Action => ({ type: 'message.send', platform: 'discord', community: kopiId, cause: 'job:after-stop', channel: 'general', message: { text } });
      await h.adapter.execute([send('after stop')]);
      const sent = h.fake.callsTo('POST', `/channels/${general.id}/messages`).find((c) => c.body?.content === 'after stop');
      expect(sent).toMatchObject({ status: 200, headers: { authorization: 'Bot fake-token' } });

      await h.adapter.dispose();
      await expect(h.adapter.execute([send('after dispose')])).rejects.toThrow(/disposed/);
      expect(h.fake.calls.some((c) => c.body?.content === 'after dispose')).toBe(false);
      expect(h.events).toHaveLength(1);
    } finally {
      await h.fake.stop();
      await h.test.dispose();
    }
  });
});

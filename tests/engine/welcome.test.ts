import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestEngine, DATABASE_KINDS, event, type TestEngine } from '../support/test-engine.js';

const ayu = { id: 'u-ayu', name: 'Ayu' };

describe.each(DATABASE_KINDS)('welcome on %s', (kind) => {
  let t: TestEngine;
  afterEach(async () => t.dispose());

  describe('with the default configuration', () => {
    beforeEach(async () => {
      t = await createTestEngine(kind);
    });

    it('greets a new member in the welcome channel with links to the rules and introductions', async () => {
      const outcome = await t.engine.handle(event({ type: 'member.joined', member: ayu }, { id: 'join-1' }));
      expect(outcome.status).toBe('processed');
      expect(outcome.actions).toEqual([
        {
          type: 'message.send',
          platform: 'discord',
          community: 'g1',
          cause: 'join-1',
          channel: 'general',
          message: { text: 'Welcome to g1, <@u-ayu>! 👋 Please read <#rules>, then tell us a little about yourself in <#introductions>.' },
        },
      ]);
    });

    it('welcomes once when the platform delivers the same join twice', async () => {
      const join = event({ type: 'member.joined', member: ayu });
      expect((await t.engine.handle(join)).actions).toHaveLength(1);
      const again = await t.engine.handle(join);
      expect(again.status).toBe('duplicate');
      expect(again.actions).toEqual([]);
      expect(await t.database.prisma.processedEvent.count()).toBe(1);
    });

    it('ignores a second join, under another id, for a member who is still here', async () => {
      await t.engine.handle(event({ type: 'member.joined', member: ayu }));
      expect((await t.engine.handle(event({ type: 'member.joined', member: ayu }))).actions).toEqual([]);
    });

    it('welcomes back a member who left and returned', async () => {
      await t.engine.handle(event({ type: 'member.joined', member: ayu }));
      await t.engine.handle(event({ type: 'member.left', member: ayu }));
      const outcome = await t.engine.handle(event({ type: 'member.joined', member: ayu }));
      expect(outcome.actions.map((a) => (a.type === 'message.send' ? a.message.text : a.type))).toEqual(['Welcome back to g1, <@u-ayu>! 🙌']);
    });

    it('does not greet bots', async () => {
      expect((await t.engine.handle(event({ type: 'member.joined', member: { id: 'b1', name: 'Helper', bot: true } }))).actions).toEqual([]);
    });

    it('links channels by the ids the adapter reported for their names', async () => {
      await t.engine.handle(event({ type: 'message.created', channel: 'C-RULES', channelName: 'rules', author: { id: 'm', name: 'Mod' }, text: 'Be kind.' }));
      await t.engine.handle(event({ type: 'message.created', channel: 'C-GEN', channelName: 'general', author: { id: 'm', name: 'Mod' }, text: 'hi' }));
      const outcome = await t.engine.handle(event({ type: 'member.joined', member: ayu }));
      expect(outcome.actions[0]).toMatchObject({ channel: 'C-GEN', message: { text: expect.stringContaining('<#C-RULES>') } });
    });

    it('uses the community name the platform reports', async () => {
      const outcome = await t.engine.handle(event({ type: 'member.joined', member: ayu, communityName: 'Kopi Lovers' }));
      expect(outcome.actions[0]).toMatchObject({ message: { text: expect.stringContaining('Welcome to Kopi Lovers,') } });
    });
  });

  it('greets in Indonesian, sends a DM and gives the automatic role when configured', async () => {
    t = await createTestEngine(kind, {
      configFiles: {
        'communities/g1.yaml': 'community: g1\nname: Komunitas Kopi\nlocale: id\nwelcome:\n  channel: lobi\n  autoRole: pendatang\n  dm:\n    enabled: true\n',
      },
    });
    const outcome = await t.engine.handle(event({ type: 'member.joined', member: ayu }, { id: 'join-id' }));
    expect(outcome.actions).toEqual([
      expect.objectContaining({ type: 'message.send', channel: 'lobi', message: { text: 'Selamat datang di Komunitas Kopi, <@u-ayu>! 👋 Silakan baca <#rules>, lalu perkenalkan dirimu di <#introductions>.' } }),
      expect.objectContaining({ type: 'message.send', member: 'u-ayu', message: { text: expect.stringMatching(/^Halo Ayu, selamat bergabung di Komunitas Kopi!/) } }),
      expect.objectContaining({ type: 'role.add', member: 'u-ayu', role: 'pendatang', reason: 'Anggota baru: peran otomatis', cause: 'join-id' }),
    ]);
  });

  it('echoes a display name without its mentions when a template uses {{memberName}}', async () => {
    t = await createTestEngine(kind, {
      configFiles: { 'communities/g1.yaml': 'community: g1\nwelcome:\n  message:\n    en: "Hello {{memberName}}!"\n' },
    });
    const outcome = await t.engine.handle(event({ type: 'member.joined', member: { id: 'u-x', name: 'Hi <@&123> @everyone' } }));
    const text = (outcome.actions[0] as { message: { text: string } }).message.text;
    expect(text).not.toMatch(/<@&|@everyone/);
    expect(text.replace(/\u200b/g, '')).toBe('Hello Hi <@&123> @everyone!');
  });

  it('stays quiet when welcome is disabled', async () => {
    t = await createTestEngine(kind, { configFiles: { 'communities/g1.yaml': 'community: g1\nwelcome:\n  enabled: false\n' } });
    expect((await t.engine.handle(event({ type: 'member.joined', member: ayu }))).actions).toEqual([]);
  });
});

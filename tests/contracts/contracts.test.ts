import { describe, expect, it } from 'vitest';
import { ActionSchema, CommunityEventSchema } from '../../src/contracts/index.js';

const base = { id: 'e1', platform: 'discord', community: 'g1', at: '2026-11-01T10:00:00Z' } as const;
const ayu = { id: 'u1', name: 'Ayu' };

describe('CommunityEvent contract', () => {
  it('accepts every event type of DESIGN §3.1', () => {
    const events = [
      { ...base, type: 'member.joined', member: ayu },
      { ...base, type: 'member.left', member: ayu },
      { ...base, type: 'message.created', channel: 'c1', author: ayu, text: 'hi', thread: 'm0', replyTo: 'm0', mentions: ['u2'], attachments: 1 },
      { ...base, type: 'message.edited', channel: 'c1', author: ayu, messageId: 'm1', text: 'hello' },
      { ...base, type: 'message.deleted', channel: 'c1', messageId: 'm1' },
      { ...base, type: 'reaction.added', channel: 'c1', member: ayu, messageId: 'm1', emoji: '✅' },
      { ...base, type: 'command.invoked', channel: 'c1', member: ayu, command: 'warn', options: { member: 'u2', reason: 'spam', days: 3, dm: true } },
      { ...base, type: 'component.used', channel: 'c1', member: ayu, componentId: 'poll:1:vote:2', values: ['a'] },
    ];
    for (const event of events) expect(CommunityEventSchema.safeParse(event).success, event.type).toBe(true);
  });

  it('keeps extra fields that adapters add', () => {
    const parsed = CommunityEventSchema.parse({ ...base, type: 'member.joined', member: { ...ayu, avatar: 'x.png' }, channelName: 'general' });
    expect(parsed).toMatchObject({ channelName: 'general', member: { avatar: 'x.png' } });
  });

  it('rejects an unknown type, a bad platform and a time without a zone', () => {
    expect(CommunityEventSchema.safeParse({ ...base, type: 'member.waved', member: ayu }).success).toBe(false);
    expect(CommunityEventSchema.safeParse({ ...base, platform: 'irc', type: 'member.joined', member: ayu }).success).toBe(false);
    expect(CommunityEventSchema.safeParse({ ...base, at: 'yesterday', type: 'member.joined', member: ayu }).success).toBe(false);
  });

  it('names the missing field of a malformed event', () => {
    const result = CommunityEventSchema.safeParse({ ...base, type: 'message.created', author: ayu, text: 'hi' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain('channel');
  });
});

describe('Action contract', () => {
  const common = { platform: 'slack', community: 'T1', cause: 'e1' } as const;

  it('accepts every action type of DESIGN §3.2 and the moderation extensions', () => {
    const message = { text: 'hi **there**', fields: [{ name: 'a', value: 'b' }], buttons: [{ id: 'b1', label: 'Yes', style: 'primary' }], image: { name: 'chart.png', contentType: 'image/png' } };
    const actions = [
      { ...common, type: 'message.send', channel: 'C1', message, key: 'poll:1' },
      { ...common, type: 'message.send', member: 'U1', message },
      { ...common, type: 'message.edit', key: 'poll:1', message },
      { ...common, type: 'reply.ephemeral', member: 'U1', message },
      { ...common, type: 'message.delete', channel: 'C1', messageId: 'm1', reason: 'spam' },
      { ...common, type: 'member.timeout', member: 'U1', seconds: 600, reason: 'flood' },
      { ...common, type: 'member.kick', member: 'U1', reason: 'r' },
      { ...common, type: 'member.ban', member: 'U1', reason: 'r' },
      { ...common, type: 'member.untimeout', member: 'U1', reason: 'r' },
      { ...common, type: 'member.unban', member: 'U1', reason: 'r' },
      { ...common, type: 'entry.restrict', mode: 'lock', reason: 'raid' },
      { ...common, type: 'role.add', member: 'U1', role: 'regular', reason: 'r' },
      { ...common, type: 'role.remove', member: 'U1', role: 'regular', reason: 'r' },
    ];
    for (const action of actions) expect(ActionSchema.safeParse(action).success, action.type).toBe(true);
  });

  it('requires exactly one destination for message.send', () => {
    expect(ActionSchema.safeParse({ ...common, type: 'message.send', message: { text: 'x' } }).success).toBe(false);
    expect(ActionSchema.safeParse({ ...common, type: 'message.send', channel: 'C', member: 'U', message: { text: 'x' } }).success).toBe(false);
  });

  it('requires a key or a message id for message.edit', () => {
    expect(ActionSchema.safeParse({ ...common, type: 'message.edit', message: { text: 'x' } }).success).toBe(false);
  });
});

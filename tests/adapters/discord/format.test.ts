import { ButtonStyle } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../src/adapters/discord/format/render.js';
import { convertMentions, threadNameFrom, truncate, type MentionTargets } from '../../../src/adapters/discord/format/text.js';

const targets: MentionTargets = {
  channelId: (name) => ({ general: '100000000000000001', help: '100000000000000002' })[name],
  roleId: (name) => ({ moderator: '200000000000000001' })[name.toLowerCase()],
};

describe('Discord rendering of the neutral message', () => {
  it('keeps member mentions, turns channel and role names into ids, and writes unknown names as plain text', () => {
    expect(convertMentions('<@300000000000000001> see <#general>, <#100000000000000009>, <#nowhere>; <@&Moderator> <@&ghosts>', targets)).toEqual({
      text: '<@300000000000000001> see <#100000000000000001>, <#100000000000000009>, #nowhere; <@&200000000000000001> @ghosts',
      roleIds: ['200000000000000001'],
    });
  });

  it('sends plain text as content, never pinging @everyone, @here or roles it did not write', () => {
    const { body, files } = renderMessage({ text: 'hello @everyone and @here' }, { targets });
    expect(body).toEqual({ content: 'hello @everyone and @here', embeds: [], components: [], allowed_mentions: { parse: ['users'], roles: [] } });
    expect(files).toEqual([]);
  });

  it('puts fields or long text in an embed, truncated to Discord limits with an ellipsis', () => {
    const long = 'x'.repeat(5000);
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `field ${i}`, value: i === 0 ? 'y'.repeat(2000) : i === 1 ? '' : 'ok' }));
    const { body } = renderMessage({ text: long, fields }, { targets });
    const embed = body.embeds[0]!;
    expect(body.content).toBe('');
    expect(embed.description).toHaveLength(4096);
    expect(embed.description!.endsWith('…')).toBe(true);
    expect(embed.fields).toHaveLength(25);
    expect(embed.fields![0]!.value).toHaveLength(1024);
    expect(embed.fields![0]!.value.endsWith('…')).toBe(true);
    expect(embed.fields![1]!.value).toBe('\u200b');
    const total = embed.description!.length + embed.fields!.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
  });

  it('lays out buttons five to a row, at most five rows, with their ids and styles', () => {
    const buttons = Array.from({ length: 27 }, (_, i) => ({ id: `b${i}`, label: `B${i}`, ...(i === 0 && { style: 'danger' as const }) }));
    const { body, droppedButtons } = renderMessage({ text: 'pick', buttons }, { targets });
    expect(body.components.map((row) => row.components.length)).toEqual([5, 5, 5, 5, 5]);
    expect(body.components[0]!.components[0]).toMatchObject({ custom_id: 'b0', label: 'B0', style: ButtonStyle.Danger });
    expect(body.components[0]!.components[1]).toMatchObject({ style: ButtonStyle.Secondary });
    expect(droppedButtons).toBe(2);
  });

  it('names a thread after the first line of text, without markdown or mentions, at most 100 characters', () => {
    expect(threadNameFrom('**<@1> Ayu**, meet _Budi_\nsecond line', 'thread')).toBe('Ayu, meet Budi');
    expect(threadNameFrom('<@123>', 'thread')).toBe('thread');
    expect(threadNameFrom('a'.repeat(150), 'thread')).toHaveLength(100);
    expect(truncate('abc', 3)).toBe('abc');
  });
});

import { describe, expect, it } from 'vitest';
import {
  AUTOMOD_PRESETS,
  AutomodConfigSchema,
  DEFAULT_AUTOMOD_CONFIG,
  evaluateMessage,
  InMemoryRateCounters,
  resolveAutomodRules,
  testText,
} from '../../../../src/engine/moderation/automod/index.js';
import { message, rulesFor } from './helpers.js';

describe('automod configuration', () => {
  it('defaults to the standard preset with moderators and admins exempt', () => {
    expect(AutomodConfigSchema.parse({})).toEqual(DEFAULT_AUTOMOD_CONFIG);
    expect(DEFAULT_AUTOMOD_CONFIG).toMatchObject({ enabled: true, preset: 'standard', exemptRoles: ['moderator', 'admin'] });
  });

  it('accepts what the default YAML holds', () => {
    const yaml = { enabled: true, preset: 'standard', exemptRoles: ['moderator', 'admin'], exemptChannels: [], rules: {}, channels: {} };
    expect(AutomodConfigSchema.parse(yaml)).toEqual(DEFAULT_AUTOMOD_CONFIG);
  });

  it('protects a community out of the box', () => {
    const rules = resolveAutomodRules(DEFAULT_AUTOMOD_CONFIG, 'general');
    for (const name of ['flood', 'repeats', 'links', 'invites', 'mentions', 'bannedWords', 'zalgo', 'raid'] as const) expect(rules[name].enabled).toBe(true);
  });

  it('rejects unknown settings and bad values, saying where', () => {
    const unknown = AutomodConfigSchema.safeParse({ rules: { flood: { messages: 5, perSecond: 1 } } });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.path).toEqual(['rules', 'flood']);
    expect(AutomodConfigSchema.safeParse({ rules: { caps: { ratio: 2 } } }).success).toBe(false);
    expect(AutomodConfigSchema.safeParse({ preset: 'paranoid' }).success).toBe(false);
    expect(AutomodConfigSchema.safeParse({ rules: { links: { deny: ['not a domain'] } } }).success).toBe(false);
    expect(AutomodConfigSchema.safeParse({ channels: { memes: { rules: { unknownRule: {} } } } }).success).toBe(false);
  });

  it('normalizes domains and channel names', () => {
    const config = AutomodConfigSchema.parse({ exemptChannels: ['#Off-Topic'], rules: { links: { allow: ['https://www.Example.com/path'] } }, channels: { '#Memes': {} } });
    expect(config.exemptChannels).toEqual(['off-topic']);
    expect(config.rules.links?.allow).toEqual(['example.com']);
    expect(Object.keys(config.channels)).toEqual(['memes']);
  });
});

describe('presets', () => {
  it('get stricter from relaxed to strict', () => {
    const { relaxed, standard, strict } = AUTOMOD_PRESETS;
    expect(relaxed.flood.messages).toBeGreaterThan(standard.flood.messages);
    expect(standard.flood.messages).toBeGreaterThan(strict.flood.messages);
    expect(relaxed.mentions.max).toBeGreaterThan(strict.mentions.max);
    expect(relaxed.zalgo.maxCombiningPerChar).toBeGreaterThan(strict.zalgo.maxCombiningPerChar);
    expect(relaxed.raid.joins).toBeGreaterThan(strict.raid.joins);
    expect(strict.links.mode).toBe('all-but-allowed');
  });

  it('judge the same messages differently', () => {
    const text = 'STOP POSTING THAT, see https://unknown-site.xyz';
    const rules = (preset: 'relaxed' | 'standard' | 'strict') => testText(text, rulesFor({ preset })).map((h) => h.rule);
    expect(rules('relaxed')).toEqual([]);
    expect(rules('standard')).toEqual([]);
    expect(rules('strict')).toEqual(['links', 'caps']);
    expect(testText('discord.gg/abc', rulesFor({ preset: 'relaxed' }))).toEqual([]);
    expect(testText('discord.gg/abc', rulesFor({ preset: 'standard' })).map((h) => h.points)).toEqual([2]);
    expect(testText('discord.gg/abc', rulesFor({ preset: 'strict' })).map((h) => h.points)).toEqual([3]);
  });
});

describe('resolving the rules of a channel', () => {
  it('takes the preset, then community overrides field by field', () => {
    const rules = rulesFor({ preset: 'strict', rules: { flood: { messages: 20 }, links: { allow: ['example.com'] } } });
    expect(rules.flood).toEqual({ ...AUTOMOD_PRESETS.strict.flood, messages: 20 });
    expect(rules.links.allow).toEqual(['example.com']);
    expect(rules.links.mode).toBe('all-but-allowed');
  });

  it('applies channel overrides over the community ones', () => {
    const config = {
      rules: { caps: { minLength: 10 } },
      channels: { memes: { rules: { caps: { enabled: false }, links: { mode: 'all-but-allowed' as const } } } },
    };
    const shout = 'THIS IS SO FUNNY GUYS';
    expect(testText(shout, rulesFor(config, 'general')).map((h) => h.rule)).toEqual(['caps']);
    expect(testText(shout, rulesFor(config, 'memes')).map((h) => h.rule)).toEqual([]);
    expect(testText(shout, rulesFor(config, '#MEMES')).map((h) => h.rule)).toEqual([]);
    expect(rulesFor(config, 'memes').caps.minLength).toBe(10);
    expect(testText('https://x.example', rulesFor(config, 'memes')).map((h) => h.rule)).toEqual(['links']);
  });

  it('lets a channel be stricter than the community', async () => {
    const config = { channels: { announcements: { rules: { flood: { messages: 2, seconds: 60 } } } } };
    const counters = new InMemoryRateCounters();
    const rules = rulesFor(config, 'announcements');
    const results = [];
    for (const [i, text] of ['first news', 'second thing', 'third update'].entries()) {
      results.push((await evaluateMessage(message(text, { channelName: 'announcements', at: 1e12 + i * 1000 }), rules, counters)).map((h) => h.rule));
    }
    expect(results).toEqual([[], [], ['flood']]);
  });

  it('caches per configuration object and channel', () => {
    const config = AutomodConfigSchema.parse({ preset: 'strict' });
    expect(resolveAutomodRules(config, 'general')).toBe(resolveAutomodRules(config, 'general'));
    expect(resolveAutomodRules(config, 'general')).toBe(resolveAutomodRules(config, '#General'));
    expect(resolveAutomodRules(config, 'general')).not.toBe(resolveAutomodRules(config, 'random'));
    expect(resolveAutomodRules(AutomodConfigSchema.parse({ preset: 'strict' }), 'general')).not.toBe(resolveAutomodRules(config, 'general'));
  });

  it('shares compiled word lists between channels with the same words', () => {
    const config = AutomodConfigSchema.parse({ rules: { bannedWords: { words: ['bodoh'] } } });
    expect(resolveAutomodRules(config, 'a').compiled.bannedWords).toBe(resolveAutomodRules(config, 'b').compiled.bannedWords);
  });

  it('resolves quickly enough for the hot path', () => {
    const config = AutomodConfigSchema.parse({});
    resolveAutomodRules(config, 'general');
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) resolveAutomodRules(config, 'general');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

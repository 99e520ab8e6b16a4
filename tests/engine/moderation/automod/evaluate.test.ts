import { describe, expect, it } from 'vitest';
import { evaluateJoin, evaluateMessage, InMemoryRateCounters, testText, type RuleHit } from '../../../../src/engine/moderation/automod/index.js';
import { message, rulesFor, T0 } from './helpers.js';

const standard = rulesFor();
const rulesOf = (hits: RuleHit[]) => hits.map((h) => h.rule);

describe('exemptions', () => {
  it('never judges bots', async () => {
    expect(await evaluateMessage(message('fuck @everyone', { isBot: true }), standard, new InMemoryRateCounters())).toEqual([]);
  });

  it('never judges members with an exempt role, whatever its case', async () => {
    const counters = new InMemoryRateCounters();
    expect(await evaluateMessage(message('fuck @everyone', { memberRoles: ['member', 'Moderator'] }), standard, counters)).toEqual([]);
    const rules = rulesFor({ exemptRoles: ['Trusted'] });
    expect(await evaluateMessage(message('fuck', { memberRoles: ['trusted'] }), rules, counters)).toEqual([]);
    expect(rulesOf(await evaluateMessage(message('fuck', { memberRoles: ['moderator'] }), rules, counters))).toEqual(['bannedWords']);
  });

  it('ignores exempt and disabled channels', async () => {
    const config = { exemptChannels: ['#Off-Topic'], channels: { nsfw: { enabled: false } } };
    const counters = new InMemoryRateCounters();
    expect(await evaluateMessage(message('fuck', { channelName: 'off-topic' }), rulesFor(config, 'off-topic'), counters)).toEqual([]);
    expect(await evaluateMessage(message('fuck', { channelName: 'nsfw' }), rulesFor(config, 'nsfw'), counters)).toEqual([]);
    expect(rulesOf(await evaluateMessage(message('fuck'), rulesFor(config, 'general'), counters))).toEqual(['bannedWords']);
  });

  it('does nothing when automod is off for the community', async () => {
    const rules = rulesFor({ enabled: false });
    expect(await evaluateMessage(message('fuck @everyone'), rules, new InMemoryRateCounters())).toEqual([]);
    expect(await evaluateJoin({ communityKey: 'g', memberId: 'm', at: T0 }, rules, new InMemoryRateCounters())).toEqual({ raid: false });
  });

  it('still lets moderators test text in an exempt channel', () => {
    expect(rulesOf(testText('fuck', rulesFor({ exemptChannels: ['general'] })))).toEqual(['bannedWords']);
  });
});

describe('hostile input', () => {
  it('judges a 100 KB message quickly and still finds a banned word at its end', async () => {
    const text = 'lorem ipsum dolor sit amet, consectetur adipiscing elit '.repeat(1800) + ' anjing';
    expect(text.length).toBeGreaterThan(100_000);
    const started = performance.now();
    const hits = await evaluateMessage(message(text), standard, new InMemoryRateCounters());
    expect(performance.now() - started).toBeLessThan(250);
    expect(rulesOf(hits)).toEqual(['bannedWords']);
  });

  it.each([
    ['zalgo', 'z̸̢̛̗a̶̡͉l̴̨̛g̸̗o̵̙͝'.repeat(6000)],
    ['zero-width characters', '\u200b\u200c\u200d\ufeff'.repeat(26_000)],
    ['one long word', 'a'.repeat(100_000)],
    ['single letters and dots', 'a.'.repeat(50_000)],
    ['emoji', '🔥😀👍'.repeat(17_000)],
    ['right-to-left overrides', '\u202eabc\u202c'.repeat(20_000)],
    ['unclosed markup', '<@'.repeat(50_000)],
    ['colons', ':a'.repeat(50_000)],
    ['dots and domains', 'a.com.'.repeat(17_000)],
    ['spaces before a word that may start an invite', ' '.repeat(100_000) + 'discord'],
    ['spaces around slashes', 'discord ' + ' / '.repeat(33_000)],
    ['accented words', 'café résumé naïve à côté '.repeat(4000)],
  ])('survives 100 KB of %s', async (_label, text) => {
    const started = performance.now();
    const hits = await evaluateMessage(message(text), standard, new InMemoryRateCounters());
    expect(performance.now() - started).toBeLessThan(500);
    expect(Array.isArray(hits)).toBe(true);
  });

  it('catches a word reversed by a right-to-left override, and shows no override in the reason', async () => {
    const hits = await evaluateMessage(message('look: \u202Egnijna\u202C ok'), standard, new InMemoryRateCounters());
    expect(rulesOf(hits)).toEqual(['bannedWords']);
    expect(JSON.stringify(hits)).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('is not fooled by right-to-left overrides around ordinary text', async () => {
    expect(await evaluateMessage(message('\u202Eolleh\u202C world'), standard, new InMemoryRateCounters())).toEqual([]);
  });

  it('never echoes a ping in a reason or evidence', async () => {
    const hits = await evaluateMessage(message('@everyone <@123> <!channel> FUCK discord.gg/x', { mentions: ['1', '2', '3', '4', '5', '6', '7'] }), standard, new InMemoryRateCounters());
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(`${h.reason} ${h.evidence ?? ''}`).not.toMatch(/@everyone|@here|<@|<!/);
  });
});

describe('flood', () => {
  it('catches an emoji-only flood', async () => {
    const counters = new InMemoryRateCounters();
    const results: string[][] = [];
    for (let i = 0; i < 8; i++) results.push(rulesOf(await evaluateMessage(message(['🔥', '😂', '👍', '🎉'][i % 4]!, { at: T0 + i * 400 }), standard, counters)));
    expect(results).toEqual([[], [], [], [], [], [], ['flood'], ['flood']]);
  });

  it('gives points once per window and deletes every message over the limit', async () => {
    const counters = new InMemoryRateCounters();
    const floods: RuleHit[] = [];
    for (let i = 0; i < 9; i++) floods.push(...(await evaluateMessage(message(`word${'x'.repeat(i)} ${i}`.repeat(i + 1), { at: T0 + i * 300 }), standard, counters)).filter((h) => h.rule === 'flood'));
    expect(floods.map((h) => [h.points, h.deleteMessage])).toEqual([
      [1, true],
      [0, true],
      [0, true],
    ]);
    expect(floods[0]!.reason).toBe('flood (7 messages in 8s, more than 6)');
  });

  it('leaves a member who talks at a normal pace alone', async () => {
    const counters = new InMemoryRateCounters();
    for (let i = 0; i < 30; i++) {
      expect(await evaluateMessage(message(`thought number ${'abcdefghijklmnopqrstuvwxyz'[i % 26]!.repeat(i + 3)}`, { at: T0 + i * 3000 }), standard, counters)).toEqual([]);
    }
  });

  it('counts each member apart', async () => {
    const counters = new InMemoryRateCounters();
    for (let i = 0; i < 12; i++) {
      const hits = await evaluateMessage(message(['hi', 'yo', 'hey'][i % 3]!, { memberId: `m${i % 2}`, at: T0 + i * 100 }), standard, counters);
      expect(rulesOf(hits)).toEqual([]);
    }
  });
});

describe('repeats', () => {
  it('catches the same message posted three times, across channels', async () => {
    const counters = new InMemoryRateCounters();
    const text = 'Buy cheap followers now at my shop!';
    const results = [];
    for (let i = 0; i < 3; i++) results.push(rulesOf(await evaluateMessage(message(text, { channelName: `c${i}`, at: T0 + i * 20_000 }), standard, counters)));
    expect(results).toEqual([[], [], ['repeats']]);
  });

  it('catches near-identical messages', async () => {
    const counters = new InMemoryRateCounters();
    const texts = ['Free nitro for everyone, claim it today!!', 'free nitro for everyone, claim it today!!!', 'FREE nitro for everyone, claim it today 1'];
    const results = [];
    for (let i = 0; i < 3; i++) results.push(rulesOf(await evaluateMessage(message(texts[i]!, { at: T0 + i * 15_000 }), standard, counters)));
    expect(results).toEqual([[], [], ['repeats']]);
  });

  it('leaves different messages and short replies alone', async () => {
    const counters = new InMemoryRateCounters();
    for (const [i, text] of ['ok', 'ok', 'ok', 'See you tomorrow at the meeting', 'The build is green again', 'Thanks for the help!'].entries()) {
      expect(await evaluateMessage(message(text, { at: T0 + i * 15_000 }), standard, counters)).toEqual([]);
    }
  });

  it('forgets messages older than the window', async () => {
    const counters = new InMemoryRateCounters();
    const text = 'Please check out my new video';
    for (let i = 0; i < 3; i++) expect(await evaluateMessage(message(text, { at: T0 + i * 61_000 }), standard, counters)).toEqual([]);
  });
});

describe('join raids', () => {
  const counters = () => new InMemoryRateCounters();
  const join = (i: number, at: number, accountCreatedAt?: number) => ({ communityKey: 'discord:g1', memberId: `new${i}`, at, ...(accountCreatedAt !== undefined && { accountCreatedAt }) });

  it('reports a raid once when joins exceed the threshold in the window', async () => {
    const c = counters();
    const verdicts = [];
    for (let i = 0; i < 15; i++) verdicts.push(await evaluateJoin(join(i, T0 + i * 2000), standard, c));
    expect(verdicts.slice(0, 10).every((v) => !v.raid)).toBe(true);
    expect(verdicts[10]).toEqual({ raid: true, action: 'alert', reason: 'join raid: 11 joins in 60s (more than 10)', joinsInWindow: 11 });
    expect(verdicts.slice(11).every((v) => !v.raid)).toBe(true);
  });

  it('reports it again once the window has passed and joins are still too many', async () => {
    const c = counters();
    let raids = 0;
    for (let i = 0; i < 80; i++) {
      if ((await evaluateJoin(join(i, T0 + i * 2000), standard, c)).raid) raids++;
    }
    expect(raids).toBe(3);
  });

  it('reports many new accounts even when joins are few', async () => {
    const c = counters();
    const young = T0 - 2 * 86_400_000;
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await evaluateJoin(join(i, T0 + i * 5000, young), standard, c));
    expect(verdicts[5]).toMatchObject({ raid: true, reason: 'join raid: 6 new accounts (under 7 days old) joined in 60s (more than 5)', joinsInWindow: 6 });
  });

  it('does not count old accounts as new', async () => {
    const c = counters();
    const old = T0 - 400 * 86_400_000;
    for (let i = 0; i < 8; i++) expect(await evaluateJoin(join(i, T0 + i * 5000, old), standard, c)).toEqual({ raid: false });
  });

  it('uses the configured action', async () => {
    const rules = rulesFor({ rules: { raid: { joins: 2, action: 'lock' } } });
    const c = counters();
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push(await evaluateJoin(join(i, T0 + i), rules, c));
    expect(verdicts[2]).toMatchObject({ raid: true, action: 'lock' });
    expect((await evaluateJoin(join(9, T0 + 10), rulesFor({ preset: 'strict' }), counters())).raid).toBe(false);
  });

  it("adapts to a busy community's usual join rate", async () => {
    const c = counters();
    // A day of steady traffic, 14 joins a minute: more than the fixed threshold of 10.
    let firstHourRaids = 0;
    let laterRaids = 0;
    for (let minute = 0; minute < 24 * 60; minute++) {
      for (let j = 0; j < 14; j++) {
        const at = T0 + minute * 60_000 + j * 4000;
        const v = await evaluateJoin(join(minute * 100 + j, at), standard, c);
        if (v.raid) (minute < 60 ? firstHourRaids++ : laterRaids++);
      }
    }
    expect(firstHourRaids).toBeGreaterThan(0); // before the baseline is known
    expect(laterRaids).toBe(0);
    // Then a real raid: 150 joins in a minute.
    const start = T0 + 24 * 60 * 60_000;
    let raid;
    for (let i = 0; i < 150 && !raid; i++) {
      const v = await evaluateJoin(join(1e6 + i, start + i * 400), standard, c);
      if (v.raid) raid = v;
    }
    expect(raid?.reason).toMatch(/^join raid: \d+ joins in 60s \(more than \d+, usual rate \d+\)$/);
  });

  it('can be switched off', async () => {
    const rules = rulesFor({ rules: { raid: { enabled: false } } });
    const c = counters();
    for (let i = 0; i < 30; i++) expect((await evaluateJoin(join(i, T0 + i), rules, c)).raid).toBe(false);
  });
});

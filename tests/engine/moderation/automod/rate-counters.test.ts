import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateMessage,
  InMemoryRateCounters,
  RedisRateCounters,
  type RateCounters,
} from '../../../../src/engine/moderation/automod/index.js';
import { message, rulesFor, T0 } from './helpers.js';
import { deleteKeys } from '../../../support/redis.js';

/** Different enough not to count as repeats. */
const CHATTER = ['good morning all', 'anyone tried the new build?', 'yes, works for me', 'nice!', 'lunch at noon?', 'sure thing', 'see you there', 'bring snacks please'];

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Unique per run, so parallel runs never share keys; everything under it is deleted afterwards. */
const PREFIX = `guyub:test:automod:${process.pid}:${randomBytes(4).toString('hex')}:`;

let redisA: Redis;
let redisB: Redis;

beforeAll(async () => {
  redisA = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redisB = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await Promise.all([redisA.connect(), redisB.connect()]);
});

afterAll(async () => {
  await deleteKeys(redisA, `${PREFIX}*`);
  expect(await redisA.keys(`${PREFIX}*`)).toEqual([]);
  await Promise.all([redisA.quit(), redisB.quit()]);
});

let run = 0;
const implementations: Array<[string, () => RateCounters]> = [
  ['InMemoryRateCounters', () => new InMemoryRateCounters()],
  ['RedisRateCounters', () => new RedisRateCounters(redisA, `${PREFIX}${++run}:`)],
];

describe.each(implementations)('%s', (_name, make) => {
  it('counts occurrences in the window, its start excluded', async () => {
    const c = make();
    expect(await c.hit('k', 'e1', T0, 1000)).toBe(1);
    expect(await c.hit('k', 'e2', T0 + 500, 1000)).toBe(2);
    expect(await c.hit('k', 'e3', T0 + 1000, 1000)).toBe(2);
    expect(await c.hit('k', 'e4', T0 + 5000, 1000)).toBe(1);
  });

  it('counts each key apart', async () => {
    const c = make();
    await c.hit('a', 'e1', T0, 1000);
    await c.hit('a', 'e2', T0, 1000);
    expect(await c.hit('b', 'e3', T0, 1000)).toBe(1);
    expect(await c.hit('a', 'e4', T0, 1000)).toBe(3);
  });

  it('counts different occurrences at the same instant separately', async () => {
    const c = make();
    const counts = [];
    for (let i = 0; i < 5; i++) counts.push(await c.hit('same', `e${i}`, T0, 1000));
    expect(counts).toEqual([1, 2, 3, 4, 5]);
  });

  it('ignores occurrences later than the one being counted', async () => {
    const c = make();
    await c.hit('late', 'e1', T0 + 900, 1000);
    expect(await c.hit('late', 'e2', T0 + 100, 1000)).toBe(1);
    expect(await c.hit('late', 'e3', T0 + 950, 1000)).toBe(3);
  });

  it('returns the previous values in the window, newest first, at most `keep`', async () => {
    const c = make();
    expect(await c.recent('r', 'e1', 'one', T0, 10_000, 3)).toEqual([]);
    expect(await c.recent('r', 'e2', 'two', T0 + 1000, 10_000, 3)).toEqual(['one']);
    expect(await c.recent('r', 'e3', 'three', T0 + 2000, 10_000, 3)).toEqual(['two', 'one']);
    expect(await c.recent('r', 'e|4', 'four|with a bar', T0 + 3000, 10_000, 3)).toEqual(['three', 'two', 'one']);
    expect(await c.recent('r', 'e5', 'five', T0 + 4000, 10_000, 3)).toEqual(['four|with a bar', 'three', 'two']);
    expect(await c.recent('r', 'e6', 'six', T0 + 13_500, 10_000, 3)).toEqual(['five']);
  });

  it('answers true once within the time-to-live of event time, then again after it', async () => {
    const c = make();
    expect(await c.once('o', 'e1', T0, 80)).toBe(true);
    expect(await c.once('o', 'e2', T0 + 79, 80)).toBe(false);
    expect(await c.once('other', 'e3', T0 + 79, 80)).toBe(true);
    expect(await c.once('o', 'e4', T0 + 80, 80)).toBe(true);
  });

  it('judges a flood the same way', async () => {
    const c = make();
    const rules = rulesFor();
    const results = [];
    for (let i = 0; i < 8; i++) results.push((await evaluateMessage(message(CHATTER[i]!, { at: T0 + i * 500 }), rules, c)).map((h) => h.rule));
    expect(results).toEqual([[], [], [], [], [], [], ['flood'], ['flood']]);
  });
});

describe('both implementations', () => {
  it('give the same answers to the same random sequence of calls, retries of earlier calls among them', async () => {
    const memory = new InMemoryRateCounters();
    const redis = new RedisRateCounters(redisA, `${PREFIX}same:`);
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    type Call = (c: RateCounters) => Promise<unknown>;
    const made: Call[] = [];
    let at = T0;
    let retries = 0;
    for (let i = 0; i < 600; i++) {
      let call: Call;
      if (made.length > 0 && rnd() < 0.2) {
        // A retried event: one of the last few calls again, same id and time.
        call = made[made.length - 1 - Math.floor(rnd() * Math.min(5, made.length))]!;
        retries++;
      } else {
        at += Math.floor(rnd() * 700) - 100; // mostly forward, sometimes a little back
        const [key, id, t] = [`k${Math.floor(rnd() * 4)}`, `e${i}`, at];
        const window = [1000, 5000][Math.floor(rnd() * 2)]!;
        const kind = rnd();
        const value = `v${Math.floor(rnd() * 5)}`;
        call = kind < 0.45 ? (c) => c.hit(key, id, t, window) : kind < 0.85 ? (c) => c.recent(key, id, value, t, window, 4) : (c) => c.once(key, id, t, window);
        made.push(call);
      }
      expect(await call(redis)).toEqual(await call(memory));
    }
    expect(retries).toBeGreaterThan(50);
  });
});

describe.each(implementations)('%s, for an event judged again (a retry after a failed transaction)', (_name, make) => {
  it('counts the retried occurrence once in `hit`', async () => {
    const c = make();
    expect(await c.hit('joins', 'j1', T0, 60_000)).toBe(1);
    expect(await c.hit('joins', 'j2', T0 + 10, 60_000)).toBe(2);
    expect(await c.hit('joins', 'j2', T0 + 10, 60_000)).toBe(2);
    expect(await c.hit('joins', 'j1', T0, 60_000)).toBe(1);
    expect(await c.hit('joins', 'j3', T0 + 20, 60_000)).toBe(3);
    expect(await c.hit('joins', 'j3', T0 + 20, 60_000)).toBe(3);
  });

  it('counts the same id under another key apart', async () => {
    const c = make();
    expect(await c.hit('raid-joins', 'j1', T0, 60_000)).toBe(1);
    expect(await c.hit('raid-new', 'j1', T0, 60_000)).toBe(1);
    expect(await c.hit('raid-joins', 'j2', T0 + 1, 60_000)).toBe(2);
  });

  it('finds the retried occurrence among others at the same instant, and out of order', async () => {
    const c = make();
    for (let i = 0; i < 4; i++) await c.hit('k', `e${i}`, T0, 1000);
    expect(await c.hit('k', 'late', T0 + 600, 1000)).toBe(5);
    expect(await c.hit('k', 'e1', T0, 1000)).toBe(4);
    expect(await c.hit('k', 'e3', T0, 1000)).toBe(4);
    expect(await c.hit('k', 'late', T0 + 600, 1000)).toBe(5);
    expect(await c.hit('k', 'e4', T0, 1000)).toBe(5);
  });

  it('takes the same id at another time for another occurrence (an event repeats its time when retried)', async () => {
    const c = make();
    expect(await c.hit('k', 'e1', T0, 10_000)).toBe(1);
    expect(await c.hit('k', 'e1', T0 + 10, 10_000)).toBe(2);
    expect(await c.recent('r', 'e1', 'one', T0, 10_000, 5)).toEqual([]);
    expect(await c.recent('r', 'e1', 'two', T0 + 10, 10_000, 5)).toEqual(['one']);
  });

  it('does not give a retried message its own earlier value in `recent`, nor record it twice', async () => {
    const c = make();
    expect(await c.recent('r', 'm1', 'buy followers now', T0, 60_000, 5)).toEqual([]);
    expect(await c.recent('r', 'm1', 'buy followers now', T0, 60_000, 5)).toEqual([]);
    expect(await c.recent('r', 'm2', 'buy followers now', T0 + 1000, 60_000, 5)).toEqual(['buy followers now']);
    expect(await c.recent('r', 'm2', 'buy followers now', T0 + 1000, 60_000, 5)).toEqual(['buy followers now']);
    expect(await c.recent('r', 'm3', 'something else', T0 + 2000, 60_000, 5)).toEqual(['buy followers now', 'buy followers now']);
  });

  it('tells ids apart whatever characters they and the values hold', async () => {
    const c = make();
    await c.recent('r', 'a|1|b', '2|x', T0, 60_000, 5);
    await c.recent('r', 'a|1', 'b2|x', T0 + 1, 60_000, 5);
    expect(await c.recent('r', 'a|1|b', '2|x', T0, 60_000, 5)).toEqual([]);
    expect(await c.recent('r', 'a|1', 'b2|x', T0 + 1, 60_000, 5)).toEqual(['2|x']);
    expect(await c.recent('r', 'ü|€', 'ñ|✓', T0 + 2, 60_000, 5)).toEqual(['b2|x', '2|x']);
    expect(await c.recent('r', 'ü|€', 'ñ|✓', T0 + 2, 60_000, 5)).toEqual(['b2|x', '2|x']);
  });

  it('answers `once` true again for the occurrence that holds it, false for any other', async () => {
    const c = make();
    expect(await c.once('raid-reported', 'j11', T0, 60_000)).toBe(true);
    expect(await c.once('raid-reported', 'j11', T0, 60_000)).toBe(true);
    expect(await c.once('raid-reported', 'j12', T0 + 1, 60_000)).toBe(false);
    expect(await c.once('raid-reported', 'j11', T0, 60_000)).toBe(true);
    expect(await c.once('raid-reported', 'j13', T0 + 60_000, 60_000)).toBe(true);
    expect(await c.once('raid-reported', 'j11', T0 + 60_000, 60_000)).toBe(false);
  });

  it('judges a retried message like its first attempt: flood counted once, not its own repeat, reported again', async () => {
    const c = make();
    const rules = rulesFor();
    const judge = (i: number, text: string) => evaluateMessage({ ...message(text, { at: T0 + i * 500 }), eventId: `m${i}` }, rules, c);
    const firstAttempts: string[][] = [];
    const retries: string[][] = [];
    for (let i = 0; i < 8; i++) {
      firstAttempts.push((await judge(i, CHATTER[i]!)).map((h) => `${h.rule}:${h.points}`));
      retries.push((await judge(i, CHATTER[i]!)).map((h) => `${h.rule}:${h.points}`));
    }
    expect(firstAttempts).toEqual([[], [], [], [], [], [], ['flood:1'], ['flood:0']]);
    expect(retries).toEqual(firstAttempts);
    // A single message, retried, is not a repeat of itself (standard: 3 alike).
    expect(await judge(100, 'a long enough message said once')).toEqual([]);
    expect(await judge(100, 'a long enough message said once')).toEqual([]);
    expect(await judge(100, 'a long enough message said once')).toEqual([]);
  });
});

describe('RedisRateCounters across processes', () => {
  it('shares counts between two instances on two connections', async () => {
    const prefix = `${PREFIX}shared:`;
    const a = new RedisRateCounters(redisA, prefix);
    const b = new RedisRateCounters(redisB, prefix);
    expect(await a.hit('k', 'e1', T0, 10_000)).toBe(1);
    expect(await b.hit('k', 'e2', T0 + 1, 10_000)).toBe(2);
    expect(await a.hit('k', 'e3', T0 + 2, 10_000)).toBe(3);
    expect(await b.hit('k', 'e3', T0 + 2, 10_000)).toBe(3);
    expect(await a.recent('r', 'e1', 'from a', T0, 10_000, 5)).toEqual([]);
    expect(await b.recent('r', 'e2', 'from b', T0 + 1, 10_000, 5)).toEqual(['from a']);
    expect(await a.once('o', 'e1', T0, 10_000)).toBe(true);
    expect(await b.once('o', 'e2', T0 + 1, 10_000)).toBe(false);
    expect(await b.once('o', 'e1', T0, 10_000)).toBe(true);
  });

  it('counts atomically under concurrent hits from both', async () => {
    const prefix = `${PREFIX}concurrent:`;
    const a = new RedisRateCounters(redisA, prefix);
    const b = new RedisRateCounters(redisB, prefix);
    const counts = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).hit('k', `e${i}`, T0, 10_000)));
    expect(counts.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('judges one member together: a flood split between two processes is caught', async () => {
    const prefix = `${PREFIX}flood:`;
    const processes = [new RedisRateCounters(redisA, prefix), new RedisRateCounters(redisB, prefix)];
    const rules = rulesFor();
    const rulesHit: string[][] = [];
    for (let i = 0; i < 7; i++) {
      const hits = await evaluateMessage(message(CHATTER[i]!, { at: T0 + i * 300 }), rules, processes[i % 2]!);
      rulesHit.push(hits.map((h) => h.rule));
    }
    expect(rulesHit.slice(0, 6).flat()).toEqual([]);
    expect(rulesHit[6]).toEqual(['flood']);
  });

  it('reads the values and holds written before occurrences had ids (a rolling upgrade)', async () => {
    const prefix = `${PREFIX}legacy:`;
    const c = new RedisRateCounters(redisA, prefix);
    await redisA.lpush(`${prefix}recent:r`, `${T0}|old|value`);
    await redisA.set(`${prefix}once:o`, String(T0 + 10_000), 'PX', 60_000);
    expect(await c.recent('r', 'm1', 'new value', T0 + 1, 10_000, 5)).toEqual(['old|value']);
    expect(await c.recent('r', 'm2', 'newer value', T0 + 2, 10_000, 5)).toEqual(['new value', 'old|value']);
    expect(await c.once('o', 'e1', T0 + 1, 10_000)).toBe(false);
    expect(await c.once('o', 'e1', T0 + 10_000, 10_000)).toBe(true);
  });

  it('gives its keys a time-to-live', async () => {
    const prefix = `${PREFIX}ttl:`;
    const c = new RedisRateCounters(redisA, prefix);
    await c.hit('k', 'e1', T0, 10_000);
    await c.recent('r', 'e1', 'v', T0, 20_000, 3);
    await c.once('o', 'e1', T0, 5000);
    const ttl = (key: string) => redisA.pttl(`${prefix}${key}`);
    expect(await ttl('hit:k')).toBeGreaterThan(0);
    expect(await ttl('hit:k')).toBeLessThanOrEqual(70_000);
    expect(await ttl('recent:r')).toBeGreaterThan(20_000);
    expect(await ttl('once:o')).toBeLessThanOrEqual(5000 + 60_000);
  });
});

describe('InMemoryRateCounters memory', () => {
  it('stays bounded with 100,000 members', async () => {
    const c = new InMemoryRateCounters({ maxKeys: 20_000 });
    for (let i = 0; i < 100_000; i++) await c.hit(`flood:g:${i}`, `e${i}`, T0 + i, 10_000);
    expect(c.size).toBeLessThanOrEqual(20_000);
  });

  it('forgets windows that have passed', async () => {
    const c = new InMemoryRateCounters();
    for (let i = 0; i < 100_000; i++) await c.hit(`flood:g:${i}`, `e${i}`, T0 + i, 10_000);
    // An hour later one member keeps talking: the sweep clears everyone else's passed windows.
    for (let i = 0; i < 30_000; i++) await c.hit('flood:g:talker', `t${i}`, T0 + 3_600_000 + i * 1000, 10_000);
    expect(c.size).toBeLessThan(100);
  });

  it('keeps counting a member whose entry is still live', async () => {
    const c = new InMemoryRateCounters({ maxKeys: 100 });
    for (let i = 0; i < 1000; i++) {
      await c.hit(`other:${i}`, `o${i}`, T0 + i, 60_000);
      if (i % 10 === 0) await c.hit('busy', `b${i}`, T0 + i, 60_000);
    }
    expect(await c.hit('busy', 'b1000', T0 + 1000, 60_000)).toBe(101);
  });
});

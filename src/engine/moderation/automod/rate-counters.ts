import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Counters for the rate-based rules (flood, repeats, raid). Times are the events' own (epoch ms), so
 * every process judging a community agrees. Keys are chosen by the rules (`flood:<community>:<member>`).
 *
 * Every call names its occurrence: `id` (the event's id, unique within the key, which already names
 * the rule and community) at `at` (the event's time). The engine runs an event again after a
 * transient failure of its transaction, but the counters are outside that transaction: a call
 * repeating both is the same occurrence, and is not counted, remembered or allowed twice.
 */
export interface RateCounters {
  /**
   * Records occurrence `id` at `at` and returns how many occurrences fall in (at − windowMs, at].
   * The same `id` at the same `at`, still held under `key`, is not recorded again: a retried event
   * counts once.
   */
  hit(key: string, id: string, at: number, windowMs: number): Promise<number>;
  /**
   * Records `value` for occurrence `id` at `at`; returns the values of the other occurrences within
   * (at − windowMs, at], newest first, at most `keep`. An occurrence still held is not recorded
   * again, and never returned to itself: a retried message is not its own repeat.
   */
  recent(key: string, id: string, value: string, at: number, windowMs: number, keep: number): Promise<string[]>;
  /**
   * True for the first occurrence that asks for `key` within (at − ttlMs, at] of event time, false for
   * the others; true again for that same `id` (a retry of the event that won still reports).
   */
  once(key: string, id: string, at: number, ttlMs: number): Promise<boolean>;
}

/** Most occurrences remembered per `hit` key (older ones are dropped first). */
export const MAX_HITS_PER_KEY = 10_000;
/** Most values remembered per `recent` key. */
export const MAX_RECENT_PER_KEY = 1000;

/** How late (behind the newest seen) an event may arrive and still find its window's data. */
const LATE_EVENTS_MS = 60_000;

const clampKeep = (keep: number) => Math.max(1, Math.min(MAX_RECENT_PER_KEY, Math.floor(keep)));

interface Series {
  /** When the newest data in it stops mattering (event time). */
  expiresAt: number;
  /** Operation count when it was last moved to the recently used end. */
  moved: number;
  /** `hit`: occurrence times in ascending order, from `head`, and their ids alongside. */
  times?: number[];
  ids?: string[];
  head?: number;
  /** `recent`: newest first. */
  items?: Array<{ at: number; id: string; value: string }>;
}

/** Who holds a `once` key, and until when (event time). */
interface Flag {
  until: number;
  holder: string;
}

export interface InMemoryRateCountersOptions {
  /** Most keys kept; the least recently used go first (default 100,000). */
  maxKeys?: number;
}

/**
 * Counters for one process. Memory is bounded: entries whose window has passed are swept a few at a
 * time on every call, and beyond `maxKeys` the least recently used keys are evicted.
 */
export class InMemoryRateCounters implements RateCounters {
  private readonly series = new Map<string, Series>();
  private readonly flags = new Map<string, Flag>();
  private readonly maxKeys: number;
  private latest = -Infinity;
  private ops = 0;
  private seriesSweep: MapIterator<[string, Series]> | undefined;
  private flagSweep: MapIterator<[string, Flag]> | undefined;

  constructor(options: InMemoryRateCountersOptions = {}) {
    this.maxKeys = Math.max(10, options.maxKeys ?? 100_000);
  }

  /** Keys held (for tests and metrics). */
  get size(): number {
    return this.series.size + this.flags.size;
  }

  hit(key: string, id: string, at: number, windowMs: number): Promise<number> {
    const e = this.take(`hit:${key}`, at);
    const times = (e.times ??= []);
    const ids = (e.ids ??= []);
    let head = e.head ?? 0;
    const cutoff = at - windowMs;
    while (head < times.length && times[head]! <= cutoff) head++;
    // Insert in order (events may arrive slightly out of order), unless the occurrence is already
    // there: it would be among those at the same time, just before the insertion point.
    let i = times.length;
    while (i > head && times[i - 1]! > at) i--;
    let held = false;
    for (let j = i - 1; j >= head && times[j] === at; j--) {
      if (ids[j] === id) {
        held = true;
        break;
      }
    }
    if (!held) {
      if (i === times.length) {
        times.push(at);
        ids.push(id);
      } else {
        times.splice(i, 0, at);
        ids.splice(i, 0, id);
      }
      if (times.length - head > MAX_HITS_PER_KEY) head = times.length - MAX_HITS_PER_KEY;
    }
    if (head > 64 && head * 2 > times.length) {
      times.splice(0, head);
      ids.splice(0, head);
      head = 0;
    }
    e.head = head;
    // Count (cutoff, at]: everything from head up to the last time <= at.
    let last = times.length;
    while (last > head && times[last - 1]! > at) last--;
    e.expiresAt = Math.max(e.expiresAt, times[times.length - 1]! + windowMs);
    return Promise.resolve(last - head);
  }

  recent(key: string, id: string, value: string, at: number, windowMs: number, keep: number): Promise<string[]> {
    const k = clampKeep(keep);
    const e = this.take(`recent:${key}`, at);
    const items = (e.items ??= []);
    const cutoff = at - windowMs;
    const out: string[] = [];
    let seen = false;
    for (const it of items) {
      if (it.at === at && it.id === id) seen = true;
      else if (out.length < k && it.at > cutoff && it.at <= at) out.push(it.value);
    }
    if (!seen) items.unshift({ at, id, value });
    if (items.length > k) items.length = k;
    e.expiresAt = Math.max(e.expiresAt, at + windowMs);
    return Promise.resolve(out);
  }

  once(key: string, id: string, at: number, ttlMs: number): Promise<boolean> {
    // Event time, like the windows: a replay of last week judges as the live bot did.
    this.sweepFlags(at - LATE_EVENTS_MS);
    const flag = this.flags.get(key);
    if (flag !== undefined && flag.until > at) return Promise.resolve(flag.holder === id);
    this.flags.delete(key);
    this.flags.set(key, { until: at + ttlMs, holder: id });
    while (this.flags.size > this.maxKeys) this.flags.delete(this.flags.keys().next().value!);
    return Promise.resolve(true);
  }

  /**
   * The series for `key`, kept near the recently used end (it is moved when it was last moved more
   * than maxKeys/4 operations ago: nearly LRU at a fraction of the cost); sweeps and evicts a little.
   */
  private take(key: string, at: number): Series {
    if (at > this.latest) this.latest = at;
    const ops = ++this.ops;
    this.sweepSeries();
    let e = this.series.get(key);
    if (e === undefined) {
      e = { expiresAt: -Infinity, moved: ops };
      this.series.set(key, e);
      if (this.series.size > this.maxKeys) this.series.delete(this.series.keys().next().value!);
    } else if (ops - e.moved > this.maxKeys >> 2) {
      this.series.delete(key);
      this.series.set(key, e);
      e.moved = ops;
    }
    return e;
  }

  private sweepSeries(): void {
    for (let n = 0; n < 4; n++) {
      this.seriesSweep ??= this.series.entries();
      const next = this.seriesSweep.next();
      if (next.done) {
        this.seriesSweep = undefined;
        return;
      }
      const [k, e] = next.value;
      if (e.expiresAt + LATE_EVENTS_MS <= this.latest) this.series.delete(k);
    }
  }

  private sweepFlags(now: number): void {
    for (let n = 0; n < 4; n++) {
      this.flagSweep ??= this.flags.entries();
      const next = this.flagSweep.next();
      if (next.done) {
        this.flagSweep = undefined;
        return;
      }
      const [k, flag] = next.value;
      if (flag.until <= now) this.flags.delete(k);
    }
  }
}

/* Redis: one Lua script per operation, so each is atomic however many processes share the keys. */

/** Sorted set of occurrences (`<at>|<id>`) scored by time: a retried one is already a member. */
const HIT_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
local card = redis.call('ZCARD', KEYS[1])
local cap = tonumber(ARGV[4])
if card > cap then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, card - cap - 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], ARGV[1])
`;

/**
 * Capped list, newest first, of `<at>|<id length>|<id><value>` (the length keeps any character
 * usable in ids and values). Items written before ids were kept, `<at>|<value>`, have no id.
 */
const RECENT_SCRIPT = `
local at = tonumber(ARGV[1])
local cutoff = tonumber(ARGV[2])
local id = ARGV[3]
local keep = tonumber(ARGV[5])
local items = redis.call('LRANGE', KEYS[1], 0, -1)
local out = {}
local seen = false
for i = 1, #items do
  local s = items[i]
  local sep = string.find(s, '|', 1, true)
  if sep then
    local t = tonumber(string.sub(s, 1, sep - 1))
    local sep2 = string.find(s, '|', sep + 1, true)
    local n = sep2 and tonumber(string.sub(s, sep + 1, sep2 - 1))
    local itemId, value
    if n then
      itemId = string.sub(s, sep2 + 1, sep2 + n)
      value = string.sub(s, sep2 + n + 1)
    else
      value = string.sub(s, sep + 1)
    end
    if itemId == id and t == at then
      seen = true
    elseif #out < keep and t and t > cutoff and t <= at then
      out[#out + 1] = value
    end
  end
end
if not seen then redis.call('LPUSH', KEYS[1], ARGV[1] .. '|' .. #id .. '|' .. id .. ARGV[4]) end
redis.call('LTRIM', KEYS[1], 0, keep - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return out
`;

/**
 * Holds `<event time until which others get false>|<holder id>`; the key outlives it by a little
 * slack. The holder asking again gets true without extending the hold.
 */
const ONCE_SCRIPT = `
local held = redis.call('GET', KEYS[1])
if held then
  local sep = string.find(held, '|', 1, true)
  local heldUntil = tonumber(sep and string.sub(held, 1, sep - 1) or held)
  if heldUntil and heldUntil > tonumber(ARGV[1]) then
    if sep and string.sub(held, sep + 1) == ARGV[4] then return 1 end
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[2] .. '|' .. ARGV[4], 'PX', ARGV[3])
return 1
`;

/** Extra time-to-live on Redis keys beyond their window, for clock skew and late events. */
const TTL_SLACK_MS = LATE_EVENTS_MS;

class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
  async run(redis: Redis, key: string, args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, 1, key, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return redis.eval(this.source, 1, key, ...args);
      throw error;
    }
  }
}
const hitScript = new Script(HIT_SCRIPT);
const recentScript = new Script(RECENT_SCRIPT);
const onceScript = new Script(ONCE_SCRIPT);

/**
 * Counters shared by every process using the same Redis: sorted sets of occurrence ids (`hit`),
 * capped lists (`recent`) and a held value (`once`), each key with a time-to-live of its window.
 */
export class RedisRateCounters implements RateCounters {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'guyub:automod:',
  ) {}

  async hit(key: string, id: string, at: number, windowMs: number): Promise<number> {
    const ttl = Math.ceil(windowMs + TTL_SLACK_MS);
    return Number(await hitScript.run(this.redis, `${this.prefix}hit:${key}`, [at, at - windowMs, `${at}|${id}`, MAX_HITS_PER_KEY, ttl]));
  }

  async recent(key: string, id: string, value: string, at: number, windowMs: number, keep: number): Promise<string[]> {
    const ttl = Math.ceil(windowMs + TTL_SLACK_MS);
    const out = await recentScript.run(this.redis, `${this.prefix}recent:${key}`, [at, at - windowMs, id, value, clampKeep(keep), ttl]);
    return Array.isArray(out) ? out.map(String) : [];
  }

  async once(key: string, id: string, at: number, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlMs + TTL_SLACK_MS));
    return Number(await onceScript.run(this.redis, `${this.prefix}once:${key}`, [at, at + ttlMs, ttl, id])) === 1;
  }
}

import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityEvent } from '../../src/contracts/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { EventQueue, PartitionCountMismatch, RequeueEvent } from '../../src/jobs/event-queue.js';
import { deleteKeys } from '../support/redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function messageEvent(community: string, seq: number): CommunityEvent {
  return {
    type: 'message.created',
    id: `${community}-${seq}`,
    platform: 'discord',
    community,
    at: new Date(Date.UTC(2026, 10, 1, 0, 0, seq)).toISOString(),
    channel: 'general',
    author: { id: 'u1', name: 'Ayu' },
    text: `message ${seq}`,
  };
}

/** A handler of one event at a time, as the jobs' events come. */
const eachEvent = (handle: (event: CommunityEvent) => Promise<void>) => async (events: readonly CommunityEvent[]) => {
  for (const event of events) await handle(event);
};

const until = async (condition: () => boolean, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('the event queue between gateways and workers (real Redis)', () => {
  const prefix = `guyub-test-events-${process.pid}`;
  const connections: Redis[] = [];
  const queues: EventQueue[] = [];
  const open = (partitions = 4) => {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(connection);
    const queue = new EventQueue({ connection, prefix, partitions, logger: silentLogger });
    queues.push(queue);
    return queue;
  };

  beforeAll(async () => {
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
    const redis = new Redis(REDIS_URL);
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
  });
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('puts a community in the same partition in every process', () => {
    const a = open(16);
    const b = open(16);
    for (const community of ['g1', 'g2', 'T0123', '123456789012345678']) {
      expect(a.partitionOf({ platform: 'discord', community })).toBe(b.partitionOf({ platform: 'discord', community }));
    }
  });

  it('keeps each community in order across two worker processes, and loses none', async () => {
    // A worker that finishes a job takes the next one waiting in that partition, so a worker can
    // keep a partition to itself; many partitions make it all but certain that both get work.
    const gateway = open(16);
    const workerA = open(16);
    const workerB = open(16);
    const seen = new Map<string, number[]>();
    const byWorker = { a: 0, b: 0 };
    let running = 0;
    let overlapInCommunity = false;
    const active = new Set<string>();
    const handler = (name: 'a' | 'b') => async (event: CommunityEvent) => {
      if (active.has(event.community)) overlapInCommunity = true;
      active.add(event.community);
      running++;
      // Uneven work, so that a worker free earlier would overtake if order were not enforced.
      await new Promise((resolve) => setTimeout(resolve, (Number(event.id.split('-')[1]) % 3) * 3));
      seen.set(event.community, [...(seen.get(event.community) ?? []), Number(event.id.split('-')[1])]);
      byWorker[name]++;
      running--;
      active.delete(event.community);
    };
    await workerA.consume(eachEvent(handler('a')));
    await workerB.consume(eachEvent(handler('b')));
    const communities = Array.from({ length: 12 }, (_, i) => `g${i + 1}`);
    for (let seq = 1; seq <= 15; seq++) for (const community of communities) await gateway.publish(messageEvent(community, seq));
    await until(() => [...seen.values()].reduce((n, list) => n + list.length, 0) === communities.length * 15);
    for (const community of communities) expect(seen.get(community)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(overlapInCommunity).toBe(false);
    expect(byWorker.a).toBeGreaterThan(0);
    expect(byWorker.b).toBeGreaterThan(0);
    expect(running).toBe(0);
    expect(await gateway.depth()).toBe(0);
  }, 30_000);

  it('puts an event back at the head of its partition when the worker stops mid-event, ahead of the later ones', async () => {
    const gateway = open(1);
    for (let seq = 1; seq <= 4; seq++) await gateway.publish(messageEvent('g-requeue', seq));
    const seen: number[] = [];
    let interrupted = false;
    await open(1).consume(
      eachEvent(async (event) => {
        const seq = Number(event.id.split('-')[2]);
        if (seq === 2 && !interrupted) {
          interrupted = true;
          throw new RequeueEvent('stopping');
        }
        seen.push(seq);
      }),
    );
    await until(() => seen.length === 4);
    expect(seen).toEqual([1, 2, 3, 4]);
  }, 30_000);

  it('fails an event that breaks for good once, keeps it in the failed set, and goes on with the next', async () => {
    const gateway = open(1);
    for (let seq = 1; seq <= 3; seq++) await gateway.publish(messageEvent('g-broken', seq));
    const attempts = new Map<number, number>();
    await open(1).consume(
      eachEvent(async (event) => {
        const seq = Number(event.id.split('-')[2]);
        attempts.set(seq, (attempts.get(seq) ?? 0) + 1);
        if (seq === 2) throw new Error('a bug, not an outage');
      }),
    );
    await until(() => attempts.has(3));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([...attempts.entries()]).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
  }, 30_000);

  it('refuses to run with a different number of partitions than the deployment', async () => {
    const first = open(4);
    await first.publish(messageEvent('g-parts', 1));
    await expect(open(8).consume(async () => {})).rejects.toThrow(PartitionCountMismatch);
    await expect(open(8).publish(messageEvent('g-parts', 2))).rejects.toThrow(/EVENT_PARTITIONS is 8 in this process but 4/);
  }, 30_000);

  it('keeps the events published while no worker runs, for the worker that starts later', async () => {
    const gateway = open();
    for (let seq = 1; seq <= 5; seq++) await gateway.publish(messageEvent('g-later', seq));
    expect(await gateway.depth()).toBe(5);
    const seen: number[] = [];
    await open().consume(eachEvent(async (event) => void seen.push(Number(event.id.split('-')[2]))));
    await until(() => seen.length === 5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  }, 30_000);

  it('keeps the order of events published without waiting for each other, and sends those published together in one job', async () => {
    const gateway = open();
    const worker = open();
    const seen: string[] = [];
    const jobs: number[] = [];
    await worker.consume(async (events) => {
      jobs.push(events.length);
      for (const event of events) seen.push(event.id);
    });
    const events = Array.from({ length: 60 }, (_, i) => messageEvent(i % 2 ? 'g-odd' : 'g-even', i));
    // As the adapters hand events over: every publish started before any finished.
    await Promise.all(events.map((event) => gateway.publish(event)));
    await until(() => seen.length === events.length);
    for (const community of ['g-odd', 'g-even']) {
      expect(seen.filter((id) => id.startsWith(community))).toEqual(events.filter((e) => e.community === community).map((e) => e.id));
    }
    // The first event of a partition goes alone; the rest waited for it and went together.
    expect(jobs.length).toBeLessThan(events.length);
    expect(Math.max(...jobs)).toBeGreaterThan(1);
  });

  it('takes the jobs published before batches, one event each', async () => {
    const gateway = open(1);
    const worker = open(1);
    await gateway.publish(messageEvent('g-old', 0));
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    connections.push(redis);
    const { Queue } = await import('bullmq');
    const legacy = new Queue('events-0', { connection: redis, prefix });
    await legacy.add('message.created', messageEvent('g-old', 1));
    await legacy.close();
    const seen: string[][] = [];
    await worker.consume(async (events) => void seen.push(events.map((e) => e.id)));
    await until(() => seen.length === 2);
    expect(seen).toEqual([['g-old-0'], ['g-old-1']]);
  });
});

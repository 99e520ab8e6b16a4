import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformOutbox, RetryAfter } from '../../src/jobs/platform-outbox.js';
import { deleteKeys } from '../support/redis.js';

const prefix = `guyub-test-${randomUUID()}`;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
});

afterAll(async () => {
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('platform outbox on BullMQ', () => {
  it('delivers at most max per duration, across two processes, and pauses on a platform "retry after"', async () => {
    // Two processes delivering to Discord share one limit of 2 deliveries per 300 ms.
    const outboxes = [0, 1].map(() => new PlatformOutbox<{ n: number }>({ connection: redis, prefix, platform: 'discord', limit: { max: 2, duration: 300 } }));
    const delivered: { n: number; at: number }[] = [];
    let refusedOnce = false;
    try {
      for (const outbox of outboxes) {
        await outbox.start(async ({ n }) => {
          if (n === 0 && !refusedOnce) {
            refusedOnce = true;
            throw new RetryAfter(200);
          }
          delivered.push({ n, at: Date.now() });
        });
      }
      const started = Date.now();
      for (let n = 0; n < 6; n++) await outboxes[n % 2]!.send({ n });
      await waitFor(() => delivered.length === 6);
      expect(delivered.map((d) => d.n).sort()).toEqual([0, 1, 2, 3, 4, 5]);
      // Six deliveries at two per 300 ms, after a 200 ms pause: the last no sooner than ~0.8 s.
      expect(delivered.at(-1)!.at - started).toBeGreaterThanOrEqual(750);
      // BullMQ counts in fixed windows: any five deliveries span at least two window changes.
      for (let i = 4; i < delivered.length; i++) expect(delivered[i]!.at - delivered[i - 4]!.at).toBeGreaterThanOrEqual(290);
    } finally {
      for (const outbox of outboxes) await outbox.stop();
      await outboxes[0]!.obliterate();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { VirtualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createScratchPostgres, openDatabase, type Database } from '../../../src/db/index.js';
import { createCapabilities } from '../../../src/engine/capabilities.js';
import { RedisRateCounters } from '../../../src/engine/moderation/automod/index.js';
import { Engine } from '../../../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../../../src/jobs/in-process-scheduler.js';
import { deleteKeys } from '../../support/redis.js';

/** Two bot processes: each its own engine, database pool and Redis connection, sharing the servers. */
describe('two processes sharing PostgreSQL and Redis', () => {
  const prefix = `guyub:test:${randomUUID()}:`;
  let drop: () => Promise<void>;
  const databases: Database[] = [];
  const redises: Redis[] = [];
  const engines: Engine[] = [];

  beforeAll(async () => {
    const scratch = await createScratchPostgres();
    drop = scratch.drop;
    for (let i = 0; i < 2; i++) {
      const database = await openDatabase({ databaseUrl: scratch.url });
      const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
      await redis.connect();
      const clock = new VirtualClock(Date.UTC(2026, 10, 1));
      databases.push(database);
      redises.push(redis);
      engines.push(
        new Engine({
          prisma: database.prisma,
          config: loadConfig(),
          clock,
          scheduler: new VirtualTimeScheduler(clock),
          logger: silentLogger,
          capabilities: createCapabilities({ counters: new RedisRateCounters(redis, prefix) }),
        }),
      );
    }
  });

  afterAll(async () => {
    await deleteKeys(redises[0]!, `${prefix}*`);
    for (const redis of redises) await redis.quit();
    for (const database of databases) await database.close();
    await drop();
  });

  it('judges a flood together when its messages arrive at both processes', async () => {
    const deletes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const engine = engines[i % 2]!;
      const outcome = await engine.handle({
        type: 'message.created',
        id: `m${i}`,
        platform: 'discord',
        community: 'g1',
        at: new Date(Date.UTC(2026, 10, 1, 12, 0, i)).toISOString(),
        channel: 'general',
        author: { id: 'spammer', name: 'Spammer' },
        text: `different message number ${i} ${'abcdefgh'[i]}${'qrstuvwx'[i]}`,
      });
      deletes.push(...outcome.actions.filter((a) => a.type === 'message.delete').map((a) => a.cause));
    }
    // Neither process saw more than four messages; together they saw eight within 8 s.
    expect(deletes).toEqual(['m6', 'm7']);
    const cases = await databases[0]!.prisma.moderationCase.findMany({ orderBy: { number: 'asc' }, select: { number: true, rules: true } });
    expect(cases).toEqual([
      { number: 1, rules: ['flood'] },
      { number: 2, rules: ['flood'] },
    ]);
  });
});

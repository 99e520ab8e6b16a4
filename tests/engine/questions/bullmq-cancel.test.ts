import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { systemClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { openDatabase, type Database } from '../../../src/db/index.js';
import { createCapabilities } from '../../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../../src/engine/moderation/automod/index.js';
import { Engine } from '../../../src/engine/pipeline.js';
import { BullMqScheduler } from '../../../src/jobs/bullmq-scheduler.js';
import { deleteKeys } from '../../support/redis.js';

/** The production scheduler: an answered question's pending escalation must leave Redis too. */
describe('question escalations on BullMQ', () => {
  const prefix = `guyub-test-${randomUUID()}`;
  let redis: Redis;
  let scheduler: BullMqScheduler;
  let database: Database;
  let engine: Engine;

  beforeAll(async () => {
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 3 });
    await redis.connect();
    scheduler = new BullMqScheduler({ connection: redis, prefix, queueName: 'questions' });
    database = await openDatabase({ dataDir: 'memory://' });
    engine = new Engine({
      prisma: database.prisma,
      config: loadConfig(),
      clock: systemClock,
      scheduler,
      logger: silentLogger,
      capabilities: createCapabilities({ counters: new InMemoryRateCounters() }),
    });
    engine.attachJobs(async () => {});
    await scheduler.start();
  });

  afterAll(async () => {
    await scheduler.stop();
    await scheduler.obliterate().catch(() => undefined);
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
    await database.close();
  });

  const questionJobs = async () => (await scheduler.pendingJobIds()).filter((id) => id.includes(':question:'));

  it('removes the pending escalation job from BullMQ when the question is answered', async () => {
    const now = Date.now();
    const message = (id: string, author: { id: string; name: string }, text: string, extra: object = {}, offset = 0) =>
      engine.handle({ type: 'message.created', id, platform: 'discord', community: 'g1', at: new Date(now + offset).toISOString(), channel: 'general', author, text, ...extra });
    await message('q1', { id: 'ayu', name: 'Ayu' }, 'how do I rotate my API key?');
    expect(await questionJobs()).toEqual(['discord:g1:question:1:escalation']);
    await message('a1', { id: 'budi', name: 'Budi' }, 'Settings, then API keys, then Rotate.', { replyTo: 'q1' }, 1000);
    expect(await questionJobs()).toEqual([]);
  });
});

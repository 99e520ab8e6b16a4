import { loadConfig, type ConfigStore } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { connectRedis } from '../core/redis.js';
import { createCapabilities } from '../engine/capabilities.js';
import { InMemoryRateCounters, RedisRateCounters, type RateCounters } from '../engine/moderation/automod/index.js';
import { Engine, type EngineObserver, type EngineOptions } from '../engine/pipeline.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { BullMqScheduler } from '../jobs/bullmq-scheduler.js';
import { RealTimeScheduler } from '../jobs/in-process-scheduler.js';
import type { Scheduler } from '../jobs/scheduler.js';

/** Wires the engine with every capability; the one place that knows the whole set. */
export function createEngine(deps: {
  prisma: PrismaClient;
  config: ConfigStore;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  counters: RateCounters;
  observer?: EngineObserver;
  storeOutages?: EngineOptions['storeOutages'];
}): Engine {
  const { counters, ...engineDeps } = deps;
  return new Engine({ ...engineDeps, capabilities: createCapabilities({ counters }) });
}

/**
 * Counters for rate-based automod rules: in Redis when REDIS_URL is set, so that several bot
 * processes judge a member together; in memory otherwise (and always in replay).
 */
export async function createRateCounters(redisUrl: string | undefined, logger: Logger): Promise<{ counters: RateCounters; close(): Promise<void> }> {
  if (!redisUrl) return { counters: new InMemoryRateCounters(), close: async () => {} };
  // One clear line (RedisUnreachableError) when Redis cannot be reached at start.
  const redis = await connectRedis(redisUrl, { maxRetriesPerRequest: 3, onError: (err) => logger.warn({ err }, 'Redis connection problem') });
  return { counters: new RedisRateCounters(redis, `${redisPrefix()}:automod:`), close: async () => void (await redis.quit()) };
}

/** Prefix of every Redis key guyub writes (REDIS_PREFIX, default 'guyub'): several bots, or tests, can share one Redis. */
export function redisPrefix(): string {
  return process.env.REDIS_PREFIX || 'guyub';
}

/**
 * The job scheduler: BullMQ when REDIS_URL is set (jobs survive restarts and are shared by
 * every process on that Redis), the in-process real-time scheduler otherwise. Throws
 * RedisUnreachableError (one line, no password) when Redis cannot be reached.
 */
export async function createScheduler(redisUrl: string | undefined, deps: { logger: Logger; clock: Clock }): Promise<{ scheduler: Scheduler; close(): Promise<void> }> {
  const { logger, clock } = deps;
  if (!redisUrl) {
    const scheduler = new RealTimeScheduler(clock, { onError: (err, job) => logger.error({ err, job: job.id }, 'scheduled job failed') });
    return { scheduler, close: () => scheduler.stop() };
  }
  // BullMQ's worker blocks on Redis and wants no per-request retry limit.
  const redis = await connectRedis(redisUrl, { maxRetriesPerRequest: null, onError: (err) => logger.warn({ err }, 'Redis connection problem (jobs)') });
  const scheduler = new BullMqScheduler({ connection: redis, prefix: redisPrefix(), logger, clock });
  return {
    scheduler,
    async close() {
      await scheduler.stop();
      await redis.quit().catch(() => undefined);
    },
  };
}

/** The configuration for this run: config/ plus GUYUB_CONFIG or an explicit override file. */
export function loadRunConfig(overrideFile?: string): ConfigStore {
  return loadConfig({ overrideFile: overrideFile ?? process.env.GUYUB_CONFIG });
}

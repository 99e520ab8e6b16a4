import { loadConfig, type ConfigStore } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { createCapabilities } from '../engine/capabilities.js';
import { InMemoryRateCounters, RedisRateCounters, type RateCounters } from '../engine/moderation/automod/index.js';
import { Engine } from '../engine/pipeline.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Scheduler } from '../jobs/scheduler.js';

/** Wires the engine with every capability; the one place that knows the whole set. */
export function createEngine(deps: { prisma: PrismaClient; config: ConfigStore; clock: Clock; scheduler: Scheduler; logger: Logger; counters: RateCounters }): Engine {
  const { counters, ...engineDeps } = deps;
  return new Engine({ ...engineDeps, capabilities: createCapabilities({ counters }) });
}

/**
 * Counters for rate-based automod rules: in Redis when REDIS_URL is set, so that several bot
 * processes judge a member together; in memory otherwise (and always in replay).
 */
export async function createRateCounters(redisUrl: string | undefined, logger: Logger): Promise<{ counters: RateCounters; close(): Promise<void> }> {
  if (!redisUrl) return { counters: new InMemoryRateCounters(), close: async () => {} };
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', (err) => logger.warn({ err }, 'Redis connection problem'));
  await redis.connect();
  return { counters: new RedisRateCounters(redis), close: async () => void (await redis.quit()) };
}

/** The configuration for this run: config/ plus GUYUB_CONFIG or an explicit override file. */
export function loadRunConfig(overrideFile?: string): ConfigStore {
  return loadConfig({ overrideFile: overrideFile ?? process.env.GUYUB_CONFIG });
}

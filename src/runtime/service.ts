import { once } from 'node:events';
import type { Redis } from 'ioredis';
import type { EventSink, PlatformAdapter } from '../adapters/adapter.js';
import type { Action, Platform } from '../contracts/index.js';
import type { ConfigStore } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { connectRedis } from '../core/redis.js';
import { openDatabase, type Database } from '../db/index.js';
import type { Engine } from '../engine/pipeline.js';
import { EventQueue, RequeueEvent } from '../jobs/event-queue.js';
import { PlatformOutbox } from '../jobs/platform-outbox.js';
import { EngineMetrics } from '../ops/metrics.js';
import { DEFAULT_DASHBOARD_QUEUES, redisHealthCheck, type HealthCheck } from '../ops/ops-server.js';
import { databaseHealthCheck, pendingJobCount, startOpsIfConfigured } from './ops.js';
import { RuntimeFailure, UsageError } from '../cli/errors.js';
import { redactText } from '../core/logger.js';
import { createEngine, createRateCounters, createScheduler, redisPrefix } from '../cli/runtime.js';
import { ActionRouter, groupByPlatform } from './action-router.js';
import { EventHandlingInterrupted, handleEventsDurably } from './handle-event.js';
import { inOrderSink } from './in-order-sink.js';
import { createPlatformAdapters } from './platforms.js';
import type { Role } from './roles.js';

export interface ServiceOptions {
  role: Role;
  env: NodeJS.ProcessEnv;
  config: ConfigStore;
  logger: Logger;
  /** Aborted when the process should stop (SIGINT, SIGTERM). */
  signal: AbortSignal;
}

/**
 * Jobs' outgoing platform calls per second, across every process (BullMQ's limiter): Discord's
 * global REST limit is 50/s; Slack's chat methods allow about one message per second per channel
 * with bursts, so 20 deliveries (each one event's or job's actions) per second is a safe pace.
 */
const OUTBOX_LIMITS: Record<Exclude<Platform, 'shell'>, { max: number; duration: number }> = {
  discord: { max: 40, duration: 1_000 },
  slack: { max: 20, duration: 1_000 },
};

const PLATFORM_NAMES: Record<Platform, string> = { discord: 'Discord', slack: 'Slack', shell: 'the shell' };

/** Runs the bot on its platforms in one of the roles until `signal` aborts; then stops in order. */
export async function runService(options: ServiceOptions): Promise<void> {
  const { role, env, config, logger, signal } = options;
  const split = role !== 'all';
  if (split && !env.REDIS_URL) throw new UsageError(`--role ${role} needs REDIS_URL: the roles share events and jobs through Redis`);
  if (split && !env.DATABASE_URL) throw new UsageError(`--role ${role} needs DATABASE_URL: the roles share one PostgreSQL database`);

  // Closed in reverse order of opening: intake first, the stores last.
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'error while stopping'));
  };
  try {
    const database: Database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR ?? 'data' });
    closers.push(() => database.close());
    let redis: Redis | undefined;
    if (env.REDIS_URL) {
      const client = await connectRedis(env.REDIS_URL, { maxRetriesPerRequest: null, onError: (err) => logger.warn({ err }, 'Redis connection problem') });
      closers.push(async () => void (await client.quit().catch(() => undefined)));
      redis = client;
    }

    const adapters: PlatformAdapter[] = role === 'all' || role === 'gateway' ? createPlatformAdapters(env, { prisma: database.prisma, config, logger }, { repliesArriveLater: role === 'gateway' }) : [];
    if (role === 'gateway' && adapters.length === 0) throw new UsageError('--role gateway needs platform credentials: DISCORD_TOKEN and/or SLACK_BOT_TOKEN (or the Slack OAuth variables)');
    // Released last among the platform parts: the outboxes and jobs stopped before still carry out actions.
    for (const adapter of adapters) if (adapter.dispose) closers.push(() => adapter.dispose!());
    const router = new ActionRouter(adapters, logger);

    // With Redis, actions that do not answer a live event (jobs', and all of them in split roles) go
    // through one rate-limited outbox per platform, delivered by the processes holding the adapters.
    const outboxes = new Map<Platform, PlatformOutbox<Action[]>>();
    if (redis) {
      for (const platform of ['discord', 'slack'] as const) {
        const outbox = new PlatformOutbox<Action[]>({ connection: redis, prefix: redisPrefix(), platform, limit: OUTBOX_LIMITS[platform], logger });
        outboxes.set(platform, outbox);
        closers.push(() => outbox.stop());
      }
    }
    const sendToOutboxes = async (actions: Action[]) => {
      for (const [platform, list] of groupByPlatform(actions)) {
        const outbox = outboxes.get(platform);
        if (outbox) await outbox.send(list);
        else logger.error({ platform, actions: list.map((a) => a.type) }, 'no outbox for this platform: actions not carried out');
      }
    };

    // Events received and not yet handled, for /metrics: the backlog of this process, or of the queue.
    let handingOver = 0;
    let eventQueue: EventQueue | undefined;
    const queuedEvents = async () => (eventQueue ? eventQueue.depth() : handingOver);
    let engine: Engine | undefined;
    let metrics: EngineMetrics | undefined;
    if (role !== 'gateway') {
      // The counters close after the scheduler: the jobs that finish during the stop run through the engine.
      const rate = await createRateCounters(env.REDIS_URL, logger);
      closers.push(() => rate.close());
      const jobs = await createScheduler(env.REDIS_URL, { logger, clock: systemClock });
      closers.push(() => jobs.close());
      const { scheduler } = jobs;
      metrics = new EngineMetrics({
        pendingJobs: pendingJobCount(scheduler),
        queuedEvents,
      });
      engine = createEngine({ prisma: database.prisma, config, clock: systemClock, scheduler, logger, counters: rate.counters, observer: metrics, storeOutages: { signal } });
      engine.attachJobs(redis ? sendToOutboxes : (actions) => router.execute(actions));
      if (role === 'all' || role === 'scheduler') {
        // Timers the previous run left (a poll's deadline, repeating digests) are armed again.
        const communities = await engine.recover();
        logger.info({ communities }, 'scheduled work re-armed');
      }
      if (role === 'all' || role === 'worker') await scheduler.start();
    }
    if (split && redis && role !== 'scheduler') {
      const queue = new EventQueue({ connection: redis, prefix: redisPrefix(), partitions: eventPartitions(env), logger });
      closers.push(() => queue.stop());
      eventQueue = queue;
    }

    if (role === 'all' || role === 'gateway') {
      for (const adapter of adapters) await outboxes.get(adapter.platform)?.start((actions) => adapter.execute(actions));
    }
    if (role === 'worker') {
      const theEngine = engine!;
      await eventQueue!.consume(async (events) => {
        try {
          await handleEventsDurably(theEngine, events, sendToOutboxes, { logger, signal });
        } catch (error) {
          // Stopping while the event waited for the database: the next worker takes it first.
          if (error instanceof EventHandlingInterrupted) throw new RequeueEvent('the worker is stopping');
          throw error;
        }
      });
    }

    const checks: HealthCheck[] = [databaseHealthCheck(database.prisma)];
    if (redis) checks.push(redisHealthCheck(redis));
    const queueNames = [...DEFAULT_DASHBOARD_QUEUES, ...(split ? Array.from({ length: eventPartitions(env) }, (_, i) => `events-${i}`) : [])];
    const dashboard = redis ? { password: env.BULL_BOARD_PASSWORD, connection: redis, prefix: redisPrefix(), logger, queueNames } : undefined;
    const ops = await startOpsIfConfigured(env, { metrics: metrics ?? new EngineMetrics({ queuedEvents }), checks, ...(dashboard && { dashboard }), logger });
    if (ops) closers.push(() => ops.close());

    // The platforms last: events arrive only once everything they need is running.
    const local = engine && inOrderSink(engine, (actions) => router.execute(actions), { logger, signal });
    const sink: EventSink =
      role === 'gateway'
        ? (event) => eventQueue!.publish(event)
        : (event) => {
            handingOver++;
            return local!.sink(event).finally(() => handingOver--);
          };
    // The intake stops first, and one community's queued hand-overs are finished before the queues close.
    if (local) closers.push(() => local.idle());
    for (const adapter of adapters) {
      // Registered before start: an adapter that connected and then failed is still stopped.
      closers.push(() => adapter.stop());
      try {
        await adapter.start(sink);
      } catch (error) {
        const reason = redactText((error as Error)?.message ?? String(error)).split('\n')[0];
        throw new RuntimeFailure(`could not connect to ${PLATFORM_NAMES[adapter.platform]}: ${reason} (check its token and, if set, its API URL)`, { cause: error });
      }
    }
    logger.info({ role, platforms: adapters.map((a) => a.platform) }, 'guyub is running');
    if (!signal.aborted) await once(signal, 'abort');
    logger.info({ role }, 'stopping');
  } finally {
    await closeAll();
  }
}

function eventPartitions(env: NodeJS.ProcessEnv): number {
  const raw = env.EVENT_PARTITIONS ?? '16';
  const partitions = Number(raw);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) throw new UsageError(`EVENT_PARTITIONS must be a whole number from 1 to 1024, got "${raw}"`);
  return partitions;
}

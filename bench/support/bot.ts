// The bot as `guyub start --role all` runs it without Redis: every capability, the in-process
// real-time scheduler, in-memory automod counters, PostgreSQL (a scratch database here), and
// each event through the service's in-order sink, its actions to the platform adapter.
import type { PlatformAdapter } from '../../src/adapters/adapter.js';
import { createEngine } from '../../src/cli/runtime.js';
import type { ConfigStore } from '../../src/config/index.js';
import type { CommunityEvent } from '../../src/contracts/index.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { createScratchPostgres, openDatabase, type Database, type ScratchPostgres } from '../../src/db/index.js';
import { InMemoryRateCounters } from '../../src/engine/moderation/automod/index.js';
import type { Engine, EventOutcome } from '../../src/engine/pipeline.js';
import { RealTimeScheduler } from '../../src/jobs/in-process-scheduler.js';
import { inOrderSink } from '../../src/runtime/in-order-sink.js';

export interface IngestCounters {
  received: number;
  processed: number;
  /** Outcomes other than processed (duplicate, invalid, failed), by status. */
  other: Record<string, number>;
  /** Events received and not yet through the engine, at its highest. */
  backlogHighWater: number;
  firstReceivedAt: number;
  lastHandledAt: number;
}

export interface BenchBot {
  database: Database;
  engine: Engine;
  counters: IngestCounters;
  /** The sink to give the adapter. */
  sink(event: CommunityEvent): Promise<void>;
  /** Resolves once `count` events went through the engine (or rejects after `timeoutMs`). */
  handled(count: number, timeoutMs: number): Promise<void>;
  /** Rows in PostgreSQL: stored messages and processed message events. */
  rows(): Promise<{ messages: number; processedMessageEvents: number }>;
  dispose(): Promise<void>;
}

export async function startBenchBot(options: { config: ConfigStore; adapter: () => PlatformAdapter | undefined }): Promise<BenchBot> {
  const scratch: ScratchPostgres = await createScratchPostgres();
  let database: Database | undefined;
  try {
    database = await openDatabase({ databaseUrl: scratch.url });
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  const counters: IngestCounters = { received: 0, processed: 0, other: {}, backlogHighWater: 0, firstReceivedAt: 0, lastHandledAt: 0 };
  const scheduler = new RealTimeScheduler(systemClock, { onError: () => undefined });
  const handledCount = () => counters.processed + Object.values(counters.other).reduce((a, b) => a + b, 0);
  const engine = createEngine({
    prisma: database.prisma,
    config: options.config,
    clock: systemClock,
    scheduler,
    logger: silentLogger,
    counters: new InMemoryRateCounters(),
    storeOutages: {},
    observer: {
      eventHandled(outcome: EventOutcome) {
        if (outcome.status === 'processed') counters.processed++;
        else counters.other[outcome.status] = (counters.other[outcome.status] ?? 0) + 1;
        counters.lastHandledAt = performance.now();
      },
      jobRan: () => undefined,
    },
  });
  const deliver = async (actions: Parameters<PlatformAdapter['execute']>[0]) => {
    await options.adapter()?.execute(actions);
  };
  engine.attachJobs((actions) => deliver(actions));
  const local = inOrderSink(engine, deliver, { logger: silentLogger });
  await scheduler.start();
  const db = database;
  return {
    database: db,
    engine,
    counters,
    sink(event) {
      if (counters.received++ === 0) counters.firstReceivedAt = performance.now();
      counters.backlogHighWater = Math.max(counters.backlogHighWater, counters.received - handledCount());
      return local.sink(event);
    },
    async handled(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (handledCount() < count) {
        if (Date.now() > deadline) throw new Error(`only ${handledCount()} of ${count} events went through the engine within ${timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async rows() {
      const [row] = await db.prisma.$queryRaw<{ messages: bigint; processed: bigint }[]>`
        SELECT (SELECT count(*) FROM "Message") AS messages,
               (SELECT count(*) FROM "ProcessedEvent" WHERE type = 'message.created') AS processed`;
      return { messages: Number(row!.messages), processedMessageEvents: Number(row!.processed) };
    },
    async dispose() {
      await scheduler.stop();
      await db.close();
      await scratch.drop();
    },
  };
}

import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/index.js';
import { VirtualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { createScratchPostgres, openDatabase, type Database } from '../src/db/index.js';
import { createCapabilities } from '../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../src/engine/moderation/automod/index.js';
import { Engine } from '../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../src/jobs/in-process-scheduler.js';

export interface ThroughputResult {
  backend: string;
  mode: 'concurrent' | 'sequential';
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50ms: number;
  p99ms: number;
}

/** A realistic-ish stream: joins, then messages with replies and mentions, across communities. */
function* syntheticEvents(total: number, communities: number): Generator<Record<string, unknown>> {
  const start = Date.UTC(2026, 10, 1);
  for (let i = 0; i < total; i++) {
    const community = `g${i % communities}`;
    const member = `u${Math.floor(i / communities) % 500}`;
    const at = new Date(start + i * 50).toISOString();
    if (i % 20 === 0) {
      yield { type: 'member.joined', id: `e${i}`, platform: 'discord', community, at, member: { id: `new${i}`, name: `New ${i}` } };
    } else {
      yield {
        type: 'message.created',
        id: `e${i}`,
        platform: 'discord',
        community,
        at,
        channel: `c${i % 7}`,
        author: { id: member, name: `Member ${member}` },
        text: `message number ${i} about something worth saying`,
        ...(i % 3 === 0 && { replyTo: `e${i - communities}` }),
        ...(i % 5 === 0 && { mentions: [`u${(i + 1) % 500}`] }),
      };
    }
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/**
 * Feeds `total` events through the engine, either all at once (every community in flight:
 * throughput, latency includes queueing) or one at a time (latency of a single event).
 */
export async function measureEngineThroughput(
  backend: 'pglite' | 'postgres',
  total: number,
  mode: 'concurrent' | 'sequential',
  communities = 16,
): Promise<ThroughputResult> {
  let database: Database;
  let drop = async () => {};
  if (backend === 'postgres') {
    const scratch = await createScratchPostgres();
    database = await openDatabase({ databaseUrl: scratch.url });
    drop = scratch.drop;
  } else {
    database = await openDatabase({ dataDir: 'memory://' });
  }
  try {
    const clock = new VirtualClock(Date.UTC(2026, 10, 1));
    const engine = new Engine({
      prisma: database.prisma,
      config: loadConfig(),
      clock,
      scheduler: new VirtualTimeScheduler(clock),
      logger: silentLogger,
      capabilities: createCapabilities({ counters: new InMemoryRateCounters() }),
    });
    const latencies: number[] = [];
    const began = performance.now();
    const inFlight: Promise<void>[] = [];
    for (const event of syntheticEvents(total, communities)) {
      const sent = performance.now();
      const handled = engine.handle(event).then((outcome) => {
        if (outcome.status !== 'processed') throw new Error(`event ${String(event.id)} was ${outcome.status}`);
        latencies.push(performance.now() - sent);
      });
      if (mode === 'sequential') await handled;
      else inFlight.push(handled);
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - began) / 1000;
    latencies.sort((a, b) => a - b);
    return { backend, mode, events: total, seconds, eventsPerSecond: total / seconds, p50ms: quantile(latencies, 0.5), p99ms: quantile(latencies, 0.99) };
  } finally {
    await database.close();
    await drop();
  }
}

// `node --import tsx bench/scale-out.ts` (issue 10, item 3): worker processes (`guyub start
// --role worker`, run from src with tsx) against one Redis and one scratch PostgreSQL database.
// Events for 40 communities are published straight to the partitioned event queue
// (src/jobs/event-queue.ts), each community's in order; we time how long 1 worker and then 2
// workers take to drain them, and check that every community's events were handled in the
// order published (ProcessedEvent and Message rows, by id, against the events' times).
// BENCH_SCALE_EVENTS (default 5,000; BENCH_FULL=1: 50,000), BENCH_SCALE_COMMUNITIES (40).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommunityEventSchema, type CommunityEvent } from '../src/contracts/index.js';
import { silentLogger } from '../src/core/logger.js';
import { packageRoot } from '../src/core/paths.js';
import { connectRedis } from '../src/core/redis.js';
import { createScratchPostgres, openDatabase } from '../src/db/index.js';
import { EventQueue } from '../src/jobs/event-queue.js';
import { tsxLoader } from './support/child.js';
import { benchFull, envNumber, figure, isMain, markdownTable } from './support/table.js';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface DrainFigures {
  workers: number;
  events: number;
  communities: number;
  publishSeconds: number;
  drainSeconds: number;
  eventsPerSecond: number;
  processed: number;
  /** Communities whose rows are not in the order their events were published. */
  outOfOrderCommunities: number;
  failedJobs: number;
  /** CPU seconds the worker processes used (user + system, from /proc), summed. */
  workerCpuSeconds: number;
}

/** Per community: a few joins, then messages, some replying to the one before or mentioning a member; `at` rises with publish order. */
function scaleEvents(total: number, communities: number): CommunityEvent[][] {
  const start = Date.UTC(2026, 10, 2, 9);
  const lanes: CommunityEvent[][] = Array.from({ length: communities }, () => []);
  for (let i = 0; i < total; i++) {
    const c = i % communities;
    const k = lanes[c]!.length;
    const community = `scale-${c}`;
    const at = new Date(start + i * 100).toISOString();
    const id = `scale-${c}-${k}`;
    const author = { id: `u${c}-${k % 30}`, name: `Member ${k % 30}` };
    lanes[c]!.push(CommunityEventSchema.parse(
      k % 25 === 0
        ? { type: 'member.joined', id, platform: 'discord', community, at, member: { id: `new-${c}-${k}`, name: `Newcomer ${k}` } }
        : {
            type: 'message.created',
            id,
            platform: 'discord',
            community,
            at,
            channel: ['general', 'help', 'random'][k % 3],
            author,
            text: `message ${k} in ${community}, about brewing and grinders`,
            ...(k % 3 === 0 && k > 1 && { replyTo: `scale-${c}-${k - 1}` }),
            ...(k % 5 === 0 && { mentions: [`u${c}-${(k + 1) % 30}`] }),
          },
    ));
  }
  return lanes;
}

function startWorker(env: NodeJS.ProcessEnv): { process: ChildProcess; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, ['--import', tsxLoader, path.join(packageRoot, 'src/cli/main.ts'), 'start', '--role', 'worker'], {
    cwd: packageRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (output.includes('guyub is running')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it was running: ${output}`)));
  });
  return { process: child, ready, output: () => output };
}

/** User + system CPU seconds of a process so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Drains `events` published events with `workers` worker processes; a scratch database and Redis prefix of its own. */
export async function drain(workers: number, events: number, communities: number): Promise<DrainFigures> {
  const prefix = `guyub-bench-scale-${randomBytes(4).toString('hex')}`;
  const scratch = await createScratchPostgres();
  const redis = await connectRedis(REDIS_URL, { maxRetriesPerRequest: null });
  const children: ChildProcess[] = [];
  let queue: EventQueue | undefined;
  try {
    // Migrated here, once, before the workers open it.
    const database = await openDatabase({ databaseUrl: scratch.url });
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', DATABASE_URL: scratch.url, REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'info' };
      const started = Array.from({ length: workers }, () => startWorker(env));
      children.push(...started.map((s) => s.process));
      await Promise.all(started.map((s) => s.ready));
      const cpuAtStart = children.reduce((sum, child) => sum + cpuSeconds(child.pid), 0);

      queue = new EventQueue({ connection: redis, prefix, logger: silentLogger });
      const lanes = scaleEvents(events, communities);
      const began = performance.now();
      // As a gateway publishes: each event as it arrives, without waiting for the one before;
      // each community's in order, communities interleaved.
      const arrivals: CommunityEvent[] = [];
      for (let i = 0; arrivals.length < events; i++) for (const lane of lanes) if (lane[i]) arrivals.push(lane[i]!);
      await Promise.all(arrivals.map((event) => queue!.publish(event)));
      const publishSeconds = (performance.now() - began) / 1000;
      const processed = async () => Number((await database.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "ProcessedEvent"`)[0]!.n);
      const deadline = Date.now() + 120_000 + events * 50;
      let done = await processed();
      while (done < events && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        done = await processed();
      }
      const drainSeconds = (performance.now() - began) / 1000;
      const workerCpuSeconds = children.reduce((sum, child) => sum + cpuSeconds(child.pid), 0) - cpuAtStart;
      // Rows by id (insertion order) must have the events' times rising, per community.
      const [order] = await database.prisma.$queryRaw<{ events: bigint; messages: bigint }[]>`
        SELECT
          (SELECT count(DISTINCT "communityId") FROM (
             SELECT "communityId", "occurredAt" < lag("occurredAt") OVER (PARTITION BY "communityId" ORDER BY id) AS back FROM "ProcessedEvent") p WHERE back) AS events,
          (SELECT count(DISTINCT "communityId") FROM (
             SELECT "communityId", "sentAt" < lag("sentAt") OVER (PARTITION BY "communityId" ORDER BY id) AS back FROM "Message") m WHERE back) AS messages`;
      const failedJobs = (await Promise.all(Array.from({ length: 16 }, (_, p) => redis.zcard(`${prefix}:events-${p}:failed`)))).reduce((a, b) => a + b, 0);
      return {
        workers,
        events,
        communities,
        publishSeconds,
        drainSeconds,
        eventsPerSecond: done / drainSeconds,
        processed: done,
        outOfOrderCommunities: Math.max(Number(order!.events), Number(order!.messages)),
        failedJobs,
        workerCpuSeconds,
      };
    } finally {
      await database.close();
    }
  } finally {
    await Promise.all(children.map(stopWorker));
    await queue?.stop();
    // Every key this run wrote: the event queues, the workers' job scheduler, outboxes and automod counters.
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
    await scratch.drop();
  }
}

export async function benchScaleOut(): Promise<string> {
  const events = envNumber('BENCH_SCALE_EVENTS', benchFull() ? 50_000 : 5_000);
  const communities = envNumber('BENCH_SCALE_COMMUNITIES', 40);
  const one = await drain(1, events, communities);
  const two = await drain(2, events, communities);
  const row = (f: DrainFigures) => [
    `${f.workers} worker${f.workers > 1 ? 's' : ''}`,
    f.communities,
    figure(f.events),
    figure(f.processed),
    figure(f.publishSeconds, 2),
    figure(f.drainSeconds, 2),
    figure(f.eventsPerSecond),
    `${figure(f.workerCpuSeconds, 1)} (${figure((f.workerCpuSeconds / f.drainSeconds) * 100)} % of a core)`,
    f.outOfOrderCommunities,
    f.failedJobs,
  ];
  return markdownTable(['event queue → `guyub start --role worker`', 'communities', 'events', 'processed', 'publish s', 'drain s', 'events/s', 'workers\' CPU s while draining', 'communities out of order', 'failed jobs'], [
    row(one),
    row(two),
    ['2 workers / 1 worker', '', '', '', '', '', `**${figure(two.eventsPerSecond / one.eventsPerSecond, 2)}×**`, '', '', ''],
  ]);
}

if (isMain(import.meta.url)) console.log(await benchScaleOut());

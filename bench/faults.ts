// `node --import tsx bench/faults.ts` (FAULT_OUTAGE_SECONDS, default 30): issue 9's faults, on the
// real BullMqScheduler, a redis-server of our own (the machine's Redis is never stopped) and a
// scratch PostgreSQL database where every run of a job and its effect are recorded.
//
// - Redis stopped while jobs are due: jobs are scheduled, Redis is stopped with SIGTERM (it runs
//   with the append-only file, fsync always, as BullMQ recommends for queues, so what it
//   acknowledged survives the stop) and started again on the same port and directory after the
//   outage. Every job falls due during the outage. No job may be lost and none may run twice.
// - A worker killed mid-job: a worker in a child process takes the job, starts its effect in a
//   PostgreSQL transaction and blocks; it is killed with SIGKILL. Its lock lapses, a worker in
//   this process finds the stalled job and runs it again; the effect (a row with a unique key)
//   must exist once.
// tests/jobs/faults.test.ts runs these scenarios and checks their figures.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { silentLogger } from '../src/core/logger.js';
import { packageRoot } from '../src/core/paths.js';
import { createScratchPostgres } from '../src/db/index.js';
import { BullMqScheduler } from '../src/jobs/bullmq-scheduler.js';
import { startOwnRedisServer } from '../tests/support/redis-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export interface OutageFigures {
  outageSeconds: number;
  jobsDue: number;
  jobsRun: number;
  /** Runs beyond the first of a job. */
  duplicates: number;
  lost: number;
  /** Runs that happened while Redis was stopped (none can: the jobs are in Redis). */
  ranDuringOutage: number;
  /** From Redis accepting connections again to the last overdue job having run. */
  secondsToRecover: number;
  failedJobs: number;
}

/** Jobs fall due while Redis is stopped; after the restart each must run exactly once. */
export async function redisOutage(options: { outageMs?: number; jobs?: number } = {}): Promise<OutageFigures> {
  const outageMs = options.outageMs ?? 30_000;
  const jobs = options.jobs ?? 10;
  const redis = await startOwnRedisServer();
  const scratch = await createScratchPostgres();
  // A pool: the worker runs several jobs at once.
  const db = new pg.Pool({ connectionString: scratch.url, max: 5 });
  let scheduler: BullMqScheduler | undefined;
  try {
    await db.query('CREATE TABLE job_runs (job_id text NOT NULL, due_at timestamptz NOT NULL, ran_at timestamptz NOT NULL DEFAULT clock_timestamp())');
    scheduler = new BullMqScheduler({ connection: redis.url, prefix: 'guyub-faults', backoffMs: 500, logger: silentLogger });
    scheduler.handle('fault.note', async (job) => void (await db.query('INSERT INTO job_runs (job_id, due_at) VALUES ($1, $2)', [job.id, job.dueAt])));
    await scheduler.start();
    // Due from 2 s after the stop to 4 s before the restart.
    const stopAt = Date.now();
    for (let i = 0; i < jobs; i++) {
      const runAt = new Date(stopAt + 2_000 + Math.round((i * (outageMs - 6_000)) / Math.max(1, jobs - 1)));
      await scheduler.schedule({ id: `fault:note:${i}`, name: 'fault.note', runAt, payload: { i } });
    }
    await redis.stop();
    const stoppedAt = Date.now();
    await sleep(Math.max(0, stoppedAt + outageMs - Date.now()));
    const outageSeconds = (Date.now() - stoppedAt) / 1000;
    await redis.start();
    const restartedAt = Date.now();
    const ran = async () => Number((await db.query<{ n: string }>('SELECT count(DISTINCT job_id) AS n FROM job_runs')).rows[0]!.n);
    await waitFor(async () => (await ran()) >= jobs, 30_000, `${jobs} jobs to run after the restart`).catch(() => undefined);
    const { last } = (await db.query<{ last: Date | null }>('SELECT max(ran_at) AS last FROM job_runs')).rows[0]!;
    // Time for a duplicate run to show up, if there were one.
    await sleep(3_000);
    const { runs, distinct, early } = (
      await db.query<{ runs: number; distinct: number; early: number }>(
        'SELECT count(*)::int AS runs, count(DISTINCT job_id)::int AS distinct, count(*) FILTER (WHERE ran_at < $1)::int AS early FROM job_runs',
        [new Date(restartedAt)],
      )
    ).rows[0]!;
    return {
      outageSeconds,
      jobsDue: jobs,
      jobsRun: runs,
      duplicates: runs - distinct,
      lost: jobs - distinct,
      ranDuringOutage: early,
      secondsToRecover: last ? (last.getTime() - restartedAt) / 1000 : Number.NaN,
      failedJobs: (await scheduler.failedJobs()).length,
    };
  } finally {
    await scheduler?.stop();
    await db.end().catch(() => undefined);
    await scratch.drop();
    await redis.dispose();
  }
}

export interface KilledWorkerFigures {
  /** Runs started (the killed worker's and the retry). */
  runs: number;
  /** Rows of the effect (unique per job): must be 1. */
  effects: number;
  /** The process whose run made the effect is not the killed one. */
  effectByOtherWorker: boolean;
  /** From SIGKILL to the effect committed by the other worker. */
  secondsToRecover: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  failedJobs: number;
}

/** The worker that runs in a child process: starts the job's effect in a transaction, then blocks until killed. */
const CHILD_WORKER = `
import pg from 'pg';
import { BullMqScheduler } from ${JSON.stringify(pathToFileURL(path.join(packageRoot, 'src/jobs/bullmq-scheduler.ts')).href)};
const db = new pg.Client({ connectionString: process.env.FAULT_DATABASE_URL });
await db.connect();
const log = new pg.Client({ connectionString: process.env.FAULT_DATABASE_URL });
await log.connect();
const scheduler = new BullMqScheduler({
  connection: process.env.FAULT_REDIS_URL, prefix: 'guyub-faults',
  lockDurationMs: Number(process.env.FAULT_LOCK_MS), stalledIntervalMs: Number(process.env.FAULT_STALLED_MS),
});
scheduler.handle('fault.effect', async (job) => {
  await db.query('BEGIN');
  await db.query('INSERT INTO effects (job_id, pid) VALUES ($1, $2) ON CONFLICT (job_id) DO NOTHING', [job.id, process.pid]);
  await log.query('INSERT INTO job_runs (job_id, pid) VALUES ($1, $2)', [job.id, process.pid]);
  await new Promise(() => {});
});
await scheduler.start();
process.stdout.write('ready\\n');
`;

/** A worker is killed (SIGKILL) in the middle of a job; another worker must run it once more, and its effect must exist once. */
export async function killedWorker(options: { lockDurationMs?: number; stalledIntervalMs?: number } = {}): Promise<KilledWorkerFigures> {
  const lockDurationMs = options.lockDurationMs ?? 2_000;
  const stalledIntervalMs = options.stalledIntervalMs ?? 1_000;
  const redis = await startOwnRedisServer();
  const scratch = await createScratchPostgres();
  const db = new pg.Pool({ connectionString: scratch.url, max: 3 });
  let scheduler: BullMqScheduler | undefined;
  const tsxLoader = pathToFileURL(path.join(packageRoot, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = { process: undefined as ReturnType<typeof spawn> | undefined };
  try {
    await db.query('CREATE TABLE job_runs (job_id text NOT NULL, pid int NOT NULL, started_at timestamptz NOT NULL DEFAULT clock_timestamp())');
    await db.query('CREATE TABLE effects (job_id text PRIMARY KEY, pid int NOT NULL, done_at timestamptz NOT NULL DEFAULT clock_timestamp())');
    const worker = spawn(process.execPath, ['--import', tsxLoader, '--input-type=module', '-e', CHILD_WORKER], {
      cwd: packageRoot,
      env: { ...process.env, FAULT_REDIS_URL: redis.url, FAULT_DATABASE_URL: scratch.url, FAULT_LOCK_MS: String(lockDurationMs), FAULT_STALLED_MS: String(stalledIntervalMs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.process = worker;
    let output = '';
    worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    await waitFor(async () => output.includes('ready') || worker.exitCode !== null, 30_000, 'the child worker to start');
    if (!output.includes('ready')) throw new Error(`the child worker did not start: ${output}`);

    // This process's scheduler only adds the job until the child is killed.
    scheduler = new BullMqScheduler({ connection: redis.url, prefix: 'guyub-faults', lockDurationMs, stalledIntervalMs, logger: silentLogger });
    scheduler.handle('fault.effect', async (job) => {
      await db.query('INSERT INTO job_runs (job_id, pid) VALUES ($1, $2)', [job.id, process.pid]);
      await db.query('INSERT INTO effects (job_id, pid) VALUES ($1, $2) ON CONFLICT (job_id) DO NOTHING', [job.id, process.pid]);
    });
    await scheduler.schedule({ id: 'fault:effect:1', name: 'fault.effect', runAt: new Date() });
    const runs = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM job_runs')).rows[0]!.n);
    await waitFor(async () => (await runs()) >= 1, 15_000, 'the child worker to take the job');

    worker.kill('SIGKILL');
    const killedAt = Date.now();
    await exited;
    await scheduler.start();
    const effectDone = async () => (await db.query('SELECT 1 FROM effects WHERE pid = $1', [process.pid])).rowCount === 1;
    await waitFor(effectDone, 30_000, 'the stalled job to run again').catch(() => undefined);
    const { done } = (await db.query<{ done: Date | null }>('SELECT max(done_at) AS done FROM effects')).rows[0]!;
    // Time for a third run to show up, if there were one.
    await sleep(Math.max(3_000, 2 * lockDurationMs));
    const effects = (await db.query<{ pid: number }>('SELECT pid FROM effects')).rows;
    return {
      runs: await runs(),
      effects: effects.length,
      effectByOtherWorker: effects.length === 1 && effects[0]!.pid === process.pid,
      secondsToRecover: done ? (done.getTime() - killedAt) / 1000 : Number.NaN,
      lockDurationMs,
      stalledIntervalMs,
      failedJobs: (await scheduler.failedJobs()).length,
    };
  } finally {
    if (child.process && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await scheduler?.stop();
    await db.end().catch(() => undefined);
    await scratch.drop();
    await redis.dispose();
  }
}

async function main(): Promise<void> {
  const outage = await redisOutage({ outageMs: Number(process.env.FAULT_OUTAGE_SECONDS ?? 30) * 1000 });
  console.log('| Redis stopped (SIGTERM, AOF) while jobs are due | outage s | jobs due | jobs run | duplicates | lost | run during the outage | failed | s from restart to last job run |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(
    `| BullMqScheduler, own redis-server | ${outage.outageSeconds.toFixed(1)} | ${outage.jobsDue} | ${outage.jobsRun} | ${outage.duplicates} | ${outage.lost} | ${outage.ranDuringOutage} | ${outage.failedJobs} | ${outage.secondsToRecover.toFixed(2)} |`,
  );
  const killed = await killedWorker();
  console.log('');
  console.log('| worker killed (SIGKILL) mid-job | lock ms | stalled check ms | runs started | effect rows | effect by the other worker | failed | s from kill to effect |');
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(`| child-process worker, retried in this process | ${killed.lockDurationMs} | ${killed.stalledIntervalMs} | ${killed.runs} | ${killed.effects} | ${killed.effectByOtherWorker ? 'yes' : 'no'} | ${killed.failedJobs} | ${killed.secondsToRecover.toFixed(2)} |`);
}

if (process.argv[1]?.endsWith('faults.ts')) await main();

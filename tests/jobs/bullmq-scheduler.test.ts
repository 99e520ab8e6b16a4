import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../src/contracts/index.js';
import { loadConfig } from '../../src/config/index.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { openDatabase, type Database } from '../../src/db/index.js';
import type { Capability } from '../../src/engine/capability.js';
import { Engine } from '../../src/engine/pipeline.js';
import { BullMqScheduler, type BullMqSchedulerOptions } from '../../src/jobs/bullmq-scheduler.js';
import type { JobRun } from '../../src/jobs/scheduler.js';
import { deleteKeys } from '../support/redis.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every key of this run lives under this prefix; afterAll deletes them. */
const prefix = `guyub-test-${randomUUID()}`;

let redis: Redis;
const schedulers: BullMqScheduler[] = [];
let queueCount = 0;

/** A scheduler on a queue of its own (or on `queueName`, to share one), stopped after each test. */
function newScheduler(options: Partial<BullMqSchedulerOptions> = {}): BullMqScheduler {
  const scheduler = new BullMqScheduler({ connection: redis, prefix, queueName: `q${++queueCount}`, concurrency: 4, backoffMs: 50, ...options });
  schedulers.push(scheduler);
  return scheduler;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inMs = (ms: number) => new Date(Date.now() + ms);

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
});

afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) {
    await scheduler.stop();
    await scheduler.obliterate().catch(() => undefined);
  }
});

afterAll(async () => {
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

describe('BullMQ scheduler on the real Redis', () => {
  it('runs a delayed job at its time, with dueAt the scheduled time', async () => {
    const scheduler = newScheduler();
    const runs: { job: JobRun; startedAt: number }[] = [];
    scheduler.handle('note', async (job) => void runs.push({ job, startedAt: Date.now() }));
    await scheduler.start();
    const runAt = inMs(300);
    await scheduler.schedule({ id: 'discord:g1:note:1', name: 'note', runAt, payload: { n: 1 } });
    expect(await scheduler.pendingJobIds()).toEqual(['discord:g1:note:1']);
    await waitFor(() => runs.length === 1);
    const [run] = runs;
    expect(run!.job).toEqual({ id: 'discord:g1:note:1', name: 'note', payload: { n: 1 }, dueAt: runAt });
    expect(run!.startedAt).toBeGreaterThanOrEqual(runAt.getTime() - 5);
    expect(await scheduler.pendingJobIds()).toEqual([]);
  });

  it('replaces a job scheduled twice under one id: it runs once, at the second time', async () => {
    const scheduler = newScheduler();
    const runs: JobRun[] = [];
    scheduler.handle('note', async (job) => void runs.push(job));
    await scheduler.start();
    await scheduler.schedule({ id: 'g1:poll:7', name: 'note', runAt: inMs(200), payload: 'first' });
    const second = inMs(500);
    await scheduler.schedule({ id: 'g1:poll:7', name: 'note', runAt: second, payload: 'second' });
    expect(await scheduler.pendingJobIds()).toEqual(['g1:poll:7']);
    await waitFor(() => runs.length > 0);
    await sleep(300);
    expect(runs).toEqual([{ id: 'g1:poll:7', name: 'note', payload: 'second', dueAt: second }]);
  });

  it('replaces a job that is already due and waiting for a worker', async () => {
    const scheduler = newScheduler();
    const runs: JobRun[] = [];
    scheduler.handle('note', async (job) => void runs.push(job));
    // Not started: the first job waits, due, with no worker to take it.
    await scheduler.schedule({ id: 'due', name: 'note', runAt: new Date(Date.now() - 1_000), payload: 'first' });
    const second = inMs(100);
    await scheduler.schedule({ id: 'due', name: 'note', runAt: second, payload: 'second' });
    expect(await scheduler.pendingJobIds()).toEqual(['due']);
    await scheduler.start();
    await waitFor(() => runs.length > 0);
    await sleep(200);
    expect(runs).toEqual([{ id: 'due', name: 'note', payload: 'second', dueAt: second }]);
  });

  it('lets a running job schedule its own id again (a question escalating to the next level)', async () => {
    const scheduler = newScheduler();
    const levels: number[] = [];
    scheduler.handle('escalate', async (job) => {
      const { level } = job.payload as { level: number };
      levels.push(level);
      if (level < 3) await scheduler.schedule({ id: 'discord:g1:question-escalation:5', name: 'escalate', runAt: inMs(100), payload: { level: level + 1 } });
      await sleep(50);
    });
    await scheduler.start();
    await scheduler.schedule({ id: 'discord:g1:question-escalation:5', name: 'escalate', runAt: inMs(50), payload: { level: 1 } });
    await waitFor(() => levels.length === 3);
    await sleep(200);
    expect(levels).toEqual([1, 2, 3]);
  });

  it('cancels a pending job: it never runs and pendingJobIds no longer lists it', async () => {
    const scheduler = newScheduler();
    let runs = 0;
    scheduler.handle('question.escalate', async () => void runs++);
    await scheduler.start();
    await scheduler.schedule({ id: 'discord:g1:question-escalation:1', name: 'question.escalate', runAt: inMs(300) });
    await scheduler.schedule({ id: 'discord:g1:question-escalation:2', name: 'question.escalate', runAt: inMs(60_000) });
    expect(await scheduler.pendingJobIds()).toEqual(['discord:g1:question-escalation:1', 'discord:g1:question-escalation:2']);
    expect(await scheduler.cancel('discord:g1:question-escalation:1')).toBe(true);
    expect(await scheduler.cancel('discord:g1:question-escalation:1')).toBe(false);
    expect(await scheduler.cancel('never-scheduled')).toBe(false);
    expect(await scheduler.pendingJobIds()).toEqual(['discord:g1:question-escalation:2']);
    await sleep(500);
    expect(runs).toBe(0);
    // The id can be used again after a cancel.
    await scheduler.schedule({ id: 'discord:g1:question-escalation:1', name: 'question.escalate', runAt: inMs(50) });
    await waitFor(() => runs === 1);
  });

  it('repeats a cron job in its time zone, idempotently per id, until cancelled', async () => {
    const scheduler = newScheduler();
    const runs: JobRun[] = [];
    scheduler.handle('tick', async (job) => void runs.push(job));
    await scheduler.start();
    // Every second, but only in the current (or next) hour of Jakarta (UTC+7): with the
    // time zone ignored these hours are 7 hours away, and nothing would run.
    const hour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Jakarta' }).format(new Date()));
    const cron = `* * ${hour},${(hour + 1) % 24} * * *`;
    const spec = { id: 'digest:discord:g1', name: 'tick', cron, timeZone: 'Asia/Jakarta', payload: { community: 'g1' } };
    await scheduler.repeat(spec);
    await scheduler.repeat(spec);
    const queue = new Queue('q' + queueCount, { connection: redis, prefix });
    try {
      expect(await queue.getJobSchedulersCount()).toBe(1);
      expect(await queue.getJobScheduler('digest:discord:g1')).toMatchObject({ pattern: cron, tz: 'Asia/Jakarta', name: 'tick' });
    } finally {
      await queue.close();
    }
    await waitFor(() => runs.length >= 2, 4_000);
    for (const run of runs) {
      expect(run).toMatchObject({ id: 'digest:discord:g1', name: 'tick', payload: { community: 'g1' } });
      // Each run is due on a whole second: the occurrence, not the moment it started.
      expect(run.dueAt.getTime() % 1000).toBe(0);
    }
    expect(new Set(runs.map((run) => run.dueAt.getTime())).size).toBe(runs.length);
    expect(await scheduler.cancel('digest:discord:g1')).toBe(true);
    expect(await scheduler.pendingJobIds()).toEqual([]);
    const after = runs.length;
    await sleep(1_200);
    expect(runs.length).toBeLessThanOrEqual(after + 1); // at most the one that was already running
  });

  it('retries a failing job with exponential backoff and keeps it visible after the last attempt', async () => {
    const scheduler = newScheduler({ attempts: 3, backoffMs: 100 });
    const attempts: { at: number; dueAt: number }[] = [];
    scheduler.handle('flaky', async (job) => {
      attempts.push({ at: Date.now(), dueAt: job.dueAt.getTime() });
      throw new Error(`Discord said no (attempt ${attempts.length})`);
    });
    await scheduler.start();
    const runAt = inMs(20);
    await scheduler.schedule({ id: 'discord:g1:flaky:1', name: 'flaky', runAt });
    await waitFor(async () => (await scheduler.failedJobs()).length === 1);
    expect(attempts).toHaveLength(3);
    // Every attempt is the same run: same due time, so the Engine's dedupe holds across retries.
    expect(attempts.every((a) => a.dueAt === runAt.getTime())).toBe(true);
    const gap1 = attempts[1]!.at - attempts[0]!.at;
    const gap2 = attempts[2]!.at - attempts[1]!.at;
    expect(gap1).toBeGreaterThanOrEqual(95);
    expect(gap2).toBeGreaterThanOrEqual(195);
    const [failed] = await scheduler.failedJobs();
    expect(failed).toMatchObject({ id: 'discord:g1:flaky:1', name: 'flaky', failedReason: 'Discord said no (attempt 3)', attemptsMade: 3 });
    expect(await scheduler.pendingJobIds()).toEqual([]);
  });

  it('fails a job with no handler at once, without retries', async () => {
    const scheduler = newScheduler();
    await scheduler.start();
    await scheduler.schedule({ id: 'orphan', name: 'nobody', runAt: new Date() });
    await waitFor(async () => (await scheduler.failedJobs()).length === 1);
    expect(await scheduler.failedJobs()).toMatchObject([{ id: 'orphan', failedReason: 'no handler registered for job "nobody"', attemptsMade: 1 }]);
  });

  it('stop() waits for a running job to finish', async () => {
    const scheduler = newScheduler();
    let started = false;
    let finished = false;
    scheduler.handle('slow', async () => {
      started = true;
      await sleep(400);
      finished = true;
    });
    await scheduler.start();
    await scheduler.schedule({ id: 'slow', name: 'slow', runAt: new Date() });
    await waitFor(() => started);
    await scheduler.stop();
    expect(finished).toBe(true);
  });

  it('runs a job exactly once when two processes share the queue', async () => {
    const queueName = `shared${++queueCount}`;
    const a = newScheduler({ queueName });
    const b = newScheduler({ queueName, connection: `${REDIS_URL}` });
    const runs: string[] = [];
    a.handle('note', async (job) => void runs.push(`a:${job.id}`));
    b.handle('note', async (job) => void runs.push(`b:${job.id}`));
    await a.start();
    await b.start();
    const runAt = inMs(200);
    // Both processes schedule the same job (the same event reached both), and a second one.
    await a.schedule({ id: 'j1', name: 'note', runAt });
    await b.schedule({ id: 'j1', name: 'note', runAt });
    for (let i = 0; i < 10; i++) await (i % 2 ? a : b).schedule({ id: `k${i}`, name: 'note', runAt: inMs(100) });
    await waitFor(() => runs.length >= 11);
    await sleep(300);
    const ids = runs.map((run) => run.slice(2)).sort();
    expect(ids).toEqual(['j1', 'k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
  });
});

describe('an Engine on the BullMQ scheduler', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(async () => database.close());

  const reminder: Capability = {
    name: 'reminder',
    on: {
      'message.created': async (e, ctx) => {
        if (e.text === 'later') ctx.schedule({ id: `remind:${e.id}`, name: 'reminder.fire', runAt: new Date(Date.now() + 300), payload: { channel: e.channel } });
        return [];
      },
    },
    jobs: {
      'reminder.fire': async (ctx) => [{ type: 'message.send', channel: String(ctx.job.payload.channel), message: { text: `reminder due ${ctx.job.dueAt.toISOString()}` } }],
    },
  };

  it('runs a job scheduled through ctx.schedule and delivers its actions once, even when the job is added twice', async () => {
    const scheduler = newScheduler();
    const queueName = `q${queueCount}`;
    const engine = new Engine({ prisma: database.prisma, config: loadConfig(), clock: systemClock, scheduler, logger: silentLogger, capabilities: [reminder] });
    const delivered: Action[] = [];
    engine.attachJobs(async (actions) => void delivered.push(...actions));
    const message = { type: 'message.created', id: 'm-later', platform: 'discord', community: 'g1', at: new Date().toISOString(), channel: 'c1', author: { id: 'u1', name: 'Ayu' }, text: 'later' };
    expect((await engine.handle(message)).status).toBe('processed');
    expect((await engine.handle(message)).status).toBe('duplicate');
    expect(await scheduler.pendingJobIds()).toEqual(['discord:g1:remind:m-later']);

    // The same job added a second time behind the scheduler's back (as a crashed producer
    // retrying would): two BullMQ jobs with one id and one due time.
    const queue = new Queue(queueName, { connection: redis, prefix });
    let dueAt: Date;
    try {
      const [pending] = await queue.getDelayed();
      dueAt = new Date(pending!.data.dueAt);
      await queue.add(pending!.name, pending!.data, { delay: 200 });
      expect(await queue.getDelayedCount()).toBe(2);
      await scheduler.start();
      await waitFor(async () => (await queue.getCompletedCount()) === 2);
    } finally {
      await queue.close();
    }
    expect(delivered).toEqual([
      {
        type: 'message.send',
        platform: 'discord',
        community: 'g1',
        cause: `job:discord:g1:remind:m-later@${dueAt.toISOString()}`,
        channel: 'c1',
        message: { text: `reminder due ${dueAt.toISOString()}` },
      },
    ]);
  });
});

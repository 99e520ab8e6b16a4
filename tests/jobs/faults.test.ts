// Issue 9's faults on the real BullMqScheduler, a redis-server of the test's own and PostgreSQL.
// The scenarios live in bench/faults.ts, which also prints their figures for the README.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { killedWorker, redisOutage } from '../../bench/faults.js';
import { REDIS_SERVER_BINARY } from '../support/redis-server.js';

describe.skipIf(!existsSync(REDIS_SERVER_BINARY))('jobs when Redis or a worker fails', () => {
  it('loses no job and runs each once when Redis is stopped for 30 s while they fall due', async () => {
    const figures = await redisOutage({ outageMs: 30_000, jobs: 10 });
    expect(figures).toMatchObject({ jobsDue: 10, jobsRun: 10, duplicates: 0, lost: 0, ranDuringOutage: 0, failedJobs: 0 });
    expect(figures.outageSeconds).toBeGreaterThanOrEqual(30);
    // Every job was overdue at the restart: they run as soon as the worker has reconnected.
    expect(figures.secondsToRecover).toBeLessThan(10);
  }, 75_000);

  it('runs a job again when its worker is killed mid-job, and its effect happens once', async () => {
    const figures = await killedWorker({ lockDurationMs: 2_000, stalledIntervalMs: 1_000 });
    expect(figures).toMatchObject({ runs: 2, effects: 1, effectByOtherWorker: true, failedJobs: 0 });
    // The lock lapses within 2 s and a stalled-job check runs every second.
    expect(figures.secondsToRecover).toBeLessThan(10);
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { VirtualClock, systemClock } from '../../src/core/clock.js';
import { RealTimeScheduler, VirtualTimeScheduler } from '../../src/jobs/in-process-scheduler.js';

const at = (iso: string) => new Date(iso);

describe('virtual-time scheduler', () => {
  it('runs due jobs in due order with the clock at each due time', async () => {
    const clock = new VirtualClock(at('2026-11-01T00:00:00Z'));
    const scheduler = new VirtualTimeScheduler(clock);
    const seen: string[] = [];
    scheduler.handle('note', async (job) => void seen.push(`${(job.payload as { n: string }).n}@${clock.now().toISOString()}`));
    await scheduler.schedule({ id: 'b', name: 'note', runAt: at('2026-11-01T02:00:00Z'), payload: { n: 'b' } });
    await scheduler.schedule({ id: 'a', name: 'note', runAt: at('2026-11-01T01:00:00Z'), payload: { n: 'a' } });
    await scheduler.schedule({ id: 'c', name: 'note', runAt: at('2026-11-01T05:00:00Z'), payload: { n: 'c' } });
    expect(await scheduler.runUntil(at('2026-11-01T03:00:00Z'))).toBe(2);
    expect(seen).toEqual(['a@2026-11-01T01:00:00.000Z', 'b@2026-11-01T02:00:00.000Z']);
    expect(clock.now().toISOString()).toBe('2026-11-01T03:00:00.000Z');
    expect(scheduler.pendingCount()).toBe(1);
  });

  it('replaces a job scheduled twice under one id, and cancels it', async () => {
    const clock = new VirtualClock(0);
    const scheduler = new VirtualTimeScheduler(clock);
    let runs = 0;
    scheduler.handle('x', async () => void runs++);
    await scheduler.schedule({ id: 'same', name: 'x', runAt: new Date(10) });
    await scheduler.schedule({ id: 'same', name: 'x', runAt: new Date(20) });
    expect(await scheduler.cancel('same')).toBe(true);
    expect(await scheduler.cancel('same')).toBe(false);
    await scheduler.runUntil(new Date(100));
    expect(runs).toBe(0);
  });

  it('repeats a cron job at local time in the community time zone', async () => {
    const clock = new VirtualClock(at('2026-11-01T00:00:00Z'));
    const scheduler = new VirtualTimeScheduler(clock);
    const runs: string[] = [];
    scheduler.handle('digest', async (job) => void runs.push(job.dueAt.toISOString()));
    await scheduler.repeat({ id: 'digest:g1', name: 'digest', cron: '0 8 * * *', timeZone: 'Asia/Jakarta' });
    await scheduler.runUntil(at('2026-11-03T12:00:00Z'));
    // 08:00 in Jakarta (UTC+7) is 01:00 UTC.
    expect(runs).toEqual(['2026-11-01T01:00:00.000Z', '2026-11-02T01:00:00.000Z', '2026-11-03T01:00:00.000Z']);
  });

  it('runs jobs that a job schedules when they fall due in the same window', async () => {
    const clock = new VirtualClock(0);
    const scheduler = new VirtualTimeScheduler(clock);
    const runs: number[] = [];
    scheduler.handle('chain', async (job) => {
      runs.push(job.dueAt.getTime());
      if (runs.length < 3) await scheduler.schedule({ id: `c${runs.length}`, name: 'chain', runAt: new Date(job.dueAt.getTime() + 10) });
    });
    await scheduler.schedule({ id: 'c0', name: 'chain', runAt: new Date(5) });
    await scheduler.runUntil(new Date(100));
    expect(runs).toEqual([5, 15, 25]);
  });

  it('reports a failing job and goes on with the next', async () => {
    const errors: string[] = [];
    const clock = new VirtualClock(0);
    const scheduler = new VirtualTimeScheduler(clock, { onError: (error, job) => errors.push(`${job.id}: ${(error as Error).message}`) });
    let ok = 0;
    scheduler.handle('boom', async () => {
      throw new Error('kaput');
    });
    scheduler.handle('fine', async () => void ok++);
    await scheduler.schedule({ id: 'j1', name: 'boom', runAt: new Date(1) });
    await scheduler.schedule({ id: 'j2', name: 'fine', runAt: new Date(2) });
    await scheduler.schedule({ id: 'j3', name: 'nobody', runAt: new Date(3) });
    await scheduler.runUntil(new Date(10));
    expect(errors).toEqual(['j1: kaput', 'j3: no handler registered for job "nobody"']);
    expect(ok).toBe(1);
  });
});

describe('real-time scheduler', () => {
  it('runs a job when its time comes and waits for it on stop', async () => {
    const scheduler = new RealTimeScheduler(systemClock);
    let resolveRan!: () => void;
    const ran = new Promise<void>((resolve) => (resolveRan = resolve));
    let finished = false;
    scheduler.handle('soon', async () => {
      resolveRan();
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished = true;
    });
    await scheduler.start();
    await scheduler.schedule({ id: 's', name: 'soon', runAt: new Date(Date.now() + 20) });
    await ran;
    await scheduler.stop();
    expect(finished).toBe(true);
  });
});

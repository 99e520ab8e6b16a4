import { afterEach, describe, expect, it } from 'vitest';
import type { Capability } from '../../src/engine/capability.js';
import { VirtualTimeScheduler } from '../../src/jobs/in-process-scheduler.js';
import { Engine } from '../../src/engine/pipeline.js';
import { silentLogger } from '../../src/core/logger.js';
import { loadConfig } from '../../src/config/index.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';

/** A capability that re-arms one reminder per community and one repeating job, and notes what runs. */
function reminders(log: string[]): Capability {
  return {
    name: 'reminders',
    async recover(ctx) {
      log.push(`recover ${ctx.community.externalId}`);
      ctx.schedule({ id: 'reminder', name: 'reminders.remind', runAt: new Date('2026-11-01T12:00:00Z') });
      ctx.repeat({ id: 'daily', name: 'reminders.daily', cron: '0 9 * * *' });
    },
    jobs: {
      'reminders.remind': async (ctx) => (log.push(`remind ${ctx.community.externalId} at ${ctx.job.dueAt.toISOString()}`), []),
      'reminders.daily': async (ctx) => (log.push(`daily ${ctx.community.externalId} at ${ctx.job.dueAt.toISOString()}`), []),
    },
  };
}

const joined = (community: string, id: string) => ({
  id,
  platform: 'discord',
  community,
  at: '2026-11-01T08:00:00.000Z',
  type: 'member.joined',
  member: { id: 'u1', name: 'Ayu' },
});

let t: TestEngine;
afterEach(async () => t.dispose());

describe('recovering scheduled work', () => {
  it('runs each capability’s recover once per community, the first time the community is met', async () => {
    const log: string[] = [];
    t = await createTestEngine('pglite', { capabilities: [reminders(log)], configFiles: { 'communities/g2.yaml': 'community: g2\ntimeZone: Asia/Jakarta\n' } });
    t.engine.attachJobs(async () => {});
    t.clock.advanceTo(new Date('2026-11-01T08:00:00Z'));
    await t.engine.handle(joined('g1', 'e1'));
    await t.engine.handle({ ...joined('g1', 'e2'), member: { id: 'u2', name: 'Budi' } });
    await t.engine.handle(joined('g2', 'e3'));
    expect(log).toEqual(['recover g1', 'recover g2']);
    await t.scheduler.runUntil(new Date('2026-11-02T03:00:00Z'));
    // Daily at 09:00: UTC for g1, Asia/Jakarta (02:00 UTC) for g2, from the community's config.
    expect(log.slice(2).sort()).toEqual([
      'daily g1 at 2026-11-01T09:00:00.000Z',
      'daily g2 at 2026-11-02T02:00:00.000Z',
      'remind g1 at 2026-11-01T12:00:00.000Z',
      'remind g2 at 2026-11-01T12:00:00.000Z',
    ]);
  });

  it('re-arms the timers of every stored community in a new process, and a job already done is not done again', async () => {
    const log: string[] = [];
    t = await createTestEngine('pglite', { capabilities: [reminders(log)] });
    t.engine.attachJobs(async () => {});
    t.clock.advanceTo(new Date('2026-11-01T08:00:00Z'));
    await t.engine.handle(joined('g1', 'e1'));
    await t.scheduler.runUntil(new Date('2026-11-01T12:30:00Z'));
    expect(log).toEqual(['recover g1', 'daily g1 at 2026-11-01T09:00:00.000Z', 'remind g1 at 2026-11-01T12:00:00.000Z']);

    // A second process on the same database: its scheduler starts empty.
    const scheduler = new VirtualTimeScheduler(t.clock);
    const second = new Engine({ prisma: t.database.prisma, config: loadConfig(), clock: t.clock, scheduler, logger: silentLogger, capabilities: [reminders(log)] });
    second.attachJobs(async () => {});
    expect(await second.recover()).toBe(1);
    expect(scheduler.pendingCount()).toBe(2);
    await scheduler.runUntil(new Date('2026-11-02T10:00:00Z'));
    // The reminder (due 12:00, already run by the first process) is deduplicated; the daily job goes on.
    expect(log.slice(3)).toEqual(['recover g1', 'daily g1 at 2026-11-02T09:00:00.000Z']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { VirtualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { openDatabase, type Database } from '../../src/db/index.js';
import { createCapabilities } from '../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../src/engine/moderation/automod/index.js';
import { Engine } from '../../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../../src/jobs/in-process-scheduler.js';
import { EngineMetrics } from '../../src/ops/metrics.js';
import { startOpsServer, type OpsServer } from '../../src/ops/ops-server.js';

describe('operations endpoints', () => {
  let database: Database | undefined;
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    await database?.close();
  });

  it('counts events, actions and jobs in /metrics and reports the database in /healthz', async () => {
    database = await openDatabase({ dataDir: 'memory://' });
    const clock = new VirtualClock(new Date('2026-11-02T10:00:00Z'));
    const scheduler = new VirtualTimeScheduler(clock);
    const metrics = new EngineMetrics({ pendingJobs: async () => (await scheduler.pendingJobIds()).length, processMetrics: false });
    const engine = new Engine({
      prisma: database.prisma,
      config: loadConfig(),
      clock,
      scheduler,
      logger: silentLogger,
      capabilities: createCapabilities({ counters: new InMemoryRateCounters() }),
      observer: metrics,
    });
    engine.attachJobs(async () => {});
    const event = { type: 'member.joined', id: 'j1', platform: 'discord', community: 'g1', at: '2026-11-02T10:00:00Z', member: { id: 'u1', name: 'Ayu' } };
    await engine.handle(event);
    await engine.handle(event);
    await engine.handle({ type: 'nonsense' });
    await engine.handle({ type: 'message.created', id: 'q1', platform: 'discord', community: 'g1', at: '2026-11-02T10:01:00Z', channel: 'general', author: { id: 'u1', name: 'Ayu' }, text: 'how do I reset my password?' });
    await scheduler.runUntil(new Date('2026-11-02T13:00:00Z'));

    const db = database;
    server = await startOpsServer({ port: 0, host: '127.0.0.1', metrics, checks: [{ name: 'database', check: async () => void (await db.prisma.$queryRaw`SELECT 1`) }] });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('guyub_events_total{type="member.joined",status="processed"} 1');
    expect(text).toContain('guyub_events_total{type="member.joined",status="duplicate"} 1');
    expect(text).toContain('guyub_events_total{type="invalid",status="invalid"} 1');
    expect(text).toContain('guyub_actions_total{type="message.send"} 1');
    expect(text).toContain('guyub_jobs_total{name="questions.escalate",status="done"} 1');
    expect(text).toMatch(/guyub_jobs_pending \d+/);
    expect(text).toMatch(/guyub_event_duration_seconds_count\{status="processed"\} 2/);

    const healthy = await fetch(`${server.url}/healthz`);
    expect([healthy.status, await healthy.json()]).toEqual([200, { status: 'ok', checks: { database: 'ok' } }]);
    // Probes often add a query string (cache busting): the path decides.
    expect((await fetch(`${server.url}/healthz?probe=1`)).status).toBe(200);
    await database.close();
    const failing = await fetch(`${server.url}/healthz`);
    expect(failing.status).toBe(503);
    expect(((await failing.json()) as { checks: { database: string } }).checks.database).toMatch(/^failing: /);
    expect((await fetch(`${server.url}/elsewhere`)).status).toBe(404);
  });
});

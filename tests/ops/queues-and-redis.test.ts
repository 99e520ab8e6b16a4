import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BullMqScheduler } from '../../src/jobs/bullmq-scheduler.js';
import { EngineMetrics } from '../../src/ops/metrics.js';
import { redisHealthCheck, startOpsServer, type OpsServer } from '../../src/ops/ops-server.js';
import { deleteKeys } from '../support/redis.js';
import { REDIS_SERVER_BINARY, startOwnRedisServer } from '../support/redis-server.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every key of this run lives under this prefix; afterAll deletes them. */
const prefix = `guyub-test-${randomUUID()}`;
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

let redis: Redis;
let server: OpsServer | undefined;

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(async () => {
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
});

describe('queue dashboard (Bull Board) on the ops server', () => {
  it('shows the scheduler and outbox queues to whoever gives the password, and refuses everyone else with 401', async () => {
    const scheduler = new BullMqScheduler({ connection: redis, prefix });
    await scheduler.schedule({ id: 'discord:g1:poll-close:1', name: 'polls.close', runAt: new Date(Date.now() + 3_600_000) });
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new EngineMetrics({ processMetrics: false }),
      checks: [redisHealthCheck(redis)],
      dashboard: { password: 'correct horse', connection: redis, prefix },
    });
    const anonymous = await fetch(`${server.url}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(`${server.url}/admin/queues`, { headers: basic('admin', 'wrong') })).status).toBe(401);
    expect((await fetch(`${server.url}/admin/queues/api/queues`, { headers: basic('admin', 'correct hors') })).status).toBe(401);
    expect((await fetch(`${server.url}/admin/queues`, { headers: { authorization: 'Bearer correct horse' } })).status).toBe(401);

    const page = await fetch(`${server.url}/admin/queues`, { headers: basic('ops', 'correct horse') });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    // The page's own scripts are served under the same path (its <base>), behind the same password.
    const html = await page.text();
    const base = new URL(/<base href="([^"]+)"/.exec(html)![1]!, server.url);
    const script = new URL(/<script[^>]+src="([^"]+)"/.exec(html)![1]!, base);
    expect(script.pathname.startsWith('/admin/queues/')).toBe(true);
    expect((await fetch(script)).status).toBe(401);
    expect((await fetch(script, { headers: basic('ops', 'correct horse') })).status).toBe(200);
    const api = await fetch(`${server.url}/admin/queues/api/queues`, { headers: basic('ops', 'correct horse') });
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(queues.map((q) => q.name).sort()).toEqual(['jobs', 'outbox-discord', 'outbox-slack']);
    expect(queues.find((q) => q.name === 'jobs')!.counts.delayed).toBe(1);

    // The other endpoints are unchanged and need no password.
    const health = await fetch(`${server.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok', checks: { redis: 'ok' } }]);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
    await scheduler.obliterate();
    await scheduler.stop();
  });

  it('has no dashboard when no password is set', async () => {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new EngineMetrics({ processMetrics: false }),
      checks: [],
      dashboard: { password: '', connection: redis, prefix },
    });
    expect((await fetch(`${server.url}/admin/queues`, { headers: basic('admin', '') })).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe.skipIf(!existsSync(REDIS_SERVER_BINARY))('Redis in /healthz', () => {
  it('answers 503 naming Redis while it is stopped, and 200 once it is back', async () => {
    const own = await startOwnRedisServer();
    const client = new Redis(own.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
    // Reconnection errors while it is stopped are expected here; the check reports them.
    client.on('error', () => undefined);
    try {
      await client.ping();
      server = await startOpsServer({
        port: 0,
        host: '127.0.0.1',
        metrics: new EngineMetrics({ processMetrics: false }),
        checks: [{ name: 'database', check: async () => {} }, redisHealthCheck(client)],
        // The dashboard's queues see the outage too: it must not end the process.
        dashboard: { password: 'pw', connection: client, prefix },
      });
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
      await own.stop();
      const failing = await fetch(`${server.url}/healthz`);
      expect(failing.status).toBe(503);
      const body = (await failing.json()) as { status: string; checks: Record<string, string> };
      expect(body.status).toBe('failing');
      expect(body.checks.database).toBe('ok');
      expect(body.checks.redis).toMatch(/^failing: not connected \((connecting|reconnecting|close)\)$/);
      await own.start();
      const until = Date.now() + 10_000;
      let status = 0;
      while (status !== 200 && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = (await fetch(`${server.url}/healthz`)).status;
      }
      expect(status).toBe(200);
      expect((await fetch(`${server.url}/admin/queues/api/queues`, { headers: basic('ops', 'pw') })).status).toBe(200);
    } finally {
      client.disconnect();
      await own.dispose();
    }
  });

  it('reports a Redis that accepts the connection but does not answer PING in time', async () => {
    const own = await startOwnRedisServer();
    const client = new Redis(own.url, { maxRetriesPerRequest: null });
    client.on('error', () => undefined);
    try {
      await client.ping();
      server = await startOpsServer({ port: 0, host: '127.0.0.1', metrics: new EngineMetrics({ processMetrics: false }), checks: [redisHealthCheck(client)] });
      // CLIENT PAUSE holds every client's commands for 3 s, longer than the 2 s the check waits.
      expect(await client.call('CLIENT', 'PAUSE', '3000', 'ALL')).toBe('OK');
      const failing = await fetch(`${server.url}/healthz`);
      expect([failing.status, await failing.json()]).toEqual([503, { status: 'failing', checks: { redis: 'failing: no answer within 2000 ms' } }]);
      await client.call('CLIENT', 'UNPAUSE');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      client.disconnect();
      await own.dispose();
    }
  });
});

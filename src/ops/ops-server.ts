import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import type { EngineMetrics } from './metrics.js';

/** A named dependency check for /healthz: resolves when healthy, throws with the reason otherwise. */
export type HealthCheck = { name: string; check: () => Promise<void> };

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;

/** Where the queue dashboard is served. */
export const DASHBOARD_PATH = '/admin/queues';

/** The scheduler's queue and the platform outboxes' (src/jobs), under the same prefix. */
export const DEFAULT_DASHBOARD_QUEUES = ['jobs', 'outbox-discord', 'outbox-slack'];

export interface QueueDashboardOptions {
  /** BULL_BOARD_PASSWORD. Unset or empty: no dashboard (404). Any user name is accepted with it. */
  password: string | undefined;
  /** A client of the Redis the queues live on (left open on close). */
  connection: Redis;
  /** REDIS_PREFIX (default 'guyub'). */
  prefix?: string;
  queueNames?: string[];
  /** Where the dashboard's Redis problems are reported (they are not fatal). */
  logger?: Logger;
}

/** `/healthz`'s check of a Redis client: it must be connected and answer PING (within the check timeout). */
export function redisHealthCheck(redis: Redis, name = 'redis'): HealthCheck {
  return {
    name,
    async check() {
      // A client that is reconnecting would queue the PING until Redis is back: say so at once.
      if (redis.status !== 'ready') throw new Error(`not connected (${redis.status})`);
      const answer = await redis.ping();
      if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
    },
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether a request carries HTTP basic credentials with this password (compared in constant time). */
function hasPassword(request: IncomingMessage, password: string): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) return false;
  const credentials = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  if (colon < 0) return false;
  return timingSafeEqual(digest(credentials.slice(colon + 1)), digest(password));
}

/** Bull Board (its express app) for DASHBOARD_PATH, with Queue objects of its own (read from Redis). */
function queueDashboard(options: QueueDashboardOptions): { handle: RequestListener; close(): Promise<void> } {
  const queues = (options.queueNames ?? DEFAULT_DASHBOARD_QUEUES).map((name) => {
    const queue = new Queue(name, { connection: options.connection, prefix: options.prefix ?? 'guyub' });
    // An 'error' event without a listener would end the process; Redis being away is /healthz's to report.
    queue.on('error', (err) => options.logger?.warn({ err, queue: name }, 'queue dashboard: Redis problem'));
    return queue;
  });
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter });
  const app: RequestListener = serverAdapter.getRouter();
  return {
    // Its routes are relative to where it is mounted: strip the mount path, as express's app.use would.
    handle(request, response) {
      const rest = (request.url ?? '').slice(DASHBOARD_PATH.length);
      request.url = rest.startsWith('/') ? rest : `/${rest}`;
      app(request, response);
    },
    async close() {
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}

function withTimeout(promise: Promise<void>): Promise<void> {
  return Promise.race([promise, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref())]);
}

/**
 * `/healthz` (200 when every dependency answers, 503 with the failing ones otherwise) and
 * `/metrics` (Prometheus text format) for operators and orchestrators; with a dashboard password,
 * the queue dashboard (Bull Board) under /admin/queues behind HTTP basic authentication.
 */
export async function startOpsServer(options: {
  port: number;
  host: string;
  metrics: EngineMetrics;
  checks: HealthCheck[];
  dashboard?: QueueDashboardOptions;
}): Promise<OpsServer> {
  const password = options.dashboard?.password;
  const dashboard = options.dashboard && password ? queueDashboard(options.dashboard) : undefined;
  const server = createServer(async (request, response) => {
    try {
      const path = (request.url ?? '/').split('?')[0]!;
      if (dashboard && password && (path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`))) {
        if (!hasPassword(request, password)) {
          response.writeHead(401, { 'www-authenticate': 'Basic realm="guyub queues", charset="UTF-8"', 'content-type': 'text/plain' }).end('password required\n');
          return;
        }
        dashboard.handle(request, response);
        return;
      }
      if (request.method === 'GET' && path === '/metrics') {
        const body = await options.metrics.registry.metrics();
        response.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(body);
        return;
      }
      if (request.method === 'GET' && path === '/healthz') {
        const results = await Promise.all(
          options.checks.map(async ({ name, check }) => {
            try {
              await withTimeout(check());
              return [name, 'ok'] as const;
            } catch (error) {
              return [name, `failing: ${(error as Error)?.message ?? String(error)}`] as const;
            }
          }),
        );
        const healthy = results.every(([, state]) => state === 'ok');
        response
          .writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: healthy ? 'ok' : 'failing', checks: Object.fromEntries(results) }));
        return;
      }
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error)?.message ?? 'error'}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dashboard?.close();
    },
  };
}

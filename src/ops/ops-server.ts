import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EngineMetrics } from './metrics.js';

/** A named dependency check for /healthz: resolves when healthy, throws with the reason otherwise. */
export type HealthCheck = { name: string; check: () => Promise<void> };

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(promise: Promise<void>): Promise<void> {
  return Promise.race([promise, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref())]);
}

/**
 * `/healthz` (200 when every dependency answers, 503 with the failing ones otherwise) and
 * `/metrics` (Prometheus text format) for operators and orchestrators.
 */
export async function startOpsServer(options: { port: number; host: string; metrics: EngineMetrics; checks: HealthCheck[] }): Promise<OpsServer> {
  const server = createServer(async (request, response) => {
    try {
      if (request.method === 'GET' && request.url === '/metrics') {
        const body = await options.metrics.registry.metrics();
        response.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(body);
        return;
      }
      if (request.method === 'GET' && request.url === '/healthz') {
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

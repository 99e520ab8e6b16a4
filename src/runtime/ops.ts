import type { Logger } from '../core/logger.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { EngineMetrics } from '../ops/metrics.js';
import { startOpsServer, type HealthCheck, type OpsServer, type QueueDashboardOptions } from '../ops/ops-server.js';
import type { Scheduler } from '../jobs/scheduler.js';
import { UsageError } from '../cli/errors.js';

/** `/healthz`'s check of the store of record. */
export function databaseHealthCheck(prisma: PrismaClient): HealthCheck {
  return { name: 'database', check: async () => void (await prisma.$queryRaw`SELECT 1`) };
}

/** How many jobs wait in a scheduler that can tell (BullMQ, the in-process ones), for /metrics. */
export function pendingJobCount(scheduler: Scheduler): () => Promise<number> {
  return async () => ('pendingJobIds' in scheduler && typeof scheduler.pendingJobIds === 'function' ? (await scheduler.pendingJobIds()).length : 0);
}

/**
 * Serves /healthz, /metrics (and the queue dashboard) when HTTP_PORT is set, on HTTP_HOST
 * (default 127.0.0.1); undefined when it is not. A port that is not a port is bad input.
 */
export async function startOpsIfConfigured(
  env: NodeJS.ProcessEnv,
  parts: { metrics: EngineMetrics; checks: HealthCheck[]; dashboard?: QueueDashboardOptions; logger: Logger },
): Promise<OpsServer | undefined> {
  if (!env.HTTP_PORT) return undefined;
  const port = Number(env.HTTP_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`HTTP_PORT must be a port number, got "${env.HTTP_PORT}"`);
  const ops = await startOpsServer({ port, host: env.HTTP_HOST ?? '127.0.0.1', metrics: parts.metrics, checks: parts.checks, ...(parts.dashboard && { dashboard: parts.dashboard }) });
  parts.logger.info({ url: ops.url }, 'serving /healthz and /metrics');
  return ops;
}

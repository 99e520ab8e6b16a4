import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * The shutdown order every BullMQ user here needs: the worker first (it waits for the job in
 * progress), then the queue, then the worker's own connection and, if we opened it, the shared one.
 */
export async function shutDownBullMq(parts: { worker: Worker | undefined; queue: Queue; workerRedis: Redis | undefined; ownedRedis: Redis | undefined }): Promise<void> {
  await parts.worker?.close();
  await parts.queue.close();
  if (parts.workerRedis) await parts.workerRedis.quit().catch(() => undefined);
  if (parts.ownedRedis) await parts.ownedRedis.quit().catch(() => undefined);
}

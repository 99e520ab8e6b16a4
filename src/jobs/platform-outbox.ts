// Outgoing platform calls made by jobs, rate limited per platform with BullMQ's limiter.
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import { shutDownBullMq } from './bullmq-shutdown.js';

export interface PlatformOutboxOptions {
  /** An ioredis client (left open on stop) or a redis:// URL (connections closed on stop). */
  connection: Redis | string;
  /** Redis key prefix (default 'guyub', as the scheduler's). */
  prefix?: string;
  /** 'discord' or 'slack': one queue, and one limit, per platform. */
  platform: string;
  /**
   * At most `max` deliveries per `duration` ms. BullMQ keeps the count in Redis (in fixed
   * windows of `duration`), so the limit holds for every process delivering to this platform.
   */
  limit: { max: number; duration: number };
  /** Attempts per delivery (default 5), retried with exponential backoff from `backoffMs` (default 1 s). */
  attempts?: number;
  backoffMs?: number;
  logger?: Logger;
}

/**
 * Thrown by a delivery function when the platform answered "too many requests": the whole
 * outbox of that platform pauses for `retryAfterMs` and the delivery is tried again, without
 * using up one of its attempts.
 */
export class RetryAfter extends Error {
  override readonly name = 'RetryAfter';
  constructor(readonly retryAfterMs: number) {
    super(`rate limited by the platform: retry after ${retryAfterMs} ms`);
  }
}

/**
 * A queue per platform whose worker carries out deliveries (e.g. the actions of a job) at
 * most `limit.max` per `limit.duration`, across processes. Jobs hand their actions to
 * `send`; `start(deliver)` runs in the processes that hold the platform's adapter. One
 * delivery at a time per process, so deliveries from one process leave in the order sent.
 */
export class PlatformOutbox<T> {
  readonly #queue: Queue<T>;
  readonly #redis: Redis;
  readonly #ownsRedis: boolean;
  readonly #options: PlatformOutboxOptions;
  #worker: Worker<T> | undefined;
  #workerRedis: Redis | undefined;
  #stopped: Promise<void> | undefined;

  constructor(options: PlatformOutboxOptions) {
    this.#options = options;
    this.#ownsRedis = typeof options.connection === 'string';
    this.#redis = typeof options.connection === 'string' ? new Redis(options.connection, { maxRetriesPerRequest: null }) : options.connection;
    if (this.#ownsRedis) this.#redis.on('error', (err: Error) => options.logger?.warn({ err }, 'outbox: Redis problem'));
    this.#queue = new Queue<T>(this.queueName, {
      connection: this.#redis,
      prefix: options.prefix ?? 'guyub',
      defaultJobOptions: {
        attempts: options.attempts ?? 5,
        backoff: { type: 'exponential', delay: options.backoffMs ?? 1_000 },
        removeOnComplete: { count: 100 },
        removeOnFail: { count: 10_000 },
      },
    });
    this.#queue.on('error', (err) => options.logger?.warn({ err }, 'outbox: Redis problem'));
  }

  get queueName(): string {
    return `outbox-${this.#options.platform}`;
  }

  /** Queues one delivery. */
  async send(item: T): Promise<void> {
    await (this.#queue as Queue).add('deliver', item);
  }

  /** Starts delivering in this process. */
  async start(deliver: (item: T) => Promise<void>): Promise<void> {
    if (this.#worker) return;
    this.#workerRedis = this.#redis.duplicate({ maxRetriesPerRequest: null });
    const worker: Worker<T> = new Worker<T>(
      this.queueName,
      async (job) => {
        try {
          await deliver(job.data);
        } catch (error) {
          if (!(error instanceof RetryAfter)) throw error;
          await worker.rateLimit(error.retryAfterMs);
          throw Worker.RateLimitError();
        }
      },
      { connection: this.#workerRedis, prefix: this.#options.prefix ?? 'guyub', concurrency: 1, limiter: this.#options.limit },
    );
    worker.on('error', (err) => this.#options.logger?.warn({ err }, 'outbox worker: Redis problem'));
    worker.on('failed', (job, err) => this.#options.logger?.warn({ err, platform: this.#options.platform, attempt: job?.attemptsMade }, 'delivery failed'));
    this.#worker = worker;
    await worker.waitUntilReady();
  }

  /** Stops delivering after the delivery in progress, then closes the queue. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= shutDownBullMq({
      worker: this.#worker,
      queue: this.#queue,
      workerRedis: this.#workerRedis,
      ownedRedis: this.#ownsRedis ? this.#redis : undefined,
    });
    return this.#stopped;
  }

  /** Removes every key of this outbox (tests). Stop it first. */
  async obliterate(): Promise<void> {
    await this.#queue.obliterate({ force: true });
  }
}

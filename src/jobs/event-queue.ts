// Events from gateway processes to worker processes, in each community's order.
import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CommunityEvent } from '../contracts/index.js';
import { KeyedSerialQueue } from '../core/keyed-queue.js';
import type { Logger } from '../core/logger.js';
import { shutDownBullMq } from './bullmq-shutdown.js';

export interface EventQueueOptions {
  /** An ioredis client with `maxRetriesPerRequest: null` (left open on stop). */
  connection: Redis;
  /** Redis key prefix, as the scheduler's (default 'guyub'). */
  prefix?: string;
  /**
   * Number of partitions (default 16). A community always lands in the same partition, and a
   * partition runs one job (one or more events) at a time across every worker process: that
   * keeps each community's order while different communities run in parallel. Every process
   * must use the same number.
   */
  partitions?: number;
  logger: Logger;
}

/**
 * Thrown by a handler that could not finish an event for a reason that is not the event's
 * (the process is stopping): the event goes back to the head of its partition, so the next
 * worker takes it before the events behind it.
 */
export class RequeueEvent extends Error {
  override readonly name = 'RequeueEvent';
}

/** A job of a partition: events of its communities, in the order they were published. */
export interface EventBatch {
  events: CommunityEvent[];
}

/** More events published at once to one partition than this go in several jobs. */
const MAX_EVENTS_PER_JOB = 500;

/** Jobs published before batches carried one event. */
const eventsOf = (data: EventBatch | CommunityEvent): CommunityEvent[] => ('events' in data && Array.isArray(data.events) ? data.events : [data as CommunityEvent]);

export class PartitionCountMismatch extends Error {
  override readonly name = 'PartitionCountMismatch';
}

/** FNV-1a: a stable, fast hash, so every process puts a community in the same partition. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A BullMQ queue per partition with a global concurrency of 1: only one job of a partition is
 * active at any time in the whole deployment, taken in the order it was published. A worker that
 * dies mid-job leaves it stalled; BullMQ hands it to another worker, and the engine's
 * ProcessedEvent dedupe makes sure each event's effect happens once.
 */
export class EventQueue {
  readonly #options: Required<Omit<EventQueueOptions, 'logger'>> & { logger: Logger };
  readonly #queues: Queue<EventBatch | CommunityEvent>[] = [];
  readonly #workers: Worker<EventBatch | CommunityEvent>[] = [];
  readonly #publishing = new KeyedSerialQueue();
  /** Per partition, the events that will go in its next job. */
  readonly #gathering = new Map<number, { events: CommunityEvent[]; added: Promise<void> }>();
  #workerRedis: Redis | undefined;
  #stopped: Promise<void> | undefined;

  constructor(options: EventQueueOptions) {
    this.#options = { prefix: 'guyub', partitions: 16, ...options };
    for (let partition = 0; partition < this.#options.partitions; partition++) {
      const queue = new Queue<EventBatch | CommunityEvent>(this.#name(partition), {
        connection: options.connection,
        prefix: this.#options.prefix,
        defaultJobOptions: {
          // No BullMQ retries: a retried job would come back behind later events (see consume).
          attempts: 1,
          removeOnComplete: { count: 1_000 },
          removeOnFail: { count: 10_000 },
        },
      });
      queue.on('error', (err) => options.logger.warn({ err }, 'event queue: Redis problem'));
      this.#queues.push(queue);
    }
  }

  #name(partition: number): string {
    return `events-${partition}`;
  }

  partitionOf(event: Pick<CommunityEvent, 'platform' | 'community'>): number {
    return fnv1a(`${event.platform}:${event.community}`) % this.#options.partitions;
  }

  #partitionsChecked: Promise<void> | undefined;

  /**
   * Every process must split communities the same way, or events would wait in partitions that
   * no worker reads: the first process records its count in Redis, the others must agree.
   */
  #checkPartitionCount(): Promise<void> {
    this.#partitionsChecked ??= (async () => {
      const key = `${this.#options.prefix}:events:partitions`;
      const mine = String(this.#options.partitions);
      await this.#options.connection.set(key, mine, 'NX');
      const recorded = await this.#options.connection.get(key);
      if (recorded !== mine) {
        throw new PartitionCountMismatch(
          `EVENT_PARTITIONS is ${mine} in this process but ${recorded} in the deployment (Redis key ${key}); use the same number everywhere, or drain the queues and delete that key to change it`,
        );
      }
    })();
    return this.#partitionsChecked;
  }

  /** Queues one event for the workers; resolves once Redis has it. */
  publish(event: CommunityEvent): Promise<void> {
    // Added one job after the other per partition, so that events keep the order in which they
    // were published even when the callers do not wait for each other (both adapters hand over at
    // once). The events published while a partition's previous job is being added travel together
    // in the next one: a worker then hands them to the engine together (group commit).
    const partition = this.partitionOf(event);
    const open = this.#gathering.get(partition);
    if (open && open.events.length < MAX_EVENTS_PER_JOB) {
      open.events.push(event);
      return open.added;
    }
    const batch: { events: CommunityEvent[]; added: Promise<void> } = { events: [event], added: Promise.resolve() };
    this.#gathering.set(partition, batch);
    const queue = this.#queues[partition]!;
    batch.added = this.#publishing.run(String(partition), async () => {
      if (this.#gathering.get(partition) === batch) this.#gathering.delete(partition);
      await this.#checkPartitionCount();
      await queue.add(batch.events.length === 1 ? event.type : 'events', { events: batch.events });
    });
    return batch.added;
  }

  /** Events waiting or running, over every partition (for metrics). */
  async depth(): Promise<number> {
    const counts = await Promise.all(this.#queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')));
    return counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
  }

  /**
   * Starts taking events in this process: `handle` runs for each job's events (one or more, in
   * order), one job at a time per partition. `handle` retries transient failures itself (see
   * handleEventDurably), so the order holds. If it throws RequeueEvent the job returns to the head
   * of its partition (its events already processed are then skipped as duplicates); any other
   * error fails the job for good (kept in the failed set, visible in the dashboard, logged).
   */
  async consume(handle: (events: readonly CommunityEvent[]) => Promise<void>): Promise<void> {
    if (this.#workers.length) return;
    await this.#checkPartitionCount();
    await Promise.all(this.#queues.map((q) => q.setGlobalConcurrency(1)));
    this.#workerRedis = this.#options.connection.duplicate({ maxRetriesPerRequest: null });
    for (let partition = 0; partition < this.#options.partitions; partition++) {
      const worker = new Worker<EventBatch | CommunityEvent>(this.#name(partition), async (job: Job<EventBatch | CommunityEvent>, token?: string) => {
        try {
          await handle(eventsOf(job.data));
        } catch (error) {
          if (error instanceof RequeueEvent) {
            await job.moveToWait(token);
            throw new WaitingError();
          }
          throw new UnrecoverableError((error as Error)?.message ?? String(error));
        }
      }, {
        connection: this.#workerRedis,
        prefix: this.#options.prefix,
        concurrency: 1,
      });
      worker.on('error', (err) => this.#options.logger.warn({ err }, 'event worker: Redis problem'));
      worker.on('failed', (job, err) => {
        const events = job ? eventsOf(job.data) : [];
        this.#options.logger.error({ err, eventIds: events.map((e) => e.id), community: events[0]?.community }, 'events failed; kept in the failed set');
      });
      this.#workers.push(worker);
    }
    await Promise.all(this.#workers.map((w) => w.waitUntilReady()));
  }

  /** Stops taking events after the ones in progress, then closes the queues. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await Promise.all(this.#workers.map((worker) => worker.close()));
      const [first, ...rest] = this.#queues;
      await Promise.all(rest.map((q) => q.close()));
      if (first) await shutDownBullMq({ worker: undefined, queue: first, workerRedis: this.#workerRedis, ownedRedis: undefined });
    })();
    return this.#stopped;
  }

  /** Removes every key of these queues (tests). Stop consuming first. */
  async obliterate(): Promise<void> {
    await Promise.all(this.#queues.map((q) => q.obliterate({ force: true })));
  }
}

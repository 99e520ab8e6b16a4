// The production Scheduler: BullMQ on Redis. Jobs survive restarts and are shared by every
// process that uses the same Redis, prefix and queue name; each job runs in one of them.
import { randomBytes } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { systemClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { RepeatSpecSchema, type JobHandler, type JobRun, type RepeatSpec, type Scheduler } from './scheduler.js';
import { shutDownBullMq } from './bullmq-shutdown.js';

export interface BullMqSchedulerOptions {
  /** An ioredis client (left open on stop) or a redis:// URL (connections closed on stop). */
  connection: Redis | string;
  /** Redis key prefix of every BullMQ key (default 'guyub'). */
  prefix?: string;
  /** Queue name (default 'jobs'). */
  queueName?: string;
  /** Jobs run at once by this process's worker (default 4). */
  concurrency?: number;
  /** Attempts per job, the first included (default 5). */
  attempts?: number;
  /** Delay before the first retry; each later retry waits twice as long (default 5 s). */
  backoffMs?: number;
  /** Failed jobs kept for inspection, newest first (default 10,000). */
  keepFailed?: number;
  /** Completed jobs kept (default 100; they carry no information the database does not). */
  keepCompleted?: number;
  /**
   * A worker holds a lock on its running job for this long, renewed halfway (BullMQ's default
   * 30 s). When a worker dies mid-job the lock lapses, and the next stalled-job check by any
   * worker (every `stalledIntervalMs`, default 30 s) puts the job back to run again.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  logger?: Logger;
  /** "Now" for turning runAt into a delay (default: the system clock). */
  clock?: Clock;
}

export interface FailedJob {
  /** Our job id (the id given to schedule or repeat). */
  id: string;
  /** BullMQ's id of this run. */
  jobId: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  failedAt?: Date;
}

/** What we store in a BullMQ job. `dueAt` (ms) is absent on runs made by a job scheduler. */
interface JobData {
  id: string;
  payload: unknown;
  dueAt?: number;
}

/** States in which a job has not started yet. */
const PENDING_STATES = ['delayed', 'waiting', 'prioritized', 'paused'] as const;

/**
 * BullMQ refuses custom job ids with ':' (unless they have exactly three parts) and ids that
 * look like integers. Our ids look like "discord:g1:question-escalation:42", so the BullMQ id
 * of a run is the id with ':' turned into '|', its due time and a random part (each run is
 * its own BullMQ job; our id travels in the data and as the deduplication id).
 */
function runJobId(id: string, runAt: Date): string {
  return `${id.replaceAll(':', '|')}@${runAt.getTime()}.${randomBytes(4).toString('hex')}`;
}

/**
 * Scheduler on BullMQ.
 *
 * - One-off jobs (`schedule`) are delayed jobs whose BullMQ deduplication id is our id, in
 *   "replace" mode: scheduling an id again replaces its pending job inside one Redis script.
 *   If that job is already running, the new one is kept aside (`keepLastIfActive`) and queued
 *   as soon as the running one finishes, so a job can re-schedule its own id (question
 *   escalation does). If it is due and waiting for a worker, it is taken out and ours added.
 * - Repeating jobs (`repeat`) are BullMQ job schedulers (`upsertJobScheduler`, idempotent per
 *   id) with a cron pattern in a time zone.
 * - Every run carries its due time (not its start time) as `JobRun.dueAt`, so that the
 *   Engine's dedupe (job id + due time) makes a run that happens twice (a retry, a worker
 *   killed mid-job, a job added twice) do its effect once.
 * - Failures are retried with exponential backoff; after the last attempt the job stays in
 *   the failed set (`failedJobs`). A job with no handler fails at once, without retries.
 * - Ordering: jobs are independent units; the Engine serializes each community's events and
 *   jobs inside a process, and its dedupe and transactions keep concurrent runs in several
 *   processes correct. BullMQ gives no order between jobs of one community.
 */
export class BullMqScheduler implements Scheduler {
  readonly #handlers = new Map<string, JobHandler>();
  readonly #queue: Queue<JobData>;
  readonly #redis: Redis;
  readonly #ownsRedis: boolean;
  readonly #prefix: string;
  readonly #queueName: string;
  readonly #concurrency: number;
  readonly #stalls: { lockDuration?: number; stalledInterval?: number };
  readonly #attempts: number;
  readonly #logger: Logger | undefined;
  readonly #clock: Clock;
  #worker: Worker<JobData> | undefined;
  #workerRedis: Redis | undefined;
  #stopped: Promise<void> | undefined;

  constructor(options: BullMqSchedulerOptions) {
    this.#ownsRedis = typeof options.connection === 'string';
    this.#redis =
      typeof options.connection === 'string' ? new Redis(options.connection, { maxRetriesPerRequest: null }) : options.connection;
    if (this.#ownsRedis) this.#redis.on('error', (err: Error) => this.#logger?.warn({ err }, 'job queue: Redis problem'));
    this.#prefix = options.prefix ?? 'guyub';
    this.#queueName = options.queueName ?? 'jobs';
    this.#concurrency = options.concurrency ?? 4;
    this.#stalls = {
      ...(options.lockDurationMs !== undefined && { lockDuration: options.lockDurationMs }),
      ...(options.stalledIntervalMs !== undefined && { stalledInterval: options.stalledIntervalMs }),
    };
    this.#attempts = options.attempts ?? 5;
    this.#logger = options.logger;
    this.#clock = options.clock ?? systemClock;
    const defaultJobOptions: JobsOptions = {
      attempts: this.#attempts,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 5_000 },
      removeOnComplete: { count: options.keepCompleted ?? 100 },
      removeOnFail: { count: options.keepFailed ?? 10_000 },
    };
    this.#queue = new Queue<JobData>(this.#queueName, { connection: this.#redis, prefix: this.#prefix, defaultJobOptions });
    this.#queue.on('error', (err) => this.#logger?.warn({ err }, 'job queue: Redis problem'));
  }

  handle(name: string, handler: JobHandler): void {
    if (this.#handlers.has(name)) throw new Error(`a handler for job "${name}" is already registered`);
    this.#handlers.set(name, handler);
  }

  async schedule(job: { id: string; name: string; runAt: Date; payload?: unknown }): Promise<void> {
    const delay = Math.max(0, job.runAt.getTime() - this.#clock.now().getTime());
    const data: JobData = { id: job.id, payload: job.payload ?? null, dueAt: job.runAt.getTime() };
    for (let round = 0; round < 5; round++) {
      const jobId = runJobId(job.id, job.runAt);
      const added = await this.#queue.add(job.name, data, {
        jobId,
        delay,
        deduplication: { id: job.id, replace: true, keepLastIfActive: true },
      });
      if (added.id === jobId) return;
      // Deduplicated against the job `added.id`. If it is running, ours was kept to follow it
      // (or has already been queued, when it finished in the meantime).
      if ((await this.#redis.hget(this.#key(`dn:${job.id}`), 'jid')) === jobId || (await this.#queue.getJob(jobId))) return;
      // Otherwise it is due and waiting for a worker: take it out (0 when a worker took it
      // meanwhile; then the next round keeps ours to follow it) and add ours again.
      await this.#queue.remove(added.id!);
    }
    throw new Error(`could not schedule job "${job.id}": its earlier run kept being started while it was being replaced`);
  }

  async cancel(id: string): Promise<boolean> {
    let cancelled = false;
    // A run kept to follow a running job of this id (see schedule). BullMQ has no call for
    // this; the key is the one its keepLastIfActive scripts use.
    if ((await this.#redis.del(this.#key(`dn:${id}`))) > 0) cancelled = true;
    const current = await this.#queue.getDeduplicationJobId(id);
    if (current) {
      const state = await this.#queue.getJobState(current);
      // A running job is not interrupted; remove() also refuses a job a worker holds.
      if ((PENDING_STATES as readonly string[]).includes(state) && (await this.#queue.remove(current)) === 1) cancelled = true;
    }
    if (await this.#queue.removeJobScheduler(id)) cancelled = true;
    return cancelled;
  }

  async repeat(input: RepeatSpec): Promise<void> {
    const spec = RepeatSpecSchema.parse(input);
    await this.#queue.upsertJobScheduler(
      spec.id,
      { pattern: spec.cron, tz: spec.timeZone },
      { name: spec.name, data: { id: spec.id, payload: spec.payload ?? null } },
    );
  }

  async start(): Promise<void> {
    if (this.#worker) return;
    if (this.#stopped) throw new Error('this scheduler was stopped; create a new one');
    // The worker blocks on Redis: BullMQ wants its own connection without a retry limit.
    this.#workerRedis = this.#redis.duplicate({ maxRetriesPerRequest: null });
    const worker = new Worker<JobData>(this.#queueName, (job) => this.#run(job), {
      connection: this.#workerRedis,
      prefix: this.#prefix,
      concurrency: this.#concurrency,
      ...this.#stalls,
    });
    worker.on('error', (err) => this.#logger?.warn({ err }, 'job worker: Redis problem'));
    worker.on('failed', (job, err) => {
      if (!job) return;
      const last = job.attemptsMade >= (job.opts.attempts ?? 1) || err instanceof UnrecoverableError;
      const fields = { err, job: job.data.id, name: job.name, attempt: job.attemptsMade };
      if (last) this.#logger?.error(fields, 'scheduled job failed; kept in the failed jobs');
      else this.#logger?.warn(fields, 'scheduled job failed; it will be retried');
    });
    this.#worker = worker;
    await worker.waitUntilReady();
  }

  /** Stops taking jobs, waits for running ones to finish, then closes the queue. Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= shutDownBullMq({
      worker: this.#worker,
      queue: this.#queue,
      workerRedis: this.#workerRedis,
      ownedRedis: this.#ownsRedis ? this.#redis : undefined,
    });
    return this.#stopped;
  }

  /** Our ids of the jobs that have not started yet (delayed or waiting), sorted. */
  async pendingJobIds(): Promise<string[]> {
    const jobs = await this.#queue.getJobs([...PENDING_STATES]);
    const ids = new Set(jobs.filter(Boolean).map((job) => job.data.id));
    // Runs kept to follow a running job of the same id.
    for (const key of await this.#scanKeys(this.#key('dn:*'))) ids.add(key.slice(this.#key('dn:').length));
    return [...ids].sort();
  }

  /** The most recently failed jobs (after their last attempt), newest first. */
  async failedJobs(limit = 50): Promise<FailedJob[]> {
    const jobs = await this.#queue.getFailed(0, Math.max(0, limit - 1));
    return jobs.filter(Boolean).map((job) => ({
      id: (job.data as JobData).id,
      jobId: job.id ?? '',
      name: job.name,
      failedReason: job.failedReason,
      attemptsMade: job.attemptsMade,
      ...(job.finishedOn ? { failedAt: new Date(job.finishedOn) } : {}),
    }));
  }

  /** Removes every key of this queue (tests, and a deliberate reset). Stop the workers first. */
  async obliterate(): Promise<void> {
    await this.#queue.obliterate({ force: true });
  }

  async #run(job: Job<JobData>): Promise<void> {
    const handler = this.#handlers.get(job.name);
    // Retrying would not help: fail at once, and keep it visible.
    if (!handler) throw new UnrecoverableError(`no handler registered for job "${job.name}"`);
    const run: JobRun = { id: job.data.id, name: job.name, payload: job.data.payload, dueAt: dueAtOf(job) };
    await handler(run);
  }

  #key(suffix: string): string {
    return `${this.#prefix}:${this.#queueName}:${suffix}`;
  }

  async #scanKeys(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.#redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }
}

/**
 * The time a run was due: stored by `schedule`; for a job scheduler's run, the occurrence it
 * was made for (BullMQ keeps it as `prevMillis`).
 */
function dueAtOf(job: Job<JobData>): Date {
  if (typeof job.data.dueAt === 'number') return new Date(job.data.dueAt);
  if (typeof job.opts.prevMillis === 'number') return new Date(job.opts.prevMillis);
  return new Date(job.timestamp + (job.opts.delay ?? 0));
}

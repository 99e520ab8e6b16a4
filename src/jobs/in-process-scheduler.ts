import { CronExpressionParser } from 'cron-parser';
import type { Clock } from '../core/clock.js';
import { VirtualClock } from '../core/clock.js';
import { RepeatSpecSchema, type JobHandler, type JobRun, type RepeatSpec, type Scheduler } from './scheduler.js';

interface PendingJob {
  id: string;
  name: string;
  payload: unknown;
  runAt: number;
  /** Insertion order breaks ties between jobs due at the same instant, for determinism. */
  seq: number;
  repeat?: { cron: string; timeZone: string };
}

export interface InProcessSchedulerOptions {
  /** Called when a handler throws; the job is not retried in-process. */
  onError?: (error: unknown, job: JobRun) => void;
}

function nextOccurrence(cron: string, timeZone: string, after: number): number {
  const expression = CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: timeZone });
  return expression.next().getTime();
}

/** Shared bookkeeping of pending jobs; subclasses decide when time passes. */
abstract class PendingJobs implements Scheduler {
  protected readonly pending = new Map<string, PendingJob>();
  protected readonly handlers = new Map<string, JobHandler>();
  #seq = 0;

  constructor(
    protected readonly clock: Clock,
    protected readonly options: InProcessSchedulerOptions = {},
  ) {}

  handle(name: string, handler: JobHandler): void {
    if (this.handlers.has(name)) throw new Error(`a handler for job "${name}" is already registered`);
    this.handlers.set(name, handler);
  }

  async schedule(job: { id: string; name: string; runAt: Date; payload?: unknown }): Promise<void> {
    this.put({ id: job.id, name: job.name, payload: job.payload ?? null, runAt: job.runAt.getTime(), seq: this.#seq++ });
  }

  async cancel(id: string): Promise<boolean> {
    const existed = this.pending.delete(id);
    if (existed) this.changed();
    return existed;
  }

  async repeat(input: RepeatSpec): Promise<void> {
    const spec = RepeatSpecSchema.parse(input);
    const runAt = nextOccurrence(spec.cron, spec.timeZone, this.clock.now().getTime());
    this.put({
      id: spec.id,
      name: spec.name,
      payload: spec.payload ?? null,
      runAt,
      seq: this.#seq++,
      repeat: { cron: spec.cron, timeZone: spec.timeZone },
    });
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  /** Ids of the jobs waiting to run (diagnostics, and tests that a cancelled job is gone). */
  async pendingJobIds(): Promise<string[]> {
    return [...this.pending.keys()];
  }

  protected put(job: PendingJob): void {
    this.pending.set(job.id, job);
    this.changed();
  }

  /** Hook for the real-time scheduler to re-arm its timer. */
  protected changed(): void {}

  protected earliest(): PendingJob | undefined {
    let first: PendingJob | undefined;
    for (const job of this.pending.values()) {
      if (!first || job.runAt < first.runAt || (job.runAt === first.runAt && job.seq < first.seq)) first = job;
    }
    return first;
  }

  /** Takes the job off the queue (re-queueing a repeating one) and runs its handler. */
  protected async run(job: PendingJob): Promise<void> {
    this.pending.delete(job.id);
    if (job.repeat) {
      this.put({ ...job, runAt: nextOccurrence(job.repeat.cron, job.repeat.timeZone, job.runAt), seq: this.#seq++ });
    }
    const handler = this.handlers.get(job.name);
    const run: JobRun = { id: job.id, name: job.name, payload: job.payload, dueAt: new Date(job.runAt) };
    if (!handler) {
      this.options.onError?.(new Error(`no handler registered for job "${job.name}"`), run);
      return;
    }
    try {
      await handler(run);
    } catch (error) {
      this.options.onError?.(error, run);
    }
  }
}

/** Runs jobs on the wall clock with a single timer armed for the earliest job. */
export class RealTimeScheduler extends PendingJobs {
  #timer: NodeJS.Timeout | undefined;
  #running = new Set<Promise<void>>();
  #started = false;

  async start(): Promise<void> {
    this.#started = true;
    this.changed();
  }

  async stop(): Promise<void> {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await Promise.all(this.#running);
  }

  protected override changed(): void {
    if (!this.#started) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = this.earliest();
    if (!next) return;
    // setTimeout overflows above ~24.8 days; re-arm in steps.
    const delay = Math.min(Math.max(0, next.runAt - this.clock.now().getTime()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => this.#fire(), delay);
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    const now = this.clock.now().getTime();
    const due = [...this.pending.values()].filter((job) => job.runAt <= now).sort((a, b) => a.runAt - b.runAt || a.seq - b.seq);
    for (const job of due) {
      const running = this.run(job).finally(() => this.#running.delete(running));
      this.#running.add(running);
    }
    this.changed();
  }
}

/**
 * Time passes only through `runUntil`: jobs due up to that instant run one at a time, in
 * due order, with the clock set to each job's due time. Used by replay and tests.
 */
export class VirtualTimeScheduler extends PendingJobs {
  constructor(
    protected override readonly clock: VirtualClock,
    options: InProcessSchedulerOptions = {},
  ) {
    super(clock, options);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Runs every job due at or before `until` (including jobs those jobs schedule), then sets the clock to `until`. */
  async runUntil(until: Date): Promise<number> {
    let ran = 0;
    for (let job = this.earliest(); job && job.runAt <= until.getTime(); job = this.earliest()) {
      this.clock.advanceTo(job.runAt);
      await this.run(job);
      ran++;
    }
    this.clock.advanceTo(until);
    return ran;
  }

  pendingCount(): number {
    return this.pending.size;
  }
}

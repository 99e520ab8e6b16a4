import { z } from 'zod';

/** A unit of delayed or repeating work. `payload` is JSON so every implementation can store it. */
export interface JobRun {
  /** Stable id: scheduling the same id twice replaces the earlier job. */
  id: string;
  name: string;
  payload: unknown;
  /** When the job was due (not when it started): handlers use it as "now". */
  dueAt: Date;
}

export type JobHandler = (job: JobRun) => Promise<void>;

export const RepeatSpecSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** Five-field cron pattern, evaluated in `timeZone`. */
  cron: z.string().min(1),
  timeZone: z.string().default('UTC'),
  payload: z.unknown().optional(),
});
export type RepeatSpec = z.input<typeof RepeatSpecSchema>;

/**
 * One interface, two implementations: in-process (embedded default, tests, replay on a
 * virtual clock) and BullMQ (production, several processes, survives restarts).
 */
export interface Scheduler {
  /** Registers the handler for jobs of `name`. One handler per name. */
  handle(name: string, handler: JobHandler): void;
  /** Runs `name` once at `runAt`. Re-scheduling an existing `id` replaces it. */
  schedule(job: { id: string; name: string; runAt: Date; payload?: unknown }): Promise<void>;
  /** Cancels a pending one-off job or a repeating job; false if there was none. */
  cancel(id: string): Promise<boolean>;
  /** Runs `name` at every occurrence of a cron pattern in a time zone. Idempotent per `id`. */
  repeat(spec: RepeatSpec): Promise<void>;
  start(): Promise<void>;
  /** Stops taking jobs and waits for running ones to finish. */
  stop(): Promise<void>;
}

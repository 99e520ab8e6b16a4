import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineObserver, EventOutcome } from '../engine/pipeline.js';

/** Prometheus metrics of one process: events, actions, jobs, their latencies and the queue depth. */
export class EngineMetrics implements EngineObserver {
  readonly registry = new Registry();
  readonly #events: Counter<'type' | 'status'>;
  readonly #eventSeconds: Histogram<'status'>;
  readonly #actions: Counter<'type'>;
  readonly #jobs: Counter<'name' | 'status'>;
  readonly #jobSeconds: Histogram<'name'>;

  constructor(options: { pendingJobs?: () => Promise<number>; queuedEvents?: () => Promise<number>; processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'guyub_' });
    this.#events = new Counter({ name: 'guyub_events_total', help: 'Community events handled, by type and outcome', labelNames: ['type', 'status'], registers });
    this.#eventSeconds = new Histogram({
      name: 'guyub_event_duration_seconds',
      help: 'From an event reaching the engine to its actions, queueing behind its community included',
      labelNames: ['status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.#actions = new Counter({ name: 'guyub_actions_total', help: 'Actions decided by the engine, by type', labelNames: ['type'], registers });
    this.#jobs = new Counter({ name: 'guyub_jobs_total', help: 'Scheduled jobs run, by name and outcome', labelNames: ['name', 'status'], registers });
    this.#jobSeconds = new Histogram({
      name: 'guyub_job_duration_seconds',
      help: 'Time to run a scheduled job',
      labelNames: ['name'],
      buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    const { pendingJobs, queuedEvents } = options;
    if (queuedEvents) {
      new Gauge({
        name: 'guyub_events_queued',
        help: 'Events received and not yet handled: waiting in this process (role all) or in the event queue (split roles)',
        registers,
        async collect() {
          this.set(await queuedEvents());
        },
      });
    }
    if (pendingJobs) {
      new Gauge({
        name: 'guyub_jobs_pending',
        help: 'Jobs waiting in the scheduler (delayed or due)',
        registers,
        async collect() {
          this.set(await pendingJobs());
        },
      });
    }
  }

  eventHandled(outcome: EventOutcome, seconds: number): void {
    const type = outcome.status === 'invalid' ? 'invalid' : outcome.event.type;
    this.#events.inc({ type, status: outcome.status });
    this.#eventSeconds.observe({ status: outcome.status }, seconds);
    for (const action of outcome.actions) this.#actions.inc({ type: action.type });
  }

  jobRan(name: string, status: 'done' | 'duplicate' | 'failed', seconds: number, actions: number): void {
    this.#jobs.inc({ name, status });
    this.#jobSeconds.observe({ name }, seconds);
    if (actions) this.#actions.inc({ type: 'job' }, actions);
  }
}

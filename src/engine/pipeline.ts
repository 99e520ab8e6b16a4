import { z } from 'zod';
import {
  ActionSchema,
  CommunityEventSchema,
  type Action,
  type ActionDraft,
  type CommunityEvent,
  type Platform,
} from '../contracts/index.js';
import type { ConfigStore, CommunityConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import { KeyedSerialQueue } from '../core/keyed-queue.js';
import { pause } from '../core/pause.js';
import type { Logger } from '../core/logger.js';
import type { Community, PrismaClient } from '../generated/prisma/client.js';
import { translate } from '../i18n/index.js';
import type { JobRun, Scheduler } from '../jobs/scheduler.js';
import { isTransientStoreFailure } from '../db/transient.js';
import { eventRun, type EventRun, type AnyEventHandler, type Capability, type CommunityContext, type DeferredJob, type EventContext, type JobHandler, type Tx } from './capability.js';
import { isStretchEvent, recordEvent, recordStretch, type RecordedEvent, type StretchEvent } from './records/index.js';

export type EventOutcome =
  | { status: 'processed'; event: CommunityEvent; actions: Action[] }
  | { status: 'duplicate'; event: CommunityEvent; actions: [] }
  | { status: 'invalid'; problems: string[]; actions: [] }
  | { status: 'failed'; event: CommunityEvent; error: unknown; actions: Action[] };

/** Told how each event and job went, with its wall-clock duration (metrics). */
export interface EngineObserver {
  eventHandled(outcome: EventOutcome, seconds: number): void;
  jobRan(name: string, status: 'done' | 'duplicate' | 'failed', seconds: number, actions: number): void;
}

export interface EngineOptions {
  prisma: PrismaClient;
  config: ConfigStore;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  capabilities: readonly Capability[];
  observer?: EngineObserver;
  /**
   * Wait for an unreachable database or Redis (the automod counters) instead of failing the
   * events: they are tried again, with a pause doubling from `retryDelayMs` to `maxRetryDelayMs`,
   * until the store is back or `signal` aborts. The service sets it; replays and tests do not.
   */
  storeOutages?: { signal?: AbortSignal; retryDelayMs?: number; maxRetryDelayMs?: number };
}

/** Where a run keeps the platform ids of channels found by name (see `CommunityContext.channelId`). */
const CHANNEL_ID = 'engine.channelId:';

/** More waiting events of one community than this are handled in several transactions. */
const MAX_EVENTS_PER_TRANSACTION = 500;

interface WaitingEvent {
  event: CommunityEvent;
  resolve(outcome: EventOutcome): void;
  reject(error: unknown): void;
}

/** What a job that already ran returns (compared by identity, for metrics). */
const DUPLICATE_JOB: Action[] = Object.freeze([]) as unknown as Action[];

/** Jobs carry their community so a worker anywhere can run them. */
const JobPayloadSchema = z.looseObject({ platform: z.enum(['discord', 'slack', 'shell']), community: z.string().min(1) });

/** Lists a zod error's problems as "path: message" lines. */
export function describeProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(event)'}: ${issue.message}`);
}

/**
 * The event→action pipeline: validate, deduplicate, record, run every capability's handlers
 * in one transaction per event, and return the actions for the adapter to carry out.
 * Events of one community are handled one at a time, in arrival order.
 */
export class Engine {
  readonly #queue = new KeyedSerialQueue();
  /** Per community, the events that arrived since its queued turn was taken, handled together in that turn. */
  readonly #waiting = new Map<string, WaitingEvent[]>();
  readonly #communities = new Map<string, Community>();
  readonly #eventHandlers = new Map<string, { capability: string; handler: AnyEventHandler }[]>();
  readonly #jobHandlers = new Map<string, JobHandler>();
  /** Communities whose capabilities have re-armed their timers in this process. */
  readonly #recovered = new Set<string>();

  constructor(private readonly options: EngineOptions) {
    for (const capability of options.capabilities) {
      for (const [type, handler] of Object.entries(capability.on ?? {})) {
        const list = this.#eventHandlers.get(type) ?? [];
        list.push({ capability: capability.name, handler: handler as AnyEventHandler });
        this.#eventHandlers.set(type, list);
      }
      for (const [name, handler] of Object.entries(capability.jobs ?? {})) {
        if (this.#jobHandlers.has(name)) throw new Error(`job "${name}" is defined by two capabilities`);
        this.#jobHandlers.set(name, handler);
      }
    }
  }

  /** Validates a raw event (from JSON or an adapter) against the CommunityEvent contract. */
  static parseEvent(raw: unknown): { ok: true; event: CommunityEvent } | { ok: false; problems: string[] } {
    const result = CommunityEventSchema.safeParse(raw);
    return result.success ? { ok: true, event: result.data } : { ok: false, problems: describeProblems(result.error) };
  }

  /** Registers every capability's jobs with the scheduler; their actions go to `deliver`. */
  attachJobs(deliver: (actions: Action[]) => Promise<void>): void {
    for (const name of this.#jobHandlers.keys()) {
      this.options.scheduler.handle(name, async (job) => {
        const actions = await this.runJob(job);
        if (actions.length) await deliver(actions);
      });
    }
  }

  async handle(raw: unknown): Promise<EventOutcome> {
    const started = performance.now();
    const parsed = Engine.parseEvent(raw);
    const outcome: EventOutcome = parsed.ok ? await this.#enqueue(parsed.event) : { status: 'invalid', problems: parsed.problems, actions: [] };
    this.options.observer?.eventHandled(outcome, (performance.now() - started) / 1000);
    return outcome;
  }

  /**
   * Events that arrive while their community is busy wait together and are handled in its next
   * turn (group commit): up to 500 in one transaction, in arrival order. A quiet community's
   * event is handled alone at once.
   */
  #enqueue(event: CommunityEvent): Promise<EventOutcome> {
    const key = `${event.platform}:${event.community}`;
    return new Promise((resolve, reject) => {
      let waiting = this.#waiting.get(key);
      if (!waiting) {
        const list: WaitingEvent[] = [];
        waiting = list;
        this.#waiting.set(key, list);
        void this.#queue.run(key, () => {
          if (this.#waiting.get(key) === list) this.#waiting.delete(key);
          return this.#handleInTurn(list);
        });
      }
      waiting.push({ event, resolve, reject });
    });
  }

  /** Queues other work of a community behind the events that arrived before it, not before those that come after. */
  #runInTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.#waiting.delete(key);
    return this.#queue.run(key, task);
  }

  async #handleInTurn(waiting: WaitingEvent[]): Promise<void> {
    for (let start = 0; start < waiting.length; start += MAX_EVENTS_PER_TRANSACTION) await this.#settle(waiting.slice(start, start + MAX_EVENTS_PER_TRANSACTION));
  }

  /**
   * Handles a run of events and answers each caller. With `storeOutages`, a run that met an
   * unreachable database or Redis is tried again, from its first such event, until they are
   * back: later events of the community wait behind it, so none overtakes another.
   */
  async #settle(run: WaitingEvent[]): Promise<void> {
    const { storeOutages, logger } = this.options;
    let delay = storeOutages?.retryDelayMs ?? 250;
    for (let attempt = 1; ; attempt++) {
      let outcomes: EventOutcome[] = [];
      let reason: unknown;
      try {
        outcomes = run.length === 1 ? [await this.#process(run[0]!.event)] : await this.#processRun(run.map((w) => w.event));
      } catch (error) {
        // Finding the community itself failed: nothing of the run was handled.
        reason = error;
      }
      const stalled = outcomes.findIndex((o) => o.status === 'failed' && isTransientStoreFailure(o.error));
      const done = storeOutages && stalled !== -1 ? stalled : outcomes.length;
      for (let i = 0; i < done; i++) run[i]!.resolve(outcomes[i]!);
      run = run.slice(done);
      if (!run.length) return;
      if (stalled !== -1) reason = (outcomes[stalled] as { error: unknown }).error;
      if (!storeOutages || !isTransientStoreFailure(reason) || storeOutages.signal?.aborted) {
        // Given up: the stalled event reports its failure, the ones behind it were not tried.
        const [first, ...rest] = run;
        if (stalled !== -1) first!.resolve(outcomes[stalled]!);
        else first!.reject(reason);
        for (const waiting of rest) waiting.reject(reason);
        return;
      }
      if (attempt === 1 || attempt % 10 === 0) logger.warn({ err: reason, eventId: run[0]!.event.id, waiting: run.length, attempt }, 'the database is unavailable; retrying the events');
      await pause(delay, storeOutages.signal);
      delay = Math.min(delay * 2, storeOutages.maxRetryDelayMs ?? 2_000);
    }
  }

  /** Runs a scheduled job once per job id and due time, in its community's order. */
  async runJob(job: JobRun): Promise<Action[]> {
    const { observer } = this.options;
    if (!observer) return this.#runJob(job);
    const started = performance.now();
    try {
      const actions = await this.#runJob(job);
      observer.jobRan(job.name, actions === DUPLICATE_JOB ? 'duplicate' : 'done', (performance.now() - started) / 1000, actions.length);
      return actions;
    } catch (error) {
      observer.jobRan(job.name, 'failed', (performance.now() - started) / 1000, 0);
      throw error;
    }
  }

  async #runJob(job: JobRun): Promise<Action[]> {
    const handler = this.#jobHandlers.get(job.name);
    if (!handler) throw new Error(`no capability handles job "${job.name}"`);
    const payload = JobPayloadSchema.parse(job.payload);
    return this.#runInTurn(`${payload.platform}:${payload.community}`, async () => {
      const community = await this.#community(payload.platform, payload.community, undefined);
      await this.#recoverOnce(community);
      const config = this.options.config.for(payload.platform, payload.community);
      const deferred: DeferredJob[] = [];
      const dedupeId = `job:${job.id}@${job.dueAt.toISOString()}`;
      const drafts = await this.options.prisma.$transaction(
        async (tx) => {
          if (!(await this.#markProcessed(tx, community, dedupeId, `job:${job.name}`, job.dueAt))) return null;
          const ctx = { ...this.#context(tx, community, config, deferred), job: { ...job, payload } };
          return handler(ctx);
        },
        { maxWait: 10_000, timeout: 60_000 },
      );
      if (drafts === null) return DUPLICATE_JOB;
      await this.#applyDeferred(community, deferred);
      return drafts.map((draft) => this.#stamp(draft, community, payload.platform, dedupeId));
    });
  }

  /**
   * Runs every capability's `recover` for every community in the database (see Capability):
   * call it once at start, after `attachJobs`, so that timers lost with the previous process
   * (a poll's deadline, a repeating job) are armed again. Returns the number of communities.
   */
  async recover(): Promise<number> {
    const communities = await this.options.prisma.community.findMany({ orderBy: { id: 'asc' } });
    for (const community of communities) {
      const key = `${community.platform}:${community.externalId}`;
      if (!this.#communities.has(key)) this.#communities.set(key, community);
      await this.#runInTurn(key, () => this.#recoverOnce(community));
    }
    return communities.length;
  }

  /** Resolves once every event and job queued so far has been handled. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  async #process(event: CommunityEvent): Promise<EventOutcome> {
    const { logger } = this.options;
    const communityName = typeof event.communityName === 'string' ? event.communityName : undefined;
    const community = await this.#community(event.platform, event.community, communityName);
    await this.#recoverOnce(community);
    const config = this.options.config.for(event.platform, event.community);
    const deferred: DeferredJob[] = [];
    try {
      const drafts = await this.options.prisma.$transaction(
        async (tx) => {
          if (!(await this.#markProcessed(tx, community, event.id, event.type, new Date(event.at)))) return null;
          const recorded = await recordEvent(tx, community, event);
          return this.#runHandlers(event, { ...this.#context(tx, community, config, deferred), ...recorded, run: eventRun([event]) });
        },
        { maxWait: 10_000, timeout: 30_000 },
      );
      if (drafts === null) {
        logger.debug({ eventId: event.id, type: event.type }, 'duplicate event skipped');
        return { status: 'duplicate', event, actions: [] };
      }
      const actions = drafts.map((draft) => this.#stamp(draft, community, event.platform, event.id));
      // Committed: the event is processed whatever happens next, so its actions must go out even if
      // handing its jobs to the scheduler fails (that failure is logged with the jobs it concerned).
      try {
        await this.#applyDeferred(community, deferred);
      } catch (error) {
        logger.error({ err: error, eventId: event.id, jobs: deferred.map((job) => job.id) }, 'scheduling the jobs of a processed event failed');
      }
      return { status: 'processed', event, actions };
    } catch (error) {
      logger.error({ err: error, eventId: event.id, type: event.type, community: event.community }, 'event handling failed');
      // The invoker of a command deserves an answer even when its handler broke.
      const actions =
        event.type === 'command.invoked'
          ? [
              this.#stamp(
                { type: 'reply.ephemeral', member: event.member.id, message: { text: translate(config.locale, 'command.failed', { command: event.command }) } },
                community,
                event.platform,
                event.id,
              ),
            ]
          : [];
      return { status: 'failed', event, error, actions };
    }
  }

  async #runHandlers(event: CommunityEvent, ctx: EventContext): Promise<ActionDraft[]> {
    const actions: ActionDraft[] = [];
    for (const { handler } of this.#eventHandlers.get(event.type) ?? []) actions.push(...(await handler(event, ctx)));
    // Every command and button press gets an answer: one that no capability took is unknown here.
    if (event.type === 'command.invoked' && actions.length === 0) {
      actions.push({ type: 'reply.ephemeral', member: event.member.id, message: { text: ctx.t('command.unknown', { command: event.command }) } });
    }
    if (event.type === 'component.used' && actions.length === 0) {
      actions.push({ type: 'reply.ephemeral', member: event.member.id, message: { text: ctx.t('component.unknown') } });
    }
    return actions;
  }

  /**
   * Several events of one community in one transaction, in order: each event's handlers see
   * what the events before it stored, as they would one by one, and a stretch of new
   * messages, joins and leaves is stored with a few statements (see `recordStretch`). Should
   * the transaction fail, the events are handled again one by one, so that one bad event
   * fails alone.
   */
  async #processRun(events: CommunityEvent[]): Promise<EventOutcome[]> {
    const { logger, prisma, storeOutages } = this.options;
    const { platform, community: externalId } = events[0]!;
    const communityName = events.map((event) => (typeof event.communityName === 'string' ? event.communityName : undefined)).filter((name) => name !== undefined).at(-1);
    const community = await this.#community(platform, externalId, communityName);
    await this.#recoverOnce(community);
    const config = this.options.config.for(platform, externalId);
    const deferred: DeferredJob[] = [];
    let drafts: (ActionDraft[] | null)[];
    try {
      drafts = await prisma.$transaction(
        async (tx) => {
          const run = eventRun(events);
          const results: (ActionDraft[] | null)[] = [];
          for (let start = 0; start < events.length; ) {
            let end = start + 1;
            while (isStretchEvent(events[start]!) && end < events.length && isStretchEvent(events[end]!)) end++;
            const first = events[start]!;
            let recorded: (RecordedEvent | null)[];
            let channelsChanged: boolean;
            if (isStretchEvent(first)) {
              let consumed: number;
              ({ consumed, recorded, channelsChanged } = await recordStretch(tx, community, events.slice(start, end) as StretchEvent[]));
              end = start + consumed;
            } else {
              recorded = [(await this.#markProcessed(tx, community, first.id, first.type, new Date(first.at))) ? await recordEvent(tx, community, first) : null];
              channelsChanged = true;
            }
            const stretch = events.slice(start, end);
            if (channelsChanged) for (const key of run.memo.keys()) if (key.startsWith(CHANNEL_ID)) run.memo.delete(key);
            for (const [i, event] of stretch.entries()) {
              const record = recorded[i];
              results.push(record ? await this.#runHandlers(event, { ...this.#context(tx, community, config, deferred, run), ...record, run }) : null);
            }
            start = end;
          }
          return results;
        },
        { maxWait: 10_000, timeout: 60_000 },
      );
    } catch (error) {
      logger.debug({ err: error, events: events.length, community: externalId }, 'a run of events failed together; handling them one by one');
      const outcomes: EventOutcome[] = [];
      for (const event of events) {
        const outcome = await this.#process(event);
        outcomes.push(outcome);
        // The caller waits for the store and goes on from here: the rest were not tried.
        if (storeOutages && outcome.status === 'failed' && isTransientStoreFailure(outcome.error)) break;
      }
      return outcomes;
    }
    try {
      await this.#applyDeferred(community, deferred);
    } catch (error) {
      logger.error({ err: error, events: events.length, jobs: deferred.map((job) => job.id) }, 'scheduling the jobs of processed events failed');
    }
    return events.map((event, i): EventOutcome => {
      const list = drafts[i];
      if (!list) {
        logger.debug({ eventId: event.id, type: event.type }, 'duplicate event skipped');
        return { status: 'duplicate', event, actions: [] };
      }
      return { status: 'processed', event, actions: list.map((draft) => this.#stamp(draft, community, platform, event.id)) };
    });
  }

  /** The capabilities' `recover` hooks for one community, the first time this process meets it (inside its queue). */
  async #recoverOnce(community: Community): Promise<void> {
    const key = `${community.platform}:${community.externalId}`;
    if (this.#recovered.has(key)) return;
    this.#recovered.add(key);
    const config = this.options.config.for(community.platform, community.externalId);
    for (const capability of this.options.capabilities) {
      if (!capability.recover) continue;
      const deferred: DeferredJob[] = [];
      try {
        await this.options.prisma.$transaction((tx) => capability.recover!(this.#context(tx, community, config, deferred)), { maxWait: 10_000, timeout: 60_000 });
        await this.#applyDeferred(community, deferred);
      } catch (error) {
        this.options.logger.error({ err: error, capability: capability.name, community: community.externalId }, 'recovering scheduled work failed');
      }
    }
  }

  /** Inserts the ProcessedEvent row; false when it already existed (a retried delivery). */
  async #markProcessed(tx: Tx, community: Community, eventId: string, type: string, occurredAt: Date): Promise<boolean> {
    const { count } = await tx.processedEvent.createMany({
      data: [{ communityId: community.id, eventId, type, occurredAt }],
      skipDuplicates: true,
    });
    return count === 1;
  }

  /** With `run`, channels found by name are kept for the run (until it records channels again). */
  #context(tx: Tx, community: Community, config: CommunityConfig, deferred: DeferredJob[], run?: EventRun): CommunityContext {
    const { clock, logger } = this.options;
    return {
      tx,
      community,
      config,
      clock,
      logger,
      async channelId(name) {
        const key = `${CHANNEL_ID}${name}`;
        const known = run?.memo.get(key) as Promise<string> | undefined;
        if (known) return known;
        const finding = tx.channel
          .findFirst({ where: { communityId: community.id, name }, orderBy: { id: 'asc' }, select: { externalId: true } })
          .then((channel) => channel?.externalId ?? name);
        run?.memo.set(key, finding);
        return finding;
      },
      schedule(job) {
        deferred.push({ kind: 'schedule', id: job.id, name: job.name, runAt: job.runAt, payload: job.payload ?? {} });
      },
      cancel(id) {
        deferred.push({ kind: 'cancel', id });
      },
      repeat(job) {
        deferred.push({ kind: 'repeat', id: job.id, name: job.name, cron: job.cron, timeZone: job.timeZone ?? config.timeZone, payload: job.payload ?? {} });
      },
      t: (key, variables) => translate(config.locale, key, variables),
    };
  }

  async #applyDeferred(community: Community, deferred: DeferredJob[]): Promise<void> {
    const { scheduler } = this.options;
    const scope = `${community.platform}:${community.externalId}`;
    for (const job of deferred) {
      if (job.kind === 'cancel') await scheduler.cancel(`${scope}:${job.id}`);
      else if (job.kind === 'repeat')
        await scheduler.repeat({
          id: `${scope}:${job.id}`,
          name: job.name,
          cron: job.cron,
          timeZone: job.timeZone,
          payload: { ...job.payload, platform: community.platform, community: community.externalId },
        });
      else
        await scheduler.schedule({
          id: `${scope}:${job.id}`,
          name: job.name,
          runAt: job.runAt,
          payload: { ...job.payload, platform: community.platform, community: community.externalId },
        });
    }
  }

  #stamp(draft: ActionDraft, community: Community, platform: Platform, cause: string): Action {
    return ActionSchema.parse({ ...draft, platform, community: community.externalId, cause });
  }

  async #community(platform: Platform, externalId: string, name: string | undefined): Promise<Community> {
    const key = `${platform}:${externalId}`;
    const cached = this.#communities.get(key);
    if (cached && (name === undefined || cached.name === name)) return cached;
    const community = await this.options.prisma.community.upsert({
      where: { platform_externalId: { platform, externalId } },
      create: { platform, externalId, name: name ?? null },
      update: name === undefined ? {} : { name },
    });
    this.#communities.set(key, community);
    return community;
  }
}

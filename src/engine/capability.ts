import type { ActionDraft, CommunityEvent, CommunityEventType, EventOfType } from '../contracts/index.js';
import type { CommunityConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Channel, Community, Member, Prisma } from '../generated/prisma/client.js';

export type Tx = Prisma.TransactionClient;

/** Work a handler asks for; carried out only after its transaction commits. */
export type DeferredJob =
  | { kind: 'schedule'; id: string; name: string; runAt: Date; payload: Record<string, unknown> }
  | { kind: 'cancel'; id: string }
  | { kind: 'repeat'; id: string; name: string; cron: string; timeZone: string; payload: Record<string, unknown> };

/** What every handler gets: the transaction, the community, its config and the clock. */
export interface CommunityContext {
  tx: Tx;
  community: Community;
  config: CommunityConfig;
  clock: Clock;
  logger: Logger;
  /** The platform id of a channel known by name (its name itself when the adapter never reported it). */
  channelId(name: string): Promise<string>;
  /** Schedules a job of this community after commit; `id` makes it idempotent and cancellable. */
  schedule(job: { id: string; name: string; runAt: Date; payload?: Record<string, unknown> }): void;
  cancel(id: string): void;
  /** Runs a job at every occurrence of a cron pattern, in the community's time zone unless given; after commit, idempotent per `id`. */
  repeat(job: { id: string; name: string; cron: string; timeZone?: string; payload?: Record<string, unknown> }): void;
  /** Translates one of the bot's own strings in the community's locale. */
  t(key: string, variables?: Record<string, string | number>): string;
}

export interface EventContext extends CommunityContext {
  /** The member who acted (author, joiner, invoker, reactor) as stored after this event. */
  member: Member | null;
  /** The same member as stored before this event, or null if unknown until now. */
  memberBefore: Member | null;
  /** The channel of the event (null for joins and leaves). */
  channel: Channel | null;
  /** The events handled in the same transaction as this one (this one alone when it came alone). */
  run: EventRun;
}

/**
 * A community's events handled together. A handler may answer a question about all of them
 * with one query, kept in `memo` under a key of its own until the transaction ends, instead of
 * one query per event; it must keep that answer true as it writes. A wrong answer is not
 * silent: a write that fails makes the engine handle the events again one by one.
 */
export interface EventRun {
  events: readonly CommunityEvent[];
  memo: Map<string, unknown>;
}

export function eventRun(events: readonly CommunityEvent[]): EventRun {
  return { events, memo: new Map() };
}

export type EventHandler<T extends CommunityEventType> = (event: EventOfType<T>, ctx: EventContext) => Promise<ActionDraft[]>;

export interface JobContext extends CommunityContext {
  job: { id: string; name: string; dueAt: Date; payload: Record<string, unknown> };
}

export type JobHandler = (ctx: JobContext) => Promise<ActionDraft[]>;

/** One capability of the engine: handlers per event type and handlers per job name. */
export interface Capability {
  name: string;
  on?: { [T in CommunityEventType]?: EventHandler<T> };
  jobs?: Record<string, JobHandler>;
  /**
   * Re-arms the capability's timers from the database, once per community per process: the
   * in-process scheduler forgets its jobs on a restart. The engine calls it for every stored
   * community in `Engine.recover()` (at start) and for any other community the first time
   * one of its events or jobs arrives. It only schedules (`ctx.schedule`, `ctx.repeat`);
   * scheduling an id again replaces the job, so running it twice is harmless.
   */
  recover?: (ctx: CommunityContext) => Promise<void>;
}

export type AnyEventHandler = (event: CommunityEvent, ctx: EventContext) => Promise<ActionDraft[]>;

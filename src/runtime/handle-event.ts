import type { Action, CommunityEvent } from '../contracts/index.js';
import type { Logger } from '../core/logger.js';
import { pause } from '../core/pause.js';
import { isTransientStoreFailure } from '../db/index.js';
import type { Engine } from '../engine/pipeline.js';

export interface HandleEventOptions {
  logger: Logger;
  /** Stops waiting for the store to come back (the process is stopping): the call then rejects. */
  signal?: AbortSignal;
  /** First pause before retrying when the store is away (doubles up to `maxRetryDelayMs`). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export class EventHandlingInterrupted extends Error {
  override readonly name = 'EventHandlingInterrupted';
}

/**
 * Runs one event through the engine and hands its actions to `deliver`. While PostgreSQL (or
 * Redis, for the automod counters) is away the event is retried with backoff (at most 2 s
 * apart, so the bot resumes within 2 s of the store's return) until it comes back. An engine
 * made with `storeOutages` already waits in place, keeping its community's order; this loop
 * covers the rest (finding the community failed, or an engine without it). The ProcessedEvent
 * dedupe keeps a retried event from acting twice. Other failures (a bug, bad data) are the
 * engine's to report: its apology actions are delivered, and the event is done.
 */
export async function handleEventDurably(engine: Engine, event: CommunityEvent, deliver: (actions: Action[]) => Promise<void>, options: HandleEventOptions): Promise<void> {
  const actions = await settleEvent(engine, event, options);
  if (actions.length) await deliver(actions);
}

/** `handleEventDurably` without the delivery: the actions to carry out once the event is handled. */
export async function settleEvent(engine: Engine, event: CommunityEvent, options: HandleEventOptions): Promise<Action[]> {
  const { logger, signal, retryDelayMs = 250, maxRetryDelayMs = 2_000 } = options;
  let delay = retryDelayMs;
  for (let attempt = 1; ; attempt++) {
    let transient: unknown;
    try {
      const outcome = await engine.handle(event);
      if (outcome.status === 'invalid') {
        logger.warn({ eventId: event.id, type: event.type, problems: outcome.problems }, 'event dropped: it does not match the contract');
        return [];
      }
      if (outcome.status !== 'failed' || !isTransientStoreFailure(outcome.error)) return outcome.actions;
      transient = outcome.error;
    } catch (error) {
      // The engine rejects (rather than reporting `failed`) when even finding the community failed.
      if (!isTransientStoreFailure(error)) throw error;
      transient = error;
    }
    if (attempt === 1 || attempt % 10 === 0) logger.warn({ err: transient, eventId: event.id, attempt }, 'the database is unavailable; retrying the event');
    await pause(delay, signal);
    if (signal?.aborted) throw new EventHandlingInterrupted('stopping');
    delay = Math.min(delay * 2, maxRetryDelayMs);
  }
}

/**
 * Several events (a worker's job) handed to the engine together, so that a community's events
 * among them share transactions; their actions are delivered in the events' order. Should one
 * not be handled (the process is stopping), every other event's actions are still delivered
 * before its error is thrown: events handled for other communities are not redone on retry.
 */
export async function handleEventsDurably(engine: Engine, events: readonly CommunityEvent[], deliver: (actions: Action[]) => Promise<void>, options: HandleEventOptions): Promise<void> {
  const settled = await Promise.allSettled(events.map((event) => settleEvent(engine, event, options)));
  for (const result of settled) if (result.status === 'fulfilled' && result.value.length) await deliver(result.value);
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

import type { Action, CommunityEvent, Platform } from '../contracts/index.js';

/** What every platform adapter offers the runtime: carrying out the engine's actions. */
export interface ActionExecutor {
  readonly platform: Platform;
  /** Carries out actions in order; a failure is logged and reported, never dropped silently. */
  execute(actions: readonly Action[]): Promise<void>;
}

/**
 * Where an adapter hands each normalized event. The runtime decides what happens next: run the
 * engine in this process and execute its actions (role `all`), or queue the event for a worker
 * (role `gateway`). It resolves once the event is safely handed over, and rejects if it was not.
 */
export type EventSink = (event: CommunityEvent) => Promise<void>;

/**
 * A platform connection: it receives the platform's events, normalizes them into
 * `CommunityEvent`s for the sink, and carries out actions through the platform's API.
 * `execute` works without `start` (a worker process only carries out actions).
 */
export interface PlatformAdapter extends ActionExecutor {
  /** Connects (gateway, HTTP receiver or socket) and starts handing events to `sink`. */
  start(sink: EventSink): Promise<void>;
  /**
   * Stops taking events (closes the gateway, the HTTP receiver or the socket) and waits for the
   * events being handed over. `execute` keeps working afterwards: jobs and outboxes that stop
   * later still carry out their actions.
   */
  stop(): Promise<void>;
  /** Releases the API client for good, once nothing will call `execute` any more. */
  dispose?(): Promise<void>;
}

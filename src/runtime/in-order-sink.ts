import type { EventSink } from '../adapters/adapter.js';
import type { Action } from '../contracts/index.js';
import { KeyedSerialQueue } from '../core/keyed-queue.js';
import type { Engine } from '../engine/pipeline.js';
import { settleEvent, type HandleEventOptions } from './handle-event.js';

export interface InOrderSink {
  sink: EventSink;
  /** Resolves once every event handed over so far is handled and its actions carried out. */
  idle(): Promise<void>;
}

/**
 * The sink of a process that holds both the platforms and the engine (`--role all`). Each event
 * goes to the engine at once: the engine keeps a community's events in arrival order, handles
 * those that arrive while the community is busy in one transaction, and (made with
 * `storeOutages`) waits out a database outage in place, so no later event overtakes a retried
 * one. The actions are then carried out in the same order, one event's after the other's.
 */
export function inOrderSink(engine: Engine, deliver: (actions: Action[]) => Promise<void>, options: HandleEventOptions): InOrderSink {
  const inOrder = new KeyedSerialQueue();
  return {
    sink(event) {
      const settled = settleEvent(engine, event, options);
      // Awaited in its turn below; this keeps a failure meanwhile from counting as unhandled.
      settled.catch(() => undefined);
      return inOrder.run(`${event.platform}:${event.community}`, async () => {
        const actions = await settled;
        if (actions.length) await deliver(actions);
      });
    },
    idle: () => inOrder.idle(),
  };
}

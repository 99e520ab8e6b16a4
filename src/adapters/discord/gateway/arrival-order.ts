import type { CommunityEvent } from '../../../contracts/index.js';

/**
 * Keeps each user's events in arrival order on their way to the sink. An event is handed over the
 * moment it arrives, unless it first needs something looked up (a click in a DM, whose community
 * comes from the database): then the same user's later events wait behind it, so none overtakes
 * it. Users are independent of each other, and nothing waits while nothing is being looked up.
 */
export class ArrivalOrder {
  /** Per user with an event held back: settles once that user's held-back events have been handed over. */
  readonly #held = new Map<string, Promise<void>>();

  /**
   * Hands `event` to `hand` after the user's earlier events; `event` may be a promise (which
   * should not reject: a lookup that failed resolves to undefined, and nothing is handed over).
   * Resolves or rejects as the hand-over does.
   */
  hand(user: string | undefined, event: CommunityEvent | undefined | Promise<CommunityEvent | undefined>, hand: (event: CommunityEvent) => Promise<void>): Promise<void> {
    const before = user === undefined ? undefined : this.#held.get(user);
    if (before === undefined && !(event instanceof Promise)) return event ? hand(event) : Promise.resolve();

    let handed: Promise<void> = Promise.resolve();
    const ready = Promise.resolve(event).catch(() => undefined);
    const turn = (before ?? Promise.resolve())
      .then(() => ready)
      .then((prepared) => {
        if (!prepared) return;
        try {
          handed = hand(prepared);
        } catch (error) {
          handed = Promise.reject(error);
        }
      });
    if (user !== undefined) {
      this.#held.set(user, turn);
      void turn.then(() => {
        if (this.#held.get(user) === turn) this.#held.delete(user);
      });
    }
    return turn.then(() => handed);
  }

  /** How many users have events held back. */
  get holding(): number {
    return this.#held.size;
  }
}

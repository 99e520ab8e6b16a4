/** The engine never reads the wall clock directly: replay runs on event time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; never backwards. */
export class VirtualClock implements Clock {
  #now: number;

  constructor(start: Date | number = 0) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Moves to `time` if it is later than now; earlier times leave the clock alone. */
  advanceTo(time: Date | number): void {
    const ms = typeof time === 'number' ? time : time.getTime();
    if (ms > this.#now) this.#now = ms;
  }
}

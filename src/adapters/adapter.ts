import type { Action, Platform } from '../contracts/index.js';

/** What every platform adapter offers the runtime: carrying out the engine's actions. */
export interface ActionExecutor {
  readonly platform: Platform;
  /** Carries out actions in order; a failure is logged and reported, never dropped silently. */
  execute(actions: readonly Action[]): Promise<void>;
}

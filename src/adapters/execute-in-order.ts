import type { Action } from '../contracts/index.js';
import type { Logger } from '../core/logger.js';

export interface ActionFailure {
  action: Action;
  error: unknown;
}

export interface ExecuteInOrderOptions {
  logger: Logger;
  /**
   * Tells the community's moderators (the mod log) that an action failed. Called at most once
   * per failed action, never for a failure of the report itself.
   */
  reportFailure(failure: ActionFailure): Promise<void>;
}

/** A short, secret-free description of why a platform call failed, for logs and the mod log. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0]!.slice(0, 300);
  return String(error).slice(0, 300);
}

/**
 * Carries out actions one after the other, in the engine's order (a DM before the kick it
 * announces). A failed action does not stop the next ones: it is logged with its cause (the
 * event or job that led to it) and reported to the mod log. The platform library has already
 * retried what can be retried (rate limits, 5xx) by the time a call fails here.
 */
export async function executeInOrder(actions: readonly Action[], carryOut: (action: Action) => Promise<void>, options: ExecuteInOrderOptions): Promise<ActionFailure[]> {
  const failures: ActionFailure[] = [];
  for (const action of actions) {
    try {
      await carryOut(action);
    } catch (error) {
      const failure = { action, error };
      failures.push(failure);
      options.logger.error(
        { err: error, action: action.type, platform: action.platform, community: action.community, cause: action.cause },
        'platform action failed',
      );
      try {
        await options.reportFailure(failure);
      } catch (reportError) {
        options.logger.error({ err: reportError, action: action.type, cause: action.cause }, 'could not report a failed action to the mod log');
      }
    }
  }
  return failures;
}

import type { ActionExecutor } from '../adapters/adapter.js';
import type { Action, Platform } from '../contracts/index.js';
import type { Logger } from '../core/logger.js';

/**
 * Hands each action to the executor of its platform, keeping the engine's order within a
 * platform. An action for a platform with no executor here is logged, not lost silently.
 */
export class ActionRouter {
  readonly #executors = new Map<Platform, ActionExecutor>();

  constructor(
    executors: readonly ActionExecutor[],
    private readonly logger: Logger,
  ) {
    for (const executor of executors) this.#executors.set(executor.platform, executor);
  }

  get platforms(): Platform[] {
    return [...this.#executors.keys()];
  }

  async execute(actions: readonly Action[]): Promise<void> {
    for (const [platform, list] of groupByPlatform(actions)) {
      const executor = this.#executors.get(platform);
      if (!executor) {
        this.logger.error({ platform, actions: list.map((a) => a.type), cause: list[0]?.cause }, 'no adapter for this platform in this process: actions not carried out');
        continue;
      }
      await executor.execute(list);
    }
  }
}

/** Actions grouped by platform, each group in the engine's order. */
export function groupByPlatform(actions: readonly Action[]): Map<Platform, Action[]> {
  const byPlatform = new Map<Platform, Action[]>();
  for (const action of actions) {
    const list = byPlatform.get(action.platform);
    if (list) list.push(action);
    else byPlatform.set(action.platform, [action]);
  }
  return byPlatform;
}

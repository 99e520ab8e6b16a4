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
    const byPlatform = new Map<Platform, Action[]>();
    for (const action of actions) byPlatform.set(action.platform, [...(byPlatform.get(action.platform) ?? []), action]);
    for (const [platform, list] of byPlatform) {
      const executor = this.#executors.get(platform);
      if (!executor) {
        this.logger.error({ platform, actions: list.map((a) => a.type), cause: list[0]?.cause }, 'no adapter for this platform in this process: actions not carried out');
        continue;
      }
      await executor.execute(list);
    }
  }
}

import type { Capability } from '../capability.js';
import type { RateCounters } from './automod/index.js';
import { moderateMessage, watchJoins } from './automod-handlers.js';
import { handleModeratorCommand } from './commands.js';

export { ModerationConfigSchema, type ModerationConfig } from './config.js';

/**
 * Moderation: automatic rules on messages and joins, one ledger of numbered cases, an
 * escalation ladder, moderator commands and the mod log. Rate-based rules count in
 * `counters` (Redis when several processes share a community, memory otherwise).
 */
export function moderation(deps: { counters: RateCounters }): Capability {
  return {
    name: 'moderation',
    on: {
      'message.created': moderateMessage(deps.counters),
      'member.joined': watchJoins(deps.counters),
      'command.invoked': handleModeratorCommand,
    },
  };
}

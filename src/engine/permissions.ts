import type { CommunityConfig } from '../config/index.js';

/** Whether a member's roles (names, as the adapter reports them) include a moderator role. */
export function isModerator(roles: readonly string[] | undefined, config: CommunityConfig): boolean {
  return (roles ?? []).some((role) => config.roles.moderator.includes(role));
}

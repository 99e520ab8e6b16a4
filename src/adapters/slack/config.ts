import { z } from 'zod';

/**
 * The `slack:` section of a community's configuration. Slack has no roles: the engine's role
 * names (DESIGN §3.1) come from user groups, listed here by handle, and from workspace admins
 * and owners, who always hold the role `admin`.
 */
export const SlackConfigSchema = z.strictObject({
  /**
   * Role name → handles of the user groups whose members hold it. A role not listed here maps
   * to the user group whose handle is the role's own name, when the workspace has one.
   */
  roleGroups: z.record(z.string().min(1), z.array(z.string().min(1).regex(/^[^\s@]+$/, 'a user group handle without "@" or spaces'))),
  /**
   * A channel (by name) whose joiners count as joining the community (`member.joined`), for
   * communities that live in a shared channel of a bigger workspace; null: only joining the
   * workspace (team_join) does.
   */
  joinChannel: z.string().min(1).regex(/^[^\s#]+$/, 'a channel name without "#" or spaces').nullable(),
});

export type SlackConfig = z.infer<typeof SlackConfigSchema>;

import type { webApi } from '@slack/bolt';
import type { ConfigStore } from '../../../config/index.js';
import type { SlackClients } from './clients.js';
import { TtlCache } from './ttl-cache.js';

export interface SlackUser {
  id: string;
  /** The display name, else the real name, else the handle. */
  name: string;
  bot: boolean;
  /** A workspace admin or owner. */
  admin: boolean;
}

export interface UserGroup {
  id: string;
  handle: string;
  users: string[];
}

const MINUTE = 60_000;

/** Slackbot is no bot in users.info, but it is one for the engine. */
const SLACKBOT = 'USLACKBOT';

type UsersInfo = webApi.UsersInfoResponse;

export function userFromInfo(user: NonNullable<UsersInfo['user']>): SlackUser {
  const name = user.profile?.display_name || user.real_name || user.profile?.real_name || user.name || user.id!;
  return {
    id: user.id!,
    name,
    bot: Boolean(user.is_bot) || user.id === SLACKBOT,
    admin: Boolean(user.is_admin || user.is_owner || user.is_primary_owner),
  };
}

/**
 * What the adapter looks up about a workspace, cached: members (users.info, 10 minutes),
 * channel names (conversations.info, 10 minutes), channel ids by name (conversations.list,
 * 5 minutes), the workspace's name (team.info, an hour) and user groups with their members
 * (usergroups.list, one minute, so a new moderator holds the role within a minute).
 */
export class SlackDirectory {
  readonly #users = new TtlCache<SlackUser>(10 * MINUTE);
  readonly #channelNames = new TtlCache<string | undefined>(10 * MINUTE);
  readonly #channelIds = new TtlCache<Map<string, string>>(5 * MINUTE, 1000);
  readonly #teamNames = new TtlCache<string | undefined>(60 * MINUTE, 1000);
  readonly #groups = new TtlCache<UserGroup[]>(MINUTE, 1000);

  constructor(
    private readonly clients: SlackClients,
    private readonly config: ConfigStore,
  ) {}

  user(team: string, userId: string): Promise<SlackUser> {
    return this.#users.get(`${team}:${userId}`, async () => {
      const { bot } = await this.clients.forTeam(team);
      const { user } = await bot.users.info({ user: userId });
      if (!user?.id) throw new Error(`users.info returned no user for ${userId}`);
      return userFromInfo(user);
    });
  }

  channelName(team: string, channelId: string): Promise<string | undefined> {
    return this.#channelNames.get(`${team}:${channelId}`, async () => {
      const { bot } = await this.clients.forTeam(team);
      const { channel } = await bot.conversations.info({ channel: channelId });
      // Direct messages have no name: their id stands for it.
      return channel?.name ?? undefined;
    });
  }

  /** Remembers a name seen in a payload (slash commands carry the channel's name). */
  noteChannelName(team: string, channelId: string, name: string): void {
    void this.#channelNames.get(`${team}:${channelId}`, async () => name);
  }

  async channelId(team: string, name: string): Promise<string | undefined> {
    const byName = await this.#channelIds.get(team, async () => {
      const { bot } = await this.clients.forTeam(team);
      const map = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const page = await bot.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, ...(cursor && { cursor }) });
        for (const channel of page.channels ?? []) if (channel.id && channel.name) map.set(channel.name, channel.id);
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return map;
    });
    return byName.get(name.replace(/^#/, ''));
  }

  teamName(team: string): Promise<string | undefined> {
    return this.#teamNames.get(team, async () => {
      const { bot } = await this.clients.forTeam(team);
      const info = await bot.team.info({ team });
      return info.team?.name ?? undefined;
    });
  }

  userGroups(team: string): Promise<UserGroup[]> {
    return this.#groups.get(team, async () => {
      const { bot } = await this.clients.forTeam(team);
      const { usergroups } = await bot.usergroups.list({ include_users: true });
      return (usergroups ?? []).filter((g) => g.id && g.handle && !g.date_delete).map((g) => ({ id: g.id!, handle: g.handle!, users: g.users ?? [] }));
    });
  }

  /** After changing a group's members, read them afresh. */
  forgetGroups(team: string): void {
    this.#groups.delete(team);
  }

  /** The handles a role maps to: `slack.roleGroups.<role>`, else the role's own name. */
  handlesOf(team: string, role: string): string[] {
    return this.config.for('slack', team).slack.roleGroups[role] ?? [role];
  }

  /** The user group that holds a role, when the workspace has one. */
  async groupForRole(team: string, role: string): Promise<UserGroup | undefined> {
    const handles = this.handlesOf(team, role);
    const groups = await this.userGroups(team);
    for (const handle of handles) {
      const group = groups.find((g) => g.handle === handle);
      if (group) return group;
    }
    return undefined;
  }

  /**
   * A member's role names: `admin` for workspace admins and owners, and for each user group
   * they belong to, the roles mapped to its handle (and a role named like the handle itself).
   */
  async rolesOf(team: string, user: SlackUser): Promise<string[]> {
    const roles = new Set<string>(user.admin ? ['admin'] : []);
    const mapping = this.config.for('slack', team).slack.roleGroups;
    for (const group of await this.userGroups(team)) {
      if (!group.users.includes(user.id)) continue;
      roles.add(group.handle);
      for (const [role, handles] of Object.entries(mapping)) if (handles.includes(group.handle)) roles.add(role);
    }
    return [...roles].sort();
  }
}

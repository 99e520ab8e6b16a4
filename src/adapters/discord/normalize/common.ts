import type { APIInteractionGuildMember, Channel, Guild, GuildMember, User } from 'discord.js';
import type { z } from 'zod';
import type { CommunityEventSchema, MemberRef } from '../../../contracts/index.js';

/** What a normalizer produces: the input side of the contract, validated before the sink sees it. */
export type EventInput = z.input<typeof CommunityEventSchema>;

/** A member as events carry it, plus `accountCreatedAt` (automod's new-account check). */
export type DiscordMemberRef = MemberRef & { accountCreatedAt: string };

/**
 * Role names as the configuration writes them: lower-case (`moderator`, not `Moderator`),
 * without @everyone. Discord role names are matched against config in lower case everywhere.
 */
export function roleNames(guild: Guild | null, member: GuildMember | APIInteractionGuildMember): string[] {
  const ids = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  return ids
    .filter((id) => id !== guild?.id)
    .map((id) => guild?.roles.cache.get(id)?.name)
    .filter((name): name is string => name !== undefined)
    .map((name) => name.toLowerCase());
}

export function memberRef(user: User, member: GuildMember | APIInteractionGuildMember | null, guild: Guild | null): DiscordMemberRef {
  const nickname = member ? ('nickname' in member ? member.nickname : member.nick) : null;
  const joinedAt = member ? ('joinedAt' in member ? member.joinedAt?.toISOString() : member.joined_at) : undefined;
  return {
    id: user.id,
    name: nickname || user.globalName || user.username,
    bot: user.bot,
    ...(member && { roles: roleNames(guild, member) }),
    ...(joinedAt && { joinedAt }),
    accountCreatedAt: user.createdAt.toISOString(),
  };
}

/** Where an event happened, as the engine sees it. */
export interface Place {
  /** The channel the engine posts to: for a thread, its parent channel. */
  channel: string;
  /** That channel's name, which configuration refers to (per-channel automod, question channels). */
  channelName: string;
  /** In a thread: the thread id, which is also the id of the message that started it. */
  thread?: string;
  threadName?: string;
}

/**
 * The engine's view of a channel. A thread is not a channel of its own for the engine: its
 * messages are in the parent channel (`channel`, `channelName`) with `thread` = the thread id,
 * which equals its starter message's id (Discord gives a thread started from a message that
 * message's id; a forum post's first message has the thread's id too).
 */
export function placeOf(channel: Channel | null, channelId: string): Place {
  if (!channel) return { channel: channelId, channelName: channelId };
  if (channel.isThread()) {
    return {
      channel: channel.parentId ?? channel.id,
      channelName: channel.parent?.name ?? channel.name,
      thread: channel.id,
      threadName: channel.name,
    };
  }
  return { channel: channel.id, channelName: 'name' in channel && channel.name ? channel.name : channel.id };
}

export function communityOf(guild: Guild): { platform: 'discord'; community: string; communityName: string } {
  return { platform: 'discord', community: guild.id, communityName: guild.name };
}

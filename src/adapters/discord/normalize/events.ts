import {
  ApplicationCommandOptionType,
  MessageType,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Guild,
  type GuildMember,
  type Message,
  type MessageComponentInteraction,
  type MessageReaction,
  type PartialGuildMember,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import { engineInvocation } from '../../../commands/index.js';
import { communityOf, memberRef, placeOf, type EventInput } from './common.js';

/**
 * Discord structures → CommunityEvent input (DESIGN §3.1). Each function reads what it needs
 * synchronously, while discord.js's momentary cache still holds the event's member. Ids make a
 * redelivered gateway event the same event, so the engine's dedupe skips it.
 */

export function memberJoined(member: GuildMember): EventInput {
  const joinedAt = member.joinedAt ?? new Date();
  return {
    type: 'member.joined',
    id: `join:${member.guild.id}:${member.id}:${joinedAt.getTime()}`,
    ...communityOf(member.guild),
    at: joinedAt.toISOString(),
    member: memberRef(member.user, member, member.guild),
  };
}

/**
 * A leave carries no time on Discord; `delivery` (the gateway session and sequence number)
 * identifies it, which stays the same when a resumed session replays it.
 */
export function memberLeft(member: GuildMember | PartialGuildMember, delivery: string, now: Date): EventInput {
  const user = member.user;
  return {
    type: 'member.left',
    id: `leave:${member.guild.id}:${member.id}:${delivery}`,
    ...communityOf(member.guild),
    at: now.toISOString(),
    member: { id: member.id, name: member.nickname || user.globalName || user.username || member.id, bot: user.bot ?? false },
  };
}

export function messageCreated(message: Message<true>): EventInput {
  const place = placeOf(message.channel, message.channelId);
  const replyTo = message.type === MessageType.Reply ? message.reference?.messageId : undefined;
  return {
    type: 'message.created',
    id: message.id,
    ...communityOf(message.guild),
    at: message.createdAt.toISOString(),
    ...place,
    author: memberRef(message.author, message.member, message.guild),
    text: message.content,
    ...(replyTo && { replyTo }),
    mentions: [...message.mentions.users.keys()],
    attachments: message.attachments.size,
  };
}

/** Undefined for updates that are not edits by a person (embeds unfurled, pins). */
export function messageEdited(message: Message | PartialMessage): EventInput | undefined {
  if (!message.inGuild() || message.editedTimestamp === null || message.partial) return undefined;
  const place = placeOf(message.channel, message.channelId);
  return {
    type: 'message.edited',
    id: `${message.id}:edit:${message.editedTimestamp}`,
    ...communityOf(message.guild),
    at: new Date(message.editedTimestamp).toISOString(),
    ...place,
    author: memberRef(message.author, message.member, message.guild),
    messageId: message.id,
    text: message.content,
  };
}

export function messageDeleted(message: Message | PartialMessage, guild: Guild, now: Date): EventInput {
  return {
    type: 'message.deleted',
    id: `${message.id}:delete`,
    ...communityOf(guild),
    at: now.toISOString(),
    ...placeOf(message.channel, message.channelId),
    messageId: message.id,
  };
}

export function reactionAdded(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, guild: Guild, now: Date): EventInput {
  // A unicode emoji as itself, a custom one by its name (none for a deleted custom emoji: the event is then invalid).
  const emoji = reaction.emoji.name ?? '';
  const message = reaction.message;
  const member = guild.members.resolve(user.id);
  return {
    type: 'reaction.added',
    id: `${message.id}:${user.id}:${emoji}:add`,
    ...communityOf(guild),
    at: now.toISOString(),
    ...placeOf(message.channel, message.channelId),
    member: user.partial ? { id: user.id, name: member?.displayName ?? user.id } : memberRef(user, member, guild),
    messageId: message.id,
    emoji,
  };
}

type OptionValue = string | number | boolean;

function optionValue(option: CommandInteractionOption, guild: Guild | null): OptionValue | undefined {
  switch (option.type) {
    case ApplicationCommandOptionType.Role:
      // Roles by name, as the engine and configuration speak of them.
      return option.role?.name.toLowerCase() ?? (option.value === undefined ? undefined : guild?.roles.cache.get(String(option.value))?.name.toLowerCase() ?? String(option.value));
    case ApplicationCommandOptionType.Attachment:
      return option.attachment?.url;
    case ApplicationCommandOptionType.User:
    case ApplicationCommandOptionType.Channel:
    case ApplicationCommandOptionType.Mentionable:
      // The id: members and channels are ids in events.
      return option.value === undefined ? undefined : String(option.value);
    default:
      return option.value ?? undefined;
  }
}

/** Subcommands become words of the command (`poll close`); options are flattened by name. */
export function flattenOptions(options: readonly CommandInteractionOption[], guild: Guild | null): { words: string[]; values: Record<string, OptionValue> } {
  const words: string[] = [];
  const values: Record<string, OptionValue> = {};
  let level = options;
  for (;;) {
    const sub = level.find((o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup);
    for (const option of level) {
      if (option === sub) continue;
      const value = optionValue(option, guild);
      if (value !== undefined) values[option.name] = value;
    }
    if (!sub) break;
    words.push(sub.name);
    level = sub.options ?? [];
  }
  return { words, values };
}

export function commandInvoked(interaction: ChatInputCommandInteraction<'cached' | 'raw'>): EventInput {
  const guild = interaction.guild;
  const { words, values } = flattenOptions(interaction.options.data, guild);
  // Discord cannot mix a command's own options with subcommands: `/poll create` is the engine's `poll`.
  const invocation = engineInvocation([interaction.commandName, ...words].join(' '), values);
  return {
    type: 'command.invoked',
    id: interaction.id,
    platform: 'discord',
    community: interaction.guildId,
    ...(guild && { communityName: guild.name }),
    at: interaction.createdAt.toISOString(),
    ...placeOf(interaction.channel, interaction.channelId),
    member: memberRef(interaction.user, interaction.member, guild),
    command: invocation.command,
    options: invocation.options,
  };
}

/** A button (its custom id) or a select menu (its values); `community` from the guild, or for a DM from the message the bot sent. */
export function componentUsed(interaction: MessageComponentInteraction, community: { community: string; communityName?: string }): EventInput {
  const guild = interaction.guild;
  return {
    type: 'component.used',
    id: interaction.id,
    platform: 'discord',
    ...community,
    at: interaction.createdAt.toISOString(),
    ...placeOf(interaction.channel, interaction.channelId),
    member: memberRef(interaction.user, interaction.member, guild),
    componentId: interaction.customId,
    ...(interaction.isAnySelectMenu() && { values: [...interaction.values] }),
  };
}

import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  SnowflakeUtil,
  ThreadAutoArchiveDuration,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIGuildMember,
  type APIInteractionDataResolved,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIMessageComponentSelectMenuInteraction,
  type APIRole,
  type GuildMemberFlags,
  type RoleFlags,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayGuildMemberAddDispatchData,
  type GatewayMessageCreateDispatchData,
  type GatewayMessageReactionAddDispatchData,
  type GatewayMessageUpdateDispatchData,
} from 'discord.js';

/**
 * Payloads shaped as Discord documents them (discord-api-types, re-exported by discord.js),
 * for the fake gateway and REST API. Ids are real snowflakes, so their time means something.
 */

export const snowflake = (at: Date = new Date()): string => SnowflakeUtil.generate({ timestamp: at.getTime() }).toString();

export function user(name: string, options: { id?: string; bot?: boolean; createdAt?: Date; globalName?: string | null } = {}): APIUser {
  return {
    id: options.id ?? snowflake(options.createdAt ?? new Date('2020-01-01T00:00:00Z')),
    username: name.toLowerCase(),
    discriminator: '0',
    global_name: options.globalName === undefined ? name : options.globalName,
    avatar: null,
    ...(options.bot && { bot: true }),
  };
}

export function role(name: string, options: { id?: string; position?: number } = {}): APIRole {
  return {
    id: options.id ?? snowflake(),
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: options.position ?? 1,
    permissions: '0',
    managed: false,
    mentionable: true,
    flags: 0 as RoleFlags,
  };
}

export function textChannel(guildId: string, name: string, options: { id?: string; position?: number } = {}): APITextChannel {
  return {
    id: options.id ?? snowflake(),
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position: options.position ?? 0,
    permission_overwrites: [],
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
  };
}

/** A public thread started from a message: its id is the starter message's id. */
export function thread(guildId: string, parent: APITextChannel, starterMessageId: string, name: string): APIThreadChannel<ChannelType.PublicThread> {
  return {
    id: starterMessageId,
    type: ChannelType.PublicThread,
    guild_id: guildId,
    name,
    parent_id: parent.id,
    owner_id: snowflake(),
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    permission_overwrites: [],
    nsfw: false,
    thread_metadata: { archived: false, auto_archive_duration: ThreadAutoArchiveDuration.OneDay, archive_timestamp: new Date().toISOString(), locked: false },
  };
}

export function member(who: APIUser, roleIds: string[] = [], joinedAt: Date = new Date('2026-01-01T00:00:00Z'), nick: string | null = null): APIGuildMember {
  return {
    user: who,
    nick,
    avatar: null,
    banner: null,
    roles: roleIds,
    joined_at: joinedAt.toISOString(),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export interface GuildSpec {
  id?: string;
  name: string;
  channels: string[];
  roles: string[];
  members?: APIGuildMember[];
}

/** A guild as GUILD_CREATE brings it: channels, roles (with @everyone, whose id is the guild's) and members. */
export function guild(spec: GuildSpec, ownerId: string): GatewayGuildCreateDispatchData {
  const id = spec.id ?? snowflake();
  const everyone = role('@everyone', { id, position: 0 });
  return {
    id,
    name: spec.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [everyone, ...spec.roles.map((name, i) => role(name, { position: i + 1 }))],
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_progress_bar_enabled: false,
    preferred_locale: Locale.EnglishUS,
    nsfw_level: GuildNSFWLevel.Default,
    hub_type: null,
    incidents_data: null,
    region: 'deprecated',
    joined_at: new Date('2025-01-01T00:00:00Z').toISOString(),
    large: false,
    unavailable: false,
    member_count: spec.members?.length ?? 0,
    voice_states: [],
    members: spec.members ?? [],
    channels: spec.channels.map((name, i) => textChannel(id, name, { position: i })),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export interface MessageSpec {
  guildId: string;
  channelId: string;
  author: APIGuildMember & { user: APIUser };
  content: string;
  id?: string;
  at?: Date;
  replyTo?: string;
  mentions?: APIUser[];
  attachments?: number;
}

export function message(spec: MessageSpec): GatewayMessageCreateDispatchData {
  const at = spec.at ?? new Date();
  const { user: author, ...memberWithoutUser } = spec.author;
  return {
    id: spec.id ?? snowflake(at),
    channel_id: spec.channelId,
    guild_id: spec.guildId,
    author,
    member: memberWithoutUser,
    content: spec.content,
    timestamp: at.toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: spec.mentions ?? [],
    mention_roles: [],
    attachments: Array.from({ length: spec.attachments ?? 0 }, (_, i) => ({
      id: snowflake(at),
      filename: `file-${i}.png`,
      size: 10,
      url: `https://cdn.example/file-${i}.png`,
      proxy_url: `https://cdn.example/file-${i}.png`,
    })),
    embeds: [],
    pinned: false,
    type: spec.replyTo ? MessageType.Reply : MessageType.Default,
    ...(spec.replyTo && { message_reference: { message_id: spec.replyTo, channel_id: spec.channelId, guild_id: spec.guildId } }),
  };
}

export function messageUpdate(original: GatewayMessageCreateDispatchData, content: string, editedAt: Date): GatewayMessageUpdateDispatchData {
  return { ...original, content, edited_timestamp: editedAt.toISOString() };
}

export function reactionAdd(spec: { guildId: string; channelId: string; messageId: string; member: APIGuildMember & { user: APIUser }; emoji: { name: string; id?: string } }): GatewayMessageReactionAddDispatchData {
  return {
    user_id: spec.member.user.id,
    channel_id: spec.channelId,
    message_id: spec.messageId,
    guild_id: spec.guildId,
    member: spec.member,
    emoji: { name: spec.emoji.name, id: spec.emoji.id ?? null },
    burst: false,
    type: 0,
  };
}

export function memberAdd(guildId: string, joined: APIGuildMember & { user: APIUser }): GatewayGuildMemberAddDispatchData {
  return { ...joined, guild_id: guildId };
}

interface InteractionBase {
  guildId: string;
  channel: APITextChannel;
  member: APIGuildMember & { user: APIUser };
  applicationId: string;
}

function interactionCommon(spec: InteractionBase) {
  return {
    id: snowflake(),
    application_id: spec.applicationId,
    token: `token-${Math.random().toString(36).slice(2)}`,
    version: 1 as const,
    guild_id: spec.guildId,
    guild: { id: spec.guildId, features: [], locale: Locale.EnglishUS },
    channel: { id: spec.channel.id, type: ChannelType.GuildText as const, name: spec.channel.name },
    channel_id: spec.channel.id,
    member: { ...spec.member, permissions: '0' },
    app_permissions: '0',
    locale: Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: spec.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 8_388_608,
  };
}

export function chatInput(
  spec: InteractionBase & { name: string; options?: APIApplicationCommandInteractionDataOption[]; resolved?: APIInteractionDataResolved },
): APIChatInputApplicationCommandGuildInteraction {
  return {
    ...interactionCommon(spec),
    type: InteractionType.ApplicationCommand,
    data: {
      id: snowflake(),
      name: spec.name,
      type: ApplicationCommandType.ChatInput,
      ...(spec.options && { options: spec.options }),
      ...(spec.resolved && { resolved: spec.resolved }),
    },
  };
}

export const userOption = (name: string, id: string): APIApplicationCommandInteractionDataBasicOption => ({ name, type: ApplicationCommandOptionType.User, value: id });
export const stringOption = (name: string, value: string): APIApplicationCommandInteractionDataBasicOption => ({ name, type: ApplicationCommandOptionType.String, value });
export const subcommand = (name: string, options: APIApplicationCommandInteractionDataBasicOption[]): APIApplicationCommandInteractionDataOption =>
  ({ name, type: ApplicationCommandOptionType.Subcommand, options });

/** The message a component is on, as interactions carry it. */
export function botMessage(channelId: string, bot: APIUser, content = ''): APIMessage {
  return {
    id: snowflake(),
    channel_id: channelId,
    author: bot,
    content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
  };
}

export function buttonPress(spec: InteractionBase & { customId: string; message: APIMessage }): APIMessageComponentButtonInteraction {
  return {
    ...interactionCommon(spec),
    type: InteractionType.MessageComponent,
    message: spec.message,
    data: { custom_id: spec.customId, component_type: ComponentType.Button },
  };
}

export function selectMenu(spec: InteractionBase & { customId: string; message: APIMessage; values: string[] }): APIMessageComponentSelectMenuInteraction {
  return {
    ...interactionCommon(spec),
    type: InteractionType.MessageComponent,
    message: spec.message,
    data: { custom_id: spec.customId, component_type: ComponentType.StringSelect, values: spec.values },
  };
}

/** A click on a button of a message the bot sent in a DM: no guild, the user instead of a member. */
export function dmButtonPress(spec: { applicationId: string; dmChannelId: string; user: APIUser; customId: string; message: APIMessage }): APIMessageComponentButtonInteraction {
  return {
    id: snowflake(),
    application_id: spec.applicationId,
    token: `token-${Math.random().toString(36).slice(2)}`,
    version: 1,
    type: InteractionType.MessageComponent,
    channel: { id: spec.dmChannelId, type: ChannelType.DM, name: null, recipients: [spec.user], last_message_id: null },
    channel_id: spec.dmChannelId,
    user: spec.user,
    app_permissions: '0',
    locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
    context: InteractionContextType.BotDM,
    attachment_size_limit: 8_388_608,
    message: spec.message,
    data: { custom_id: spec.customId, component_type: ComponentType.Button },
  };
}

import { Client, GatewayIntentBits, Options, Partials, type ClientOptions } from 'discord.js';
import { discordRestOptions, type DiscordRestSettings } from '../api/rest.js';

/**
 * What the adapter listens to, and no more: guilds (channels, roles), members joining and
 * leaving, guild messages with their text, and reactions. No DMs: the bot only sends them, and
 * clicks on buttons in DMs arrive as interactions, which need no intent.
 */
export const DISCORD_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.GuildMessageReactions,
] as const;

/**
 * Events about things not in the (deliberately small) cache still arrive: a reaction to, an
 * edit or the deletion of any message (none is cached), a member leaving who was never cached.
 */
export const DISCORD_PARTIALS = [Partials.Message, Partials.Reaction, Partials.User, Partials.GuildMember] as const;

export type DiscordClientSettings = DiscordRestSettings;

/**
 * A discord.js client with a lean cache, so memory stays flat in a guild of 100,000 members:
 * guilds, channels and roles are kept (the adapter names them), members and users only
 * momentarily (the adapter reads an event's member while handling it, synchronously) apart from
 * the bot itself, and nothing of messages, emojis, stickers, presences, voice states, invites,
 * scheduled events, reactions or thread members. No message is cached because nothing needs an
 * earlier one: a new message carries its reply reference, an update its author and content, and
 * deletions and reactions arrive as partials (DISCORD_PARTIALS); duplicates Discord resends reach
 * the engine, which skips them.
 */
export function createDiscordClient(settings: DiscordClientSettings): Client {
  const isSelf = (entity: { id: string; client: Client }) => entity.id === entity.client.user?.id;
  const options: ClientOptions = {
    intents: [...DISCORD_INTENTS],
    partials: [...DISCORD_PARTIALS],
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      GuildMemberManager: { maxSize: 1, keepOverLimit: isSelf },
      UserManager: { maxSize: 1, keepOverLimit: isSelf },
      PresenceManager: 0,
      VoiceStateManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      ThreadMemberManager: 0,
      GuildEmojiManager: 0,
      BaseGuildEmojiManager: 0,
      ApplicationEmojiManager: 0,
      GuildStickerManager: 0,
      GuildInviteManager: 0,
      GuildScheduledEventManager: 0,
      GuildBanManager: 0,
      StageInstanceManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
      EntitlementManager: 0,
    }),
    // Mentions are decided per message (allowed_mentions); this is the safe default for anything else.
    allowedMentions: { parse: [] },
    rest: discordRestOptions(settings),
  };
  return new Client(options);
}

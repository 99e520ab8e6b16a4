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
 * Events about things not in the (deliberately small) cache still arrive: a reaction or an
 * edit on an old message, the deletion of one, a member leaving who was never cached.
 */
export const DISCORD_PARTIALS = [Partials.Message, Partials.Reaction, Partials.User, Partials.GuildMember] as const;

export type DiscordClientSettings = DiscordRestSettings;

/**
 * A discord.js client with a lean cache, so memory stays flat in a guild of 100,000 members:
 * guilds, channels and roles are kept (the adapter names them), members and users only
 * momentarily (the adapter reads an event's member while handling it, synchronously) apart from
 * the bot itself, a few recent messages per channel, and nothing of emojis, stickers, presences,
 * voice states, invites, scheduled events, reactions or thread members.
 */
export function createDiscordClient(settings: DiscordClientSettings): Client {
  const isSelf = (entity: { id: string; client: Client }) => entity.id === entity.client.user?.id;
  const options: ClientOptions = {
    intents: [...DISCORD_INTENTS],
    partials: [...DISCORD_PARTIALS],
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 20,
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
    sweepers: {
      ...Options.DefaultSweeperSettings,
      messages: { interval: 300, lifetime: 900 },
    },
    // Mentions are decided per message (allowed_mentions); this is the safe default for anything else.
    allowedMentions: { parse: [] },
    rest: discordRestOptions(settings),
  };
  return new Client(options);
}

import type { webApi } from '@slack/bolt';
import { COMMAND_DEFINITIONS, type CommandDefinition } from './definitions.js';
import { slackSlashName } from './index.js';
import { usageHint } from './usage.js';

/** Slack's manifest, as `apps.manifest.create` takes it (@slack/web-api's own type). */
export type SlackManifest = webApi.AppsManifestCreateArguments['manifest'];
type Scopes = NonNullable<NonNullable<SlackManifest['oauth_config']>['scopes']>;
type BotEvent = NonNullable<NonNullable<NonNullable<SlackManifest['settings']>['event_subscriptions']>['bot_events']>[number];

/**
 * Slack's built-in slash commands, which an app cannot register
 * (https://slack.com/help/articles/201259356-Use-built-in-slash-commands). A definition whose
 * name is here carries a `slackName`; the manifest test checks none slips through.
 */
export const SLACK_RESERVED_COMMANDS: readonly string[] = [
  'active', 'apps', 'archive', 'away', 'call', 'close', 'collapse', 'dm', 'dnd', 'expand', 'feed', 'feedback',
  'giphy', 'invite', 'invite_people', 'join', 'keys', 'kick', 'leave', 'me', 'msg', 'mute', 'open', 'part',
  'prefs', 'pro', 'remind', 'remove', 'rename', 'search', 'shortcuts', 'shrug', 'star', 'status', 'topic', 'who',
];

/** Bot scopes, each for what the Slack adapter does with it. */
export const SLACK_BOT_SCOPES: Readonly<NonNullable<Scopes['bot']>> = [
  'app_mentions:read', // app_mention events, which the adapter's OAuth install also asks for (src/adapters/slack/options.ts)
  'channels:history', // message.channels: messages in public channels (automod, questions, engagement)
  'channels:manage', // conversations.kick from public channels (/kick, the ladder's kicks and bans)
  'channels:read', // conversations.list/info: channel names to ids, member_joined_channel
  'chat:write', // chat.postMessage, chat.update, chat.postEphemeral, chat.delete of the bot's own messages
  'commands', // the slash commands below
  'files:write', // files.uploadV2: poll and digest charts
  'groups:history', // message.groups: messages in private channels the bot is in
  'groups:read', // conversations.info of private channels
  'groups:write', // conversations.kick from private channels
  'im:history', // message.im: members answering the bot in DMs
  'im:write', // conversations.open: DMs (welcome, case notices, digests, /mydata)
  'mpim:history', // message.mpim: group DMs the bot is in
  'reactions:read', // reaction_added: ✅ resolves a question, reactions count towards engagement
  'team:read', // team.info: the workspace's name for the community
  'usergroups:read', // usergroups.list and usergroups.users.list: roles from user groups (config slack.roleGroups)
  'usergroups:write', // usergroups.users.update: the ladder's and tiers' role changes
  'users:read', // users.info: names, admins and owners (the admin role), bots
];

/** User scopes: Slack lets only a user token delete other members' messages (automod, /purge), so an admin installing the app grants this. */
export const SLACK_USER_SCOPES: Readonly<NonNullable<Scopes['user']>> = ['chat:write'];

/** The events the adapter turns into CommunityEvents. */
export const SLACK_BOT_EVENTS: readonly BotEvent[] = [
  'app_mention',
  'member_joined_channel',
  'message.channels',
  'message.groups',
  'message.im',
  'message.mpim',
  'reaction_added',
  'team_join',
];

export interface SlackManifestOptions {
  /** The public https base URL of the bot (request URLs are <url>/slack/events, OAuth's redirect <url>/slack/oauth_redirect). */
  url?: string;
  /** Events and commands over Socket Mode (SLACK_APP_TOKEN) instead of request URLs. */
  socketMode?: boolean;
  definitions?: readonly CommandDefinition[];
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The Slack app manifest: identity, bot user, one slash command per top-level command, scopes, events, interactivity. */
export function slackManifest(options: SlackManifestOptions): SlackManifest {
  const base = options.url ? withoutTrailingSlash(options.url) : undefined;
  if (!options.socketMode && !base) throw new Error('a Slack manifest needs the bot\'s public URL, or Socket Mode');
  const requestUrl = options.socketMode ? undefined : `${base}/slack/events`;
  const definitions = options.definitions ?? COMMAND_DEFINITIONS;
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'guyub',
      description: 'A community bot: welcomes, moderation, engagement, polls, feedback, questions and a daily digest.',
      long_description:
        'guyub (Indonesian: a close-knit community whose members help each other) welcomes members and introduces them to each other, ' +
        'moderates with one ledger of cases, scores real involvement, runs polls and collects feedback, makes sure questions get ' +
        'answered, and sends managers a daily digest. Open source, the same engine for Slack and Discord.',
      background_color: '#2e5e4e',
    },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: 'guyub', always_online: true },
      slash_commands: definitions.map((definition) => {
        // Slack's limit for a usage hint.
        const hint = usageHint(definition)?.slice(0, 1000);
        return {
          command: `/${slackSlashName(definition)}`,
          description: definition.description.en,
          ...(hint && { usage_hint: hint }),
          ...(requestUrl && { url: requestUrl }),
          // Mentions arrive as <@U…> and channels as <#C…>, the ids the engine needs.
          should_escape: true,
        };
      }),
    },
    oauth_config: {
      ...(base && { redirect_urls: [`${base}/slack/oauth_redirect`] }),
      scopes: { bot: [...SLACK_BOT_SCOPES], user: [...SLACK_USER_SCOPES] },
    },
    settings: {
      event_subscriptions: { ...(requestUrl && { request_url: requestUrl }), bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: true, ...(requestUrl && { request_url: requestUrl }) },
      org_deploy_enabled: false,
      socket_mode_enabled: options.socketMode ?? false,
      token_rotation_enabled: false,
    },
  };
}

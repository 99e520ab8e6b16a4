import type { BlockAction, SlashCommand, types as SlackTypes } from '@slack/bolt';
import type { MemberRef } from '../../../contracts/index.js';
import { slackMessageId } from '../message-id.js';

type MessageEvent = SlackTypes.MessageEvent;
type ReactionAddedEvent = SlackTypes.ReactionAddedEvent;
type TeamJoinEvent = SlackTypes.TeamJoinEvent;
type MemberJoinedChannelEvent = SlackTypes.MemberJoinedChannelEvent;

/**
 * A Slack payload turned into most of a CommunityEvent. What needs the Web API (the acting
 * member's name and roles, the channel's and the workspace's names) is filled in afterwards
 * by `enrich`, so these functions stay pure and are tested on payloads alone.
 */
export interface EventDraft {
  /** The CommunityEvent without the acting member. */
  body: Record<string, unknown> & { type: string; id: string; community: string; at: string };
  /** Who acts, and under which field (`member` or `author`); `known` is what the payload already tells. */
  actor?: { field: 'member' | 'author'; userId: string; known?: MemberRef };
  /** The channel, to look up its name. */
  channel?: string;
}

export type Normalized =
  | { kind: 'event'; draft: EventDraft }
  /** Nothing for the engine here (a bot's message, a channel_join notice, an unfurl): dropped quietly. */
  | { kind: 'ignored'; reason: string }
  /** A payload that should have normalized but did not: logged with its type, dropped. */
  | { kind: 'invalid'; reason: string };

/** The envelope fields every Events API delivery has (Bolt's `body`). */
export interface Envelope {
  team_id?: string;
  context_team_id?: string;
  enterprise_id?: string;
  event_id?: string;
  event_time?: number;
}

/** Slack's `1700000000.123456` timestamps (seconds) as ISO 8601. */
export function tsToIso(ts: string | number | undefined): string | undefined {
  const seconds = typeof ts === 'number' ? ts : typeof ts === 'string' ? Number(ts) : NaN;
  if (ts === undefined || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  const date = new Date(Math.round(seconds * 1000));
  // Beyond Date's range (say `1e20`) toISOString throws; such a timestamp is no timestamp.
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The workspace an event belongs to (in an organization-wide install: the workspace it happened in). */
export function teamOf(envelope: Envelope): string | undefined {
  return envelope.context_team_id ?? envelope.team_id;
}

/** Member ids mentioned in message text: `<@U123>` or `<@U123|name>`. */
export function mentionsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!))];
}

/** Message subtypes that are a member's message; every other subtype is a notice or a bot's. */
const MEMBER_MESSAGE_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message']);

const invalid = (reason: string): Normalized => ({ kind: 'invalid', reason });
/**
 * Ids and timestamps are checked to be strings, not just present: they end up in template
 * strings, and an object from JSON such as `{"toString":[]}` makes those throw.
 */
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
/** A payload's value in a reason, whatever it is. */
const shown = (value: unknown): string => (typeof value === 'string' ? value : typeof value);
const ignored = (reason: string): Normalized => ({ kind: 'ignored', reason });

function common(envelope: Envelope, id: string | undefined, at: string | undefined): { ok: true; value: EventDraft['body'] } | { ok: false; reason: string } {
  const community = teamOf(envelope);
  if (!community) return { ok: false, reason: 'no team id' };
  if (!id) return { ok: false, reason: 'no event id' };
  if (!at) return { ok: false, reason: 'no valid timestamp' };
  return { ok: true, value: { type: '', id, community, at } };
}

/**
 * `message` events. A new message is `message.created` whose id is `<channel>:<ts>` (see
 * `slackMessageId`: replies, reactions and deletions refer to it; a retried delivery carries
 * the same one); `thread` and `replyTo` are the id of the `thread_ts` message when it is a
 * reply in a thread. `message_changed` → `message.edited`, `message_deleted` →
 * `message.deleted` (event ids: the delivery's event_id). Bots' messages and notices
 * (channel_join, …) are ignored.
 */
export function normalizeMessage(envelope: Envelope, event: MessageEvent): Normalized {
  const subtype = event.subtype;
  if (subtype === 'message_changed') {
    const edited = event.message as MessageEvent & { user?: string; text?: string; bot_id?: string; ts?: string };
    const previous = event.previous_message as { text?: string } | undefined;
    if (!edited || typeof edited !== 'object') return invalid('message_changed without the message');
    if (edited.bot_id || edited.subtype === 'bot_message') return ignored('an edit of a bot message');
    // Slack also sends message_changed when it unfurls a link: the text is the same.
    if (previous && previous.text === edited.text) return ignored('message_changed without a text change');
    if (!isText(edited.user) || !isText(edited.ts) || !isText(event.channel)) return invalid('message_changed without the channel or the message user or ts');
    const base = common(envelope, envelope.event_id, tsToIso(event.event_ts ?? event.ts));
    if (!base.ok) return invalid(base.reason);
    return {
      kind: 'event',
      draft: {
        body: { ...base.value, type: 'message.edited', channel: event.channel, messageId: slackMessageId(event.channel, edited.ts), text: edited.text ?? '' },
        actor: { field: 'author', userId: edited.user },
        channel: event.channel,
      },
    };
  }
  if (subtype === 'message_deleted') {
    const base = common(envelope, envelope.event_id, tsToIso(event.event_ts ?? event.ts));
    if (!base.ok) return invalid(base.reason);
    if (!isText(event.deleted_ts) || !isText(event.channel)) return invalid('message_deleted without channel or deleted_ts');
    return { kind: 'event', draft: { body: { ...base.value, type: 'message.deleted', channel: event.channel, messageId: slackMessageId(event.channel, event.deleted_ts) }, channel: event.channel } };
  }
  if (!MEMBER_MESSAGE_SUBTYPES.has(subtype)) return ignored(`message subtype ${shown(subtype)}`);
  const message = event as MessageEvent & { user?: string; text?: string; bot_id?: string; thread_ts?: string; files?: unknown[] };
  if (message.bot_id) return ignored('a bot message');
  if (!isText(message.user)) return invalid('a message without a user');
  if (!isText(message.channel) || !isText(message.ts)) return invalid('a message without channel or ts');
  if ((message.text !== undefined && typeof message.text !== 'string') || (message.thread_ts !== undefined && !isText(message.thread_ts))) {
    return invalid('a message whose text or thread_ts is not a string');
  }
  const base = common(envelope, slackMessageId(message.channel, message.ts), tsToIso(message.ts));
  if (!base.ok) return invalid(base.reason);
  const text = message.text ?? '';
  const inThread = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  const mentions = mentionsIn(text);
  return {
    kind: 'event',
    draft: {
      body: {
        ...base.value,
        type: 'message.created',
        channel: message.channel,
        text,
        ...(inThread && { thread: slackMessageId(message.channel, message.thread_ts!), replyTo: slackMessageId(message.channel, message.thread_ts!) }),
        ...(mentions.length && { mentions }),
        ...(Array.isArray(message.files) && message.files.length && { attachments: message.files.length }),
      },
      actor: { field: 'author', userId: message.user },
      channel: message.channel,
    },
  };
}

/** `reaction_added` on a message → `reaction.added` (emoji: Slack's name, e.g. `white_check_mark`; messageId: `<channel>:<ts>`). */
export function normalizeReaction(envelope: Envelope, event: ReactionAddedEvent): Normalized {
  if (event.item?.type !== 'message') return ignored(`a reaction to a ${shown(event.item?.type)}`);
  const base = common(envelope, envelope.event_id, tsToIso(event.event_ts));
  if (!base.ok) return invalid(base.reason);
  if (!isText(event.user) || !isText(event.reaction) || !isText(event.item.ts) || !isText(event.item.channel)) return invalid('reaction_added without user, reaction or item');
  return {
    kind: 'event',
    draft: {
      body: { ...base.value, type: 'reaction.added', channel: event.item.channel, messageId: slackMessageId(event.item.channel, event.item.ts), emoji: event.reaction },
      actor: { field: 'member', userId: event.user },
      channel: event.item.channel,
    },
  };
}

/** `team_join` → `member.joined`. Slack does not tell when an account was created, so that is left out. */
export function normalizeTeamJoin(envelope: Envelope, event: TeamJoinEvent): Normalized {
  const user = event.user;
  if (!user?.id) return invalid('team_join without a user');
  const at = tsToIso((event as TeamJoinEvent & { event_ts?: string }).event_ts) ?? tsToIso(envelope.event_time);
  const base = common(envelope, envelope.event_id, at);
  if (!base.ok) return invalid(base.reason);
  const name = user.profile?.display_name || user.real_name || user.profile?.real_name || user.name || user.id;
  const bot = Boolean((user as { is_bot?: boolean }).is_bot);
  return {
    kind: 'event',
    draft: {
      body: { ...base.value, type: 'member.joined' },
      actor: { field: 'member', userId: user.id, known: { id: user.id, name, bot, roles: [] } },
    },
  };
}

/**
 * `member_joined_channel`: joining a channel is not joining the community (team_join is), so
 * it is ignored, except in the channel configured as `slack.joinChannel` (a community that
 * lives in a shared channel), where it is `member.joined`.
 */
export function normalizeChannelJoin(envelope: Envelope, event: MemberJoinedChannelEvent, joinChannelId: string | undefined): Normalized {
  if (!joinChannelId || event.channel !== joinChannelId) return ignored('a channel join outside slack.joinChannel');
  const base = common(envelope, envelope.event_id, tsToIso(event.event_ts) ?? tsToIso(envelope.event_time));
  if (!base.ok) return invalid(base.reason);
  return { kind: 'event', draft: { body: { ...base.value, type: 'member.joined' }, actor: { field: 'member', userId: event.user } } };
}

/** What `commandFromSlackText` gives: the engine's command name and options, or why the text is no command. */
export type ParsedCommand = { command: string; options: Record<string, string | number | boolean> } | { error: string };

/**
 * A slash command → `command.invoked`. Its id comes from `trigger_id` (unique per invocation);
 * its name and options from `parse(slashName, text)` (subcommands, aliases).
 */
export function normalizeSlashCommand(command: SlashCommand, parse: (slashName: string, text: string) => ParsedCommand, now: Date): Normalized | { kind: 'refused'; reason: string } {
  const community = command.team_id;
  if (!community || !command.user_id || !command.channel_id || !isText(command.trigger_id)) return invalid('a slash command without team, user, channel or trigger_id');
  if (typeof command.command !== 'string' || (command.text !== undefined && typeof command.text !== 'string')) return invalid('a slash command whose command or text is not a string');
  const parsed = parse(command.command.replace(/^\//, ''), command.text ?? '');
  if ('error' in parsed) return { kind: 'refused', reason: parsed.error };
  return {
    kind: 'event',
    draft: {
      body: { type: 'command.invoked', id: `cmd:${command.trigger_id}`, community, at: now.toISOString(), channel: command.channel_id, command: parsed.command, options: parsed.options },
      actor: { field: 'member', userId: command.user_id },
      channel: command.channel_id,
    },
  };
}

type BlockElementAction = BlockAction['actions'][number];

/** The values a select (or a button's value, when it differs from its id) carries. */
function valuesOf(action: BlockElementAction): string[] | undefined {
  const a = action as BlockElementAction & Record<string, unknown>;
  if (a.type === 'button') return undefined;
  const option = a.selected_option as { value?: string } | null | undefined;
  if (option?.value) return [option.value];
  const options = a.selected_options as ({ value?: string } | null)[] | undefined;
  if (Array.isArray(options)) return options.map((o) => o?.value).filter((v): v is string => Boolean(v));
  for (const key of ['selected_user', 'selected_channel', 'selected_conversation', 'selected_date', 'selected_time', 'value']) {
    if (typeof a[key] === 'string') return [a[key] as string];
  }
  for (const key of ['selected_users', 'selected_channels', 'selected_conversations']) {
    if (Array.isArray(a[key])) return a[key] as string[];
  }
  return undefined;
}

/** `block_actions` → one `component.used` per action: the action_id is the `componentId`, selects give `values`. */
export function normalizeBlockActions(body: BlockAction, now: Date): Normalized[] {
  const community = body.team?.id ?? body.user?.team_id;
  const channel = body.channel?.id ?? (body.container?.channel_id as string | undefined);
  if (!community || !body.user?.id || !channel) return [invalid('block_actions without team, user or channel')];
  if (!Array.isArray(body.actions)) return [invalid('block_actions without a list of actions')];
  return body.actions.map((action, index) => {
    if (!action || typeof action !== 'object') return invalid('a block action that is not an object');
    const values = valuesOf(action);
    const at = tsToIso((action as { action_ts?: string }).action_ts) ?? now.toISOString();
    const trigger = body.trigger_id ?? (action as { action_ts?: string }).action_ts;
    if (!isText(trigger) || !action.action_id) return invalid('a block action without trigger_id, action_ts or action_id');
    return {
      kind: 'event',
      draft: {
        body: { type: 'component.used', id: `act:${trigger}${index ? `:${index}` : ''}`, community, at, channel, componentId: action.action_id, ...(values && { values }) },
        actor: { field: 'member', userId: body.user.id },
        channel,
      },
    } satisfies Normalized;
  });
}

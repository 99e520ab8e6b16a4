import type { BlockAction, ButtonAction, EnvelopedEvent, SlashCommand, StaticSelectAction, types as SlackTypes } from '@slack/bolt';

/**
 * Payloads shaped as Slack documents them (docs.slack.dev: Events API envelope, message,
 * reaction_added, team_join, member_joined_channel, slash command, block_actions), typed
 * with Bolt's and @slack/types' own definitions.
 */
let counter = 0;
const next = (): number => ++counter;

/** A fresh Slack timestamp (seconds.micro) near now. */
export function slackTs(): string {
  return `${Math.floor(Date.now() / 1000)}.${String(next()).padStart(6, '0')}`;
}

export function envelope<E extends { type: string }>(team: string, event: E, eventId = `Ev${String(next()).padStart(9, '0')}`): EnvelopedEvent<E> {
  return {
    token: 'verification-token-unused',
    team_id: team,
    api_app_id: 'A0FAKEAPP',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null as unknown as string, team_id: team, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  };
}

export function messageEvent(fields: { channel: string; user: string; text: string; ts?: string; thread_ts?: string; team?: string; files?: number }): SlackTypes.GenericMessageEvent {
  const ts = fields.ts ?? slackTs();
  return {
    type: 'message',
    subtype: undefined,
    channel: fields.channel,
    user: fields.user,
    text: fields.text,
    ts,
    event_ts: ts,
    channel_type: 'channel',
    ...(fields.team && { team: fields.team }),
    ...(fields.thread_ts && { thread_ts: fields.thread_ts }),
    ...(fields.files && { files: Array.from({ length: fields.files }, (_, i) => ({ id: `F${i}`, name: `file${i}.png` }) as unknown as NonNullable<SlackTypes.GenericMessageEvent['files']>[number]) }),
  };
}

export function messageChanged(fields: { channel: string; user: string; ts: string; before: string; after: string }): SlackTypes.MessageChangedEvent {
  const eventTs = slackTs();
  const inner = (text: string): SlackTypes.GenericMessageEvent => ({ type: 'message', subtype: undefined, channel: fields.channel, user: fields.user, text, ts: fields.ts, event_ts: fields.ts, channel_type: 'channel' });
  return { type: 'message', subtype: 'message_changed', hidden: true, channel: fields.channel, channel_type: 'channel', ts: eventTs, event_ts: eventTs, message: { ...inner(fields.after), edited: { user: fields.user, ts: eventTs } }, previous_message: inner(fields.before) };
}

export function messageDeleted(fields: { channel: string; user: string; ts: string; text: string }): SlackTypes.MessageDeletedEvent {
  const eventTs = slackTs();
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: fields.channel,
    channel_type: 'channel',
    ts: eventTs,
    event_ts: eventTs,
    deleted_ts: fields.ts,
    previous_message: { type: 'message', subtype: undefined, channel: fields.channel, user: fields.user, text: fields.text, ts: fields.ts, event_ts: fields.ts, channel_type: 'channel' },
  };
}

export function channelJoinNotice(fields: { channel: string; user: string }): SlackTypes.ChannelJoinMessageEvent {
  const ts = slackTs();
  return { type: 'message', subtype: 'channel_join', channel: fields.channel, user: fields.user, text: `<@${fields.user}> has joined the channel`, ts, event_ts: ts, channel_type: 'channel' } as SlackTypes.ChannelJoinMessageEvent;
}

export function botMessage(fields: { channel: string; text: string }): SlackTypes.BotMessageEvent {
  const ts = slackTs();
  return { type: 'message', subtype: 'bot_message', channel: fields.channel, text: fields.text, ts, event_ts: ts, channel_type: 'channel', bot_id: 'B0OTHER' };
}

export function reactionAdded(fields: { channel: string; user: string; ts: string; reaction: string; itemUser: string }): SlackTypes.ReactionAddedEvent {
  return { type: 'reaction_added', user: fields.user, reaction: fields.reaction, item_user: fields.itemUser, item: { type: 'message', channel: fields.channel, ts: fields.ts }, event_ts: slackTs() };
}

export function teamJoin(fields: { team: string; id: string; name: string; displayName: string }): SlackTypes.TeamJoinEvent {
  return {
    type: 'team_join',
    event_ts: slackTs(),
    user: {
      id: fields.id,
      team_id: fields.team,
      name: fields.name,
      deleted: false,
      color: '9f69e7',
      real_name: fields.displayName,
      tz: 'Asia/Jakarta',
      tz_label: 'Western Indonesia Time',
      tz_offset: 25200,
      profile: { real_name: fields.displayName, real_name_normalized: fields.displayName, display_name: fields.displayName, display_name_normalized: fields.displayName },
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: false,
      is_app_user: false,
      updated: Math.floor(Date.now() / 1000),
    } as unknown as SlackTypes.TeamJoinEvent['user'],
  } as SlackTypes.TeamJoinEvent;
}

export function memberJoinedChannel(fields: { team: string; channel: string; user: string }): SlackTypes.MemberJoinedChannelEvent {
  return { type: 'member_joined_channel', user: fields.user, channel: fields.channel, channel_type: 'C', team: fields.team, event_ts: slackTs() };
}

export function slashCommand(fields: { team: string; channel: string; channelName: string; user: string; userName: string; command: string; text: string; responseUrl: string }): SlashCommand {
  return {
    token: 'verification-token-unused',
    team_id: fields.team,
    team_domain: 'kopi',
    channel_id: fields.channel,
    channel_name: fields.channelName,
    user_id: fields.user,
    user_name: fields.userName,
    command: fields.command,
    text: fields.text,
    api_app_id: 'A0FAKEAPP',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: `${next()}.1234567890.trigger${next()}`,
  };
}

export function buttonClick(fields: { team: string; channel: string; user: string; actionId: string; messageTs: string; responseUrl: string }): BlockAction<ButtonAction> {
  const action: ButtonAction = { type: 'button', action_id: fields.actionId, block_id: 'b1', text: { type: 'plain_text', text: 'Click' }, value: fields.actionId, action_ts: slackTs() };
  return blockActions(fields, action);
}

export function staticSelect(fields: { team: string; channel: string; user: string; actionId: string; messageTs: string; responseUrl: string; value: string }): BlockAction<StaticSelectAction> {
  const action: StaticSelectAction = {
    type: 'static_select',
    action_id: fields.actionId,
    block_id: 'b2',
    selected_option: { text: { type: 'plain_text', text: fields.value }, value: fields.value },
    placeholder: { type: 'plain_text', text: 'Choose' },
    action_ts: slackTs(),
  };
  return blockActions(fields, action);
}

function blockActions<A extends ButtonAction | StaticSelectAction>(fields: { team: string; channel: string; user: string; messageTs: string; responseUrl: string }, action: A): BlockAction<A> {
  return {
    type: 'block_actions',
    team: { id: fields.team, domain: 'kopi' },
    user: { id: fields.user, username: 'member', name: 'member', team_id: fields.team },
    api_app_id: 'A0FAKEAPP',
    token: 'verification-token-unused',
    container: { type: 'message', message_ts: fields.messageTs, channel_id: fields.channel, is_ephemeral: false },
    trigger_id: `${next()}.1234567890.trigger${next()}`,
    channel: { id: fields.channel, name: 'general' },
    message: { type: 'message', ts: fields.messageTs, text: 'a poll' },
    response_url: fields.responseUrl,
    actions: [action],
  };
}

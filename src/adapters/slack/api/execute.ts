import type { webApi } from '@slack/bolt';
import type { Action, NeutralMessage } from '../../../contracts/index.js';
import type { ConfigStore } from '../../../config/index.js';
import { formatDuration } from '../../../core/duration.js';
import type { Logger } from '../../../core/logger.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { translate } from '../../../i18n/index.js';
import { describeFailure, executeInOrder, type ActionFailure } from '../../execute-in-order.js';
import type { SentMessageStore, SentMessage } from '../../sent-messages.js';
import { renderMessage, type RenderExtras } from '../format/blocks.js';
import { isSlackId, referencedNames, type MrkdwnNames } from '../format/mrkdwn.js';
import { parseSlackMessageId } from '../message-id.js';
import type { SlackClients, TeamClients } from './clients.js';
import type { SlackDirectory } from './directory.js';
import { notice, type NoticeKey } from './notices.js';

type ActionOf<T extends Action['type']> = Extract<Action, { type: T }>;

/** Where a member last used a command or a button: ephemeral answers go there. */
export interface Invocation {
  channel: string;
  responseUrl?: string;
  at: number;
}

/** Slack's response_url works for 30 minutes. */
const RESPONSE_URL_TTL_MS = 30 * 60_000;

/** How long a POST to a response_url may take before the answer counts as failed (and is reported). */
export const RESPONSE_URL_TIMEOUT_MS = 10_000;

/** Web API error codes that mean "the app is not in that channel", where response_url still works. */
const NOT_IN_CHANNEL = new Set(['channel_not_found', 'not_in_channel', 'user_not_in_channel']);

/** The `error` code of a failed Web API call (`platform_error`), if it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

export interface SlackExecutorOptions {
  clients: SlackClients;
  directory: SlackDirectory;
  config: ConfigStore;
  prisma: PrismaClient;
  sent: SentMessageStore;
  logger: Logger;
  lastInvocation(team: string, member: string): Invocation | undefined;
  /** Default RESPONSE_URL_TIMEOUT_MS. */
  responseUrlTimeoutMs?: number;
}

/**
 * Carries out the engine's actions through the Web API (DESIGN §3.2), in order, one
 * workspace's token per action. What Slack does not let an app do (timeouts, bans, pausing
 * joins) becomes a notice to the moderators in the mod log.
 */
export class SlackActionExecutor {
  constructor(private readonly options: SlackExecutorOptions) {}

  async execute(actions: readonly Action[]): Promise<void> {
    await executeInOrder(actions, (action) => this.carryOut(action), {
      logger: this.options.logger,
      reportFailure: (failure) => this.#reportFailure(failure),
    });
  }

  async carryOut(action: Action): Promise<void> {
    if (action.platform !== 'slack') throw new Error(`the Slack adapter cannot carry out a ${action.platform} action`);
    switch (action.type) {
      case 'message.send':
        return this.#send(action);
      case 'message.edit':
        return this.#edit(action);
      case 'reply.ephemeral':
        return this.#ephemeral(action);
      case 'message.delete':
        return this.#delete(action);
      case 'member.kick':
        return this.#kick(action);
      case 'member.timeout':
        return this.#modLogNotice(action.community, 'timeout', { member: action.member, duration: formatDuration(action.seconds * 1000), reason: action.reason });
      case 'member.untimeout':
        return this.#modLogNotice(action.community, 'untimeout', { member: action.member, reason: action.reason });
      case 'member.ban':
        return this.#modLogNotice(action.community, 'ban', { member: action.member, reason: action.reason });
      case 'member.unban':
        return this.#modLogNotice(action.community, 'unban', { member: action.member, reason: action.reason });
      case 'entry.restrict':
        return this.#modLogNotice(action.community, action.mode === 'lock' ? 'restrictLock' : 'restrictSlow', { reason: action.reason });
      case 'role.add':
      case 'role.remove':
        return this.#role(action);
    }
  }

  /** A channel id from an id or a name (names the engine could not resolve to an id). */
  async channelId(team: string, channel: string): Promise<string> {
    if (isSlackId(channel)) return channel;
    const id = await this.options.directory.channelId(team, channel);
    if (!id) throw new Error(`no channel named #${channel.replace(/^#/, '')} that the app can see`);
    return id;
  }

  /** Looks up the channels and user groups a text names, so that rendering needs no calls. */
  async #names(team: string, message: NeutralMessage): Promise<MrkdwnNames> {
    const texts = [message.text, ...(message.fields ?? []).flatMap((f) => [f.name, f.value])].join('\n');
    const { channels, roles } = referencedNames(texts);
    const channelIds = new Map<string, string>();
    const groupIds = new Map<string, string>();
    const { directory, logger } = this.options;
    await Promise.all([
      ...channels.map(async (name) => {
        const id = await directory.channelId(team, name).catch((error: unknown) => logger.warn({ err: error, team, channel: name }, 'could not look up a Slack channel'));
        if (id) channelIds.set(name, id);
      }),
      ...roles.map(async (role) => {
        const group = await directory.groupForRole(team, role).catch((error: unknown) => logger.warn({ err: error, team, role }, 'could not look up a Slack user group'));
        if (group) groupIds.set(role, group.id);
      }),
    ]);
    return { channelId: (name) => channelIds.get(name), roleGroupId: (role) => groupIds.get(role) };
  }

  async #render(team: string, message: NeutralMessage, extras: RenderExtras = {}) {
    return renderMessage(message, await this.#names(team, message), extras);
  }

  async #dmChannel(clients: TeamClients, member: string): Promise<string> {
    const opened = await clients.bot.conversations.open({ users: member });
    if (!opened.channel?.id) throw new Error(`conversations.open gave no channel for ${member}`);
    return opened.channel.id;
  }

  /** The action's `link` extra ({ channel, messageId }) as a permalink line. */
  async #permalink(team: string, clients: TeamClients, link: unknown): Promise<RenderExtras['permalink']> {
    if (typeof link !== 'object' || link === null) return undefined;
    const { channel: linkChannel, messageId } = link as { channel?: unknown; messageId?: unknown };
    if (typeof linkChannel !== 'string' || typeof messageId !== 'string') return undefined;
    const { channel: idChannel, ts } = parseSlackMessageId(messageId);
    const channel = idChannel ?? linkChannel;
    const label = notice(this.options.config.for('slack', team).locale, 'viewMessage');
    try {
      const channelId = await this.channelId(team, channel);
      const { permalink } = await clients.bot.chat.getPermalink({ channel: channelId, message_ts: ts });
      if (permalink) return { url: permalink, label };
    } catch (error) {
      this.options.logger.warn({ err: error, team, channel, messageId }, 'chat.getPermalink failed; linking through app_redirect');
    }
    const url = new URL('https://slack.com/app_redirect');
    url.searchParams.set('team', team);
    url.searchParams.set('channel', channel);
    url.searchParams.set('message_ts', ts);
    return { url: url.toString(), label };
  }

  async #send(action: ActionOf<'message.send'>): Promise<void> {
    const team = action.community;
    const clients = await this.options.clients.forTeam(team);
    const channel = action.channel !== undefined ? await this.channelId(team, action.channel) : await this.#dmChannel(clients, action.member!);
    const permalink = await this.#permalink(team, clients, action.link);
    const rendered = await this.#render(team, action.message, permalink ? { permalink } : {});
    // `startThread` needs nothing on Slack: any message can be replied to in a thread.
    const parent = action.thread ?? action.replyTo;
    const threadTs = parent === undefined ? undefined : parseSlackMessageId(parent).ts;
    const posted = await clients.bot.chat.postMessage({
      channel,
      text: rendered.text,
      blocks: rendered.blocks,
      unfurl_links: false,
      ...(threadTs && { thread_ts: threadTs }),
    });
    if (!posted.ts) throw new Error('chat.postMessage returned no ts');
    const postedChannel = posted.channel ?? channel;
    if (action.key) await this.options.sent.remember(team, action.key, { channel: postedChannel, messageId: posted.ts });
    await this.#uploadImage(team, clients, action.message, postedChannel, threadTs);
    await this.#uploadAttachment(clients, action.attachment, postedChannel, threadTs);
  }

  /** The message's chart or picture, read from StoredImage and uploaded as a file (files.uploadV2). */
  async #uploadImage(team: string, clients: TeamClients, message: NeutralMessage, channel: string, threadTs: string | undefined): Promise<void> {
    const storedImageId = (message.image as { storedImageId?: unknown } | undefined)?.storedImageId;
    if (typeof storedImageId !== 'number') return;
    const image = await this.options.prisma.storedImage.findFirst({
      where: { id: storedImageId, community: { platform: 'slack', externalId: team } },
      select: { name: true, bytes: true },
    });
    if (!image) throw new Error(`stored image ${storedImageId} does not exist (or belongs to another community)`);
    const file = { file: Buffer.from(image.bytes), filename: image.name, title: image.name };
    await clients.bot.filesUploadV2(threadTs ? { ...file, channel_id: channel, thread_ts: threadTs } : { ...file, channel_id: channel });
  }

  /** The `attachment` extra ({ name, contentType, text }, e.g. /mydata's export) as a file. */
  async #uploadAttachment(clients: TeamClients, attachment: unknown, channel: string, threadTs: string | undefined): Promise<void> {
    if (typeof attachment !== 'object' || attachment === null) return;
    const { name, text } = attachment as { name?: unknown; text?: unknown };
    if (typeof name !== 'string' || typeof text !== 'string') throw new Error('an attachment needs a name and a text');
    const file = { content: text, filename: name, title: name };
    await clients.bot.filesUploadV2(threadTs ? { ...file, channel_id: channel, thread_ts: threadTs } : { ...file, channel_id: channel });
  }

  async #locate(action: ActionOf<'message.edit'>): Promise<SentMessage> {
    if (action.key) {
      const found = await this.options.sent.find(action.community, action.key);
      if (!found) throw new Error(`no message was sent under the key "${action.key}"`);
      return found;
    }
    const { channel: idChannel, ts: messageId } = parseSlackMessageId(action.messageId!);
    if (idChannel) return { channel: idChannel, messageId };
    if (typeof action.channel === 'string') return { channel: await this.channelId(action.community, action.channel), messageId };
    const keyed = await this.options.prisma.platformMessage.findFirst({
      where: { messageExternalId: messageId, community: { platform: 'slack', externalId: action.community } },
      select: { channelExternalId: true },
    });
    if (keyed) return { channel: keyed.channelExternalId, messageId };
    const recorded = await this.options.prisma.message.findFirst({
      where: { externalId: messageId, community: { platform: 'slack', externalId: action.community } },
      select: { channel: { select: { externalId: true } } },
    });
    if (recorded) return { channel: recorded.channel.externalId, messageId };
    throw new Error(`message ${messageId} is unknown: Slack needs its channel to edit it`);
  }

  /** POSTs an ephemeral answer to a command's or button's response_url, within the timeout. */
  async #answerThroughResponseUrl(responseUrl: string, body: object, why: string): Promise<void> {
    const timeoutMs = this.options.responseUrlTimeoutMs ?? RESPONSE_URL_TIMEOUT_MS;
    let response: Response;
    try {
      response = await fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // The response_url itself is a credential for the conversation: it is never named.
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `did not answer within ${timeoutMs} ms` : `could not be reached (${describeFailure(error)})`;
      throw new Error(`response_url ${reason} after ${why}`, { cause: error });
    }
    // The body is not needed; reading it frees the connection.
    await response.body?.cancel();
    if (!response.ok) throw new Error(`response_url answered ${response.status} after ${why}`);
  }

  async #edit(action: ActionOf<'message.edit'>): Promise<void> {
    const team = action.community;
    const clients = await this.options.clients.forTeam(team);
    const target = await this.#locate(action);
    const rendered = await this.#render(team, action.message);
    await clients.bot.chat.update({ channel: target.channel, ts: target.messageId, text: rendered.text, blocks: rendered.blocks });
  }

  /**
   * Only the member sees it: chat.postEphemeral in the channel of their last command or button
   * press; where the app is not in that channel, the command's response_url; with neither, a DM.
   */
  async #ephemeral(action: ActionOf<'reply.ephemeral'>): Promise<void> {
    const team = action.community;
    const clients = await this.options.clients.forTeam(team);
    const rendered = await this.#render(team, action.message);
    const last = this.options.lastInvocation(team, action.member);
    if (last) {
      try {
        await clients.bot.chat.postEphemeral({ channel: last.channel, user: action.member, text: rendered.text, blocks: rendered.blocks });
        return;
      } catch (error) {
        const code = slackErrorCode(error);
        if (!code || !NOT_IN_CHANNEL.has(code)) throw error;
        if (last.responseUrl && Date.now() - last.at < RESPONSE_URL_TTL_MS) {
          const answer = { response_type: 'ephemeral', replace_original: false, text: rendered.text, blocks: rendered.blocks };
          await this.#answerThroughResponseUrl(last.responseUrl, answer, `chat.postEphemeral failed (${code})`);
          return;
        }
      }
    }
    const channel = await this.#dmChannel(clients, action.member);
    await clients.bot.chat.postMessage({ channel, text: rendered.text, blocks: rendered.blocks, unfurl_links: false });
  }

  async #delete(action: ActionOf<'message.delete'>): Promise<void> {
    const team = action.community;
    const clients = await this.options.clients.forTeam(team);
    const { channel: idChannel, ts } = parseSlackMessageId(action.messageId);
    const channel = idChannel ?? (await this.channelId(team, action.channel));
    try {
      await (clients.user ?? clients.bot).chat.delete({ channel, ts });
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === 'cant_delete_message')
        throw new Error(
          clients.user
            ? 'Slack refused to delete the message with the user token (cant_delete_message): the token must belong to a workspace admin or owner'
            : 'Slack lets an app delete only its own messages with a bot token (cant_delete_message); an admin user token (SLACK_USER_TOKEN, or user scopes chat:write in OAuth) is needed',
          { cause: error },
        );
      if (code === 'message_not_found') {
        this.options.logger.info({ team, channel, ts }, 'message to delete was already gone');
        return;
      }
      throw error;
    }
  }

  /** Removes the member from every channel the app shares with them (Slack's kick), then tells the mod log. */
  async #kick(action: ActionOf<'member.kick'>): Promise<void> {
    const team = action.community;
    const clients = await this.options.clients.forTeam(team);
    const channels: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await clients.bot.users.conversations({ user: action.member, types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, ...(cursor && { cursor }) });
      for (const channel of page.channels ?? []) if (channel.id && !channel.is_general) channels.push(channel.id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    let removed = 0;
    const refused: string[] = [];
    for (const channel of channels) {
      try {
        await clients.bot.conversations.kick({ channel, user: action.member });
        removed++;
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === 'not_in_channel') continue;
        refused.push(`${channel}: ${code ?? describeFailure(error)}`);
      }
    }
    await this.#modLogNotice(team, 'kick', { member: action.member, count: removed, reason: action.reason });
    if (refused.length) throw new Error(`could not remove the member from ${refused.length} channel(s): ${refused.join(', ')}`);
  }

  /** role.add / role.remove: the member joins or leaves the user group mapped to the role (none is created). */
  async #role(action: ActionOf<'role.add'> | ActionOf<'role.remove'>): Promise<void> {
    const team = action.community;
    const { directory } = this.options;
    const clients = await this.options.clients.forTeam(team);
    const group = await directory.groupForRole(team, action.role);
    if (!group) {
      const handles = directory.handlesOf(team, action.role).map((h) => `@${h}`).join(', ');
      throw new Error(`no user group for the role "${action.role}" (looked for ${handles}); create it in Slack or map the role in slack.roleGroups`);
    }
    const current = await clients.bot.usergroups.users.list({ usergroup: group.id });
    const users = new Set(current.users ?? []);
    if (action.type === 'role.add') users.add(action.member);
    else users.delete(action.member);
    if (users.size === (current.users ?? []).length) return;
    if (users.size === 0) throw new Error(`Slack cannot leave the user group @${group.handle} empty: disable the group instead of removing its last member`);
    await clients.bot.usergroups.users.update({ usergroup: group.id, users: [...users].join(',') });
    directory.forgetGroups(team);
  }

  async #postToModLog(team: string, message: NeutralMessage): Promise<void> {
    const config = this.options.config.for('slack', team);
    const clients = await this.options.clients.forTeam(team);
    const channel = await this.channelId(team, config.channels.modLog);
    const rendered = await this.#render(team, message);
    await clients.bot.chat.postMessage({ channel, text: rendered.text, blocks: rendered.blocks, unfurl_links: false });
  }

  async #modLogNotice(team: string, key: NoticeKey, variables: Record<string, string | number>): Promise<void> {
    const locale = this.options.config.for('slack', team).locale;
    await this.#postToModLog(team, { text: notice(locale, key, variables) });
  }

  /** Whether an action is itself a post to the mod log (whose failure must not be reported there again). */
  async #isModLogPost(action: Action): Promise<boolean> {
    if (action.type !== 'message.send' || action.channel === undefined) return false;
    const modLog = this.options.config.for('slack', action.community).channels.modLog;
    if (action.channel === modLog) return true;
    if (!isSlackId(action.channel)) return false;
    return (await this.options.directory.channelId(action.community, modLog).catch(() => undefined)) === action.channel;
  }

  async #reportFailure({ action, error }: ActionFailure): Promise<void> {
    if (action.platform !== 'slack') return;
    // Notices that go to the mod log cannot be reported there either when posting failed.
    if (await this.#isModLogPost(action)) return;
    if (['member.timeout', 'member.untimeout', 'member.ban', 'member.unban', 'entry.restrict'].includes(action.type)) return;
    const locale = this.options.config.for('slack', action.community).locale;
    const target = describeTarget(action);
    await this.#postToModLog(action.community, { text: translate(locale, 'adapter.actionFailed', { action: action.type, target, reason: describeFailure(error) }) });
  }
}

/** Who or what an action was about, as markup the mod log shows. */
function describeTarget(action: Action): string {
  if ('member' in action && typeof action.member === 'string') return `<@${action.member}>`;
  if ('channel' in action && typeof action.channel === 'string') return `<#${action.channel}>`;
  if ('key' in action && typeof action.key === 'string') return action.key;
  if ('messageId' in action && typeof action.messageId === 'string') return action.messageId;
  return action.community;
}

import {
  DiscordAPIError,
  GuildVerificationLevel,
  MessageFlags,
  RESTJSONErrorCodes,
  Routes,
  type APIChannel,
  type APIMessage,
  type REST,
} from 'discord.js';
import type { ConfigStore } from '../../../config/index.js';
import type { Action, NeutralMessage } from '../../../contracts/index.js';
import type { Logger } from '../../../core/logger.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { translate } from '../../../i18n/index.js';
import { describeFailure, executeInOrder, type ActionFailure } from '../../execute-in-order.js';
import { SentMessageStore } from '../../sent-messages.js';
import { renderMessage, type OutgoingFile, type RenderedMessage } from '../format/render.js';
import { isSnowflake, referencedNames, threadNameFrom, type MentionTargets } from '../format/text.js';
import type { GuildDirectory } from './directory.js';
import type { PendingInteractions } from './pending-interactions.js';

/** Discord's longest timeout. */
const MAX_TIMEOUT_SECONDS = 28 * 24 * 3600;
/** How long `entry.restrict` with `lock` pauses invites (Discord allows at most 24 hours). */
const INVITE_PAUSE_MS = 24 * 3600_000;
const DM_CHANNELS_KEPT = 5_000;

/** The key under which a DM with buttons is remembered, so a click in the DM finds its community. */
export const dmMessageKey = (messageId: string): string => `discord-dm:${messageId}`;

/** The community of a DM the bot sent with buttons (clicks in DMs carry no guild), from the database. */
export async function communityOfDirectMessage(prisma: PrismaClient, messageId: string): Promise<string | undefined> {
  const row = await prisma.platformMessage.findFirst({
    where: { key: dmMessageKey(messageId), community: { platform: 'discord' } },
    select: { community: { select: { externalId: true } } },
  });
  return row?.community.externalId;
}

export interface CarryOutOptions {
  rest: REST;
  prisma: PrismaClient;
  config: ConfigStore;
  logger: Logger;
  directory: GuildDirectory;
  interactions: PendingInteractions;
}

/** Extra fields some capabilities put on `message.send` (README: engagement, questions). */
interface SendExtras {
  startThread?: unknown;
  link?: unknown;
  attachment?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Carries out the engine's actions through discord.js's REST client (Routes), which queues
 * requests per rate-limit bucket, waits out 429s and retries 5xx answers. Community = guild id.
 */
export class DiscordActions {
  readonly #sent: SentMessageStore;
  readonly #dmChannels = new Map<string, string>();

  constructor(private readonly options: CarryOutOptions) {
    this.#sent = new SentMessageStore(options.prisma, 'discord');
  }

  async execute(actions: readonly Action[]): Promise<void> {
    await executeInOrder(actions, (action) => this.carryOut(action), {
      logger: this.options.logger,
      reportFailure: (failure) => this.reportFailure(failure),
    });
  }

  async carryOut(action: Action): Promise<void> {
    if (action.platform !== 'discord') throw new Error(`the Discord adapter cannot carry out a ${action.platform} action`);
    const { rest, directory } = this.options;
    const guild = action.community;
    switch (action.type) {
      case 'message.send':
        return this.#send(action);
      case 'message.edit':
        return this.#edit(action);
      case 'reply.ephemeral':
        return this.#replyEphemeral(action);
      case 'message.delete': {
        const channel = await directory.channelId(guild, action.channel);
        await rest.delete(Routes.channelMessage(channel, action.messageId), { reason: action.reason });
        return;
      }
      case 'member.timeout': {
        const until = new Date(Date.now() + Math.min(action.seconds, MAX_TIMEOUT_SECONDS) * 1000).toISOString();
        await rest.patch(Routes.guildMember(guild, action.member), { body: { communication_disabled_until: until }, reason: action.reason });
        return;
      }
      case 'member.untimeout':
        await rest.patch(Routes.guildMember(guild, action.member), { body: { communication_disabled_until: null }, reason: action.reason });
        return;
      case 'member.kick':
        await rest.delete(Routes.guildMember(guild, action.member), { reason: action.reason });
        return;
      case 'member.ban':
        await rest.put(Routes.guildBan(guild, action.member), { reason: action.reason });
        return;
      case 'member.unban':
        await rest.delete(Routes.guildBan(guild, action.member), { reason: action.reason });
        return;
      case 'entry.restrict':
        // slow: members need a verified email and 10 minutes on the server before they may talk.
        // lock: a verified phone as well, and invites paused for 24 hours (Discord's maximum).
        await rest.patch(Routes.guild(guild), {
          body: { verification_level: action.mode === 'lock' ? GuildVerificationLevel.VeryHigh : GuildVerificationLevel.High },
          reason: action.reason,
        });
        if (action.mode === 'lock') {
          await rest.put(Routes.guildIncidentActions(guild), {
            body: { invites_disabled_until: new Date(Date.now() + INVITE_PAUSE_MS).toISOString() },
            reason: action.reason,
          });
        }
        return;
      case 'role.add':
      case 'role.remove': {
        const role = await directory.roleId(guild, action.role);
        const route = Routes.guildMemberRole(guild, action.member, role);
        await (action.type === 'role.add' ? rest.put(route, { reason: action.reason }) : rest.delete(route, { reason: action.reason }));
        return;
      }
    }
  }

  /**
   * Tells the community's mod log that an action failed, in its locale; not for a failed
   * post to the mod log itself (that would fail again, or loop).
   */
  async reportFailure({ action, error }: ActionFailure): Promise<void> {
    const config = this.options.config.for('discord', action.community);
    const modLog = await this.options.directory.channelId(action.community, config.channels.modLog);
    if (action.type === 'message.send' && action.channel !== undefined) {
      const target = await this.options.directory.findChannelId(action.community, action.channel).catch(() => undefined);
      if (target === modLog || action.channel === config.channels.modLog) return;
    }
    const text = translate(config.locale, 'adapter.actionFailed', { action: action.type, target: describeTarget(action), reason: describeFailure(error) });
    // The report names members and channels without pinging anyone.
    await this.options.rest.post(Routes.channelMessages(modLog), { body: { content: text.slice(0, 2000), allowed_mentions: { parse: [] } } });
  }

  async #send(action: Extract<Action, { type: 'message.send' }>): Promise<void> {
    const { rest, directory, logger } = this.options;
    const guild = action.community;
    const extras = action as SendExtras;
    const rendered = await this.#render(guild, action.message, await this.#permalink(guild, extras.link), parseAttachment(extras.attachment));
    if (action.replyTo) rendered.body.message_reference = { message_id: action.replyTo, fail_if_not_exists: false };

    let channel: string;
    if (action.member !== undefined) channel = await this.#dmChannel(action.member);
    else if (action.thread !== undefined) channel = action.thread;
    else channel = await directory.channelId(guild, action.channel!);

    let sent: APIMessage;
    try {
      sent = (await rest.post(Routes.channelMessages(channel), { body: rendered.body, files: rendered.files })) as APIMessage;
    } catch (error) {
      // A thread id is its starter message's id: a message without a thread yet gets one here.
      if (!(action.thread !== undefined && action.channel !== undefined && isUnknownChannel(error))) throw error;
      const parent = await directory.channelId(guild, action.channel);
      await rest.post(Routes.threads(parent, action.thread), { body: { name: threadNameFrom(action.message.text, 'thread'), auto_archive_duration: 1440 } });
      sent = (await rest.post(Routes.channelMessages(channel), { body: rendered.body, files: rendered.files })) as APIMessage;
    }
    if (rendered.droppedButtons) logger.warn({ dropped: rendered.droppedButtons, cause: action.cause }, 'Discord shows at most 25 buttons; the rest were left out');

    if (action.key) await this.#sent.remember(guild, action.key, { channel, messageId: sent.id });
    if (action.member !== undefined && rendered.body.components.length) await this.#sent.remember(guild, dmMessageKey(sent.id), { channel, messageId: sent.id });
    if (extras.startThread === true && action.member === undefined && action.thread === undefined) {
      await rest.post(Routes.threads(channel, sent.id), { body: { name: threadNameFrom(action.message.text, 'thread'), auto_archive_duration: 1440 } });
    }
  }

  async #edit(action: Extract<Action, { type: 'message.edit' }>): Promise<void> {
    const guild = action.community;
    let target: { channel: string; messageId: string } | undefined;
    if (action.key !== undefined) {
      target = await this.#sent.find(guild, action.key);
      if (!target) throw new Error(`no message was sent under the key "${action.key}"`);
    } else {
      const channel = (action as { channel?: unknown }).channel;
      if (typeof channel !== 'string') throw new Error('message.edit by messageId needs the channel of the message on Discord');
      target = { channel: await this.options.directory.channelId(guild, channel), messageId: action.messageId! };
    }
    const rendered = await this.#render(guild, action.message);
    // A full replacement: components: [] removes buttons (a closed poll), attachments: [] an old image.
    await this.options.rest.patch(Routes.channelMessage(target.channel, target.messageId), {
      body: { ...rendered.body, attachments: rendered.body.attachments ?? [] },
      files: rendered.files,
    });
  }

  /** The interaction that caused the reply, or else the member's latest, gets it (the deferred original first, then follow-ups); without one, a DM. */
  async #replyEphemeral(action: Extract<Action, { type: 'reply.ephemeral' }>): Promise<void> {
    const { rest, interactions } = this.options;
    const pending = interactions.find(action.community, action.member, action.cause);
    const rendered = await this.#render(action.community, action.message);
    if (!pending) {
      const channel = await this.#dmChannel(action.member);
      await rest.post(Routes.channelMessages(channel), { body: rendered.body, files: rendered.files });
      return;
    }
    await pending.acknowledged;
    if (pending.kind === 'command' && !pending.originalUsed) {
      pending.originalUsed = true;
      await rest.patch(Routes.webhookMessage(pending.applicationId, pending.token, '@original'), { body: rendered.body, files: rendered.files, auth: false });
      return;
    }
    await rest.post(Routes.webhook(pending.applicationId, pending.token), {
      body: { ...rendered.body, flags: MessageFlags.Ephemeral },
      files: rendered.files,
      auth: false,
    });
  }

  async #render(guild: string, message: NeutralMessage, permalink?: string, attachment?: OutgoingFile): Promise<RenderedMessage> {
    const texts = [message.text, ...(message.fields ?? []).flatMap((field) => [field.name, field.value])].join('\n');
    const needs = referencedNames(texts);
    const [channels, roles] = await Promise.all([
      needs.channels ? this.options.directory.channels(guild) : Promise.resolve([]),
      needs.roles ? this.options.directory.roles(guild) : Promise.resolve([]),
    ]);
    const byName = <T extends { name: string; id: string }>(items: T[], name: string) =>
      (items.find((item) => item.name === name) ?? items.find((item) => item.name.toLowerCase() === name.toLowerCase()))?.id;
    const targets: MentionTargets = { channelId: (name) => byName(channels, name), roleId: (name) => byName(roles, name) };
    return renderMessage(message, {
      targets,
      ...(message.image && { image: await this.#storedImage(message.image) }),
      ...(attachment && { attachment }),
      ...(permalink && { permalink }),
    });
  }

  async #storedImage(image: NonNullable<NeutralMessage['image']>): Promise<OutgoingFile | undefined> {
    const id = image.storedImageId;
    if (typeof id !== 'number') return undefined;
    const row = await this.options.prisma.storedImage.findUnique({ where: { id }, select: { bytes: true, contentType: true } });
    if (!row) throw new Error(`stored image ${id} does not exist`);
    return { name: image.name, contentType: row.contentType, data: row.bytes };
  }

  async #permalink(guild: string, link: unknown): Promise<string | undefined> {
    if (!isRecord(link) || typeof link.channel !== 'string' || typeof link.messageId !== 'string') return undefined;
    const channel = await this.options.directory.channelId(guild, link.channel);
    return `https://discord.com/channels/${guild}/${channel}/${link.messageId}`;
  }

  async #dmChannel(user: string): Promise<string> {
    const known = this.#dmChannels.get(user);
    if (known) return known;
    const channel = (await this.options.rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as APIChannel;
    if (this.#dmChannels.size >= DM_CHANNELS_KEPT) this.#dmChannels.delete(this.#dmChannels.keys().next().value!);
    this.#dmChannels.set(user, channel.id);
    return channel.id;
  }
}

function parseAttachment(value: unknown): OutgoingFile | undefined {
  if (!isRecord(value) || typeof value.name !== 'string' || typeof value.text !== 'string') return undefined;
  return {
    name: value.name,
    contentType: typeof value.contentType === 'string' ? value.contentType : 'text/plain',
    data: Buffer.from(value.text, 'utf8'),
  };
}

const isUnknownChannel = (error: unknown): boolean => error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel;

/** A channel as the mod log shows it: a link when it is an id, else its name. */
const channelLabel = (channel: string): string => (isSnowflake(channel) ? `<#${channel}>` : `#${channel.replace(/^#/, '')}`);

/** Who or what a failed action was about, as the mod log shows it. */
function describeTarget(action: Action): string {
  switch (action.type) {
    case 'message.send':
      return action.member !== undefined ? `<@${action.member}>` : channelLabel(action.thread ?? action.channel!);
    case 'message.edit':
      return action.key ?? action.messageId ?? '';
    case 'message.delete':
      return `${channelLabel(action.channel)} ${action.messageId}`;
    case 'entry.restrict':
      return action.mode;
    case 'role.add':
    case 'role.remove':
      return `<@${action.member}> ${action.role}`;
    default:
      return `<@${action.member}>`;
  }
}

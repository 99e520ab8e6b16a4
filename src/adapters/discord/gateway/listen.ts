import {
  Events,
  GatewayDispatchEvents,
  MessageFlags,
  MessageType,
  type ChatInputCommandInteraction,
  type Client,
  type ClientEvents,
  type GatewayDispatchPayload,
  type Interaction,
  type MessageComponentInteraction,
} from 'discord.js';
import type { ConfigStore } from '../../../config/index.js';
import { CommunityEventSchema, type CommunityEvent } from '../../../contracts/index.js';
import type { Logger } from '../../../core/logger.js';
import { describeProblems } from '../../../engine/pipeline.js';
import type { PrismaClient } from '../../../generated/prisma/client.js';
import { translate } from '../../../i18n/index.js';
import type { EventSink } from '../../adapter.js';
import { describeFailure } from '../../execute-in-order.js';
import { communityOfDirectMessage } from '../api/carry-out.js';
import type { PendingInteractions } from '../api/pending-interactions.js';
import type { EventInput } from '../normalize/common.js';
import { commandInvoked, componentUsed, memberJoined, memberLeft, messageCreated, messageDeleted, messageEdited, reactionAdded } from '../normalize/events.js';
import { ArrivalOrder } from './arrival-order.js';

export interface ListenOptions {
  client: Client;
  sink: EventSink;
  logger: Logger;
  prisma: PrismaClient;
  config: ConfigStore;
  interactions: PendingInteractions;
  /** See DiscordAdapterOptions.repliesArriveLater. */
  repliesArriveLater: boolean;
  /** Keeps a handed-over event's promise until it settles, so `stop()` can wait for it. */
  track(work: Promise<void>): void;
}

/** How long a queued command's "thinking…" placeholder waits for its answer from a worker. */
const UNANSWERED_PLACEHOLDER_MS = 60_000;

/** Messages a member wrote (plain or as a reply); system messages (joins, pins, boosts) are not conversation. */
const MEMBER_MESSAGE_TYPES = new Set<MessageType>([MessageType.Default, MessageType.Reply]);

/** Hands an event over in its user's arrival order (see ArrivalOrder); resolves or rejects as the hand-over does. */
type HandOver = (user: string | undefined, event: CommunityEvent | undefined | Promise<CommunityEvent | undefined>) => Promise<void>;

/**
 * Turns discord.js's events into CommunityEvents for the sink, each user's in the order they
 * arrived. A payload that does not make a valid event is logged with its type and dropped; the
 * next one is handled as usual. The bot's own messages and reactions are ignored. Returns what
 * removes the listeners again.
 */
export function listen(options: ListenOptions): () => void {
  const { client, logger, sink, track } = options;
  const isSelf = (id: string | undefined) => id !== undefined && id === client.user?.id;
  const order = new ArrivalOrder();
  const subscriptions: (() => void)[] = [];
  const on = <E extends keyof ClientEvents>(event: E, listener: (...args: ClientEvents[E]) => void): void => {
    client.on(event, listener);
    subscriptions.push(() => client.off(event, listener));
  };

  // Member removals carry no time: the session and sequence number identify the delivery,
  // and a resumed session replays a dispatch with the same ones.
  let session = 'session';
  const removals = new Map<string, string>();

  const validate = (type: string, build: () => EventInput | undefined): CommunityEvent | undefined => {
    let raw: EventInput | undefined;
    try {
      raw = build();
    } catch (error) {
      logger.warn({ type, reason: describeFailure(error) }, 'Discord payload could not be normalized; dropped');
      return undefined;
    }
    if (raw === undefined) return undefined;
    const parsed = CommunityEventSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ type, problems: describeProblems(parsed.error) }, 'Discord payload did not make a valid event; dropped');
      return undefined;
    }
    return parsed.data;
  };

  const hand = (event: CommunityEvent): Promise<void> =>
    sink(event).catch((error: unknown) => {
      logger.error({ err: error, eventId: event.id, type: event.type, community: event.community }, 'the sink refused a Discord event');
      throw error;
    });

  const handOver: HandOver = (user, event) => order.hand(user, event, hand);

  const deliver = (type: string, user: string | undefined, build: () => EventInput | undefined): void => {
    const event = validate(type, build);
    if (event) track(handOver(user, event).catch(() => undefined));
  };

  /** A listener that cannot throw: a payload discord.js accepted but we cannot read (say, a message without an author) is logged and dropped. */
  const guarded =
    <A extends unknown[]>(type: string, listener: (...args: A) => void) =>
    (...args: A): void => {
      try {
        listener(...args);
      } catch (error) {
        logger.warn({ type, reason: describeFailure(error) }, 'Discord payload could not be normalized; dropped');
      }
    };

  const onRaw = guarded('RAW', (packet: GatewayDispatchPayload) => {
    if (packet.t === GatewayDispatchEvents.Ready) session = packet.d.session_id;
    else if (packet.t === GatewayDispatchEvents.GuildMemberRemove) {
      // Removals discord.js drops (an unknown guild) must not pile up here.
      if (removals.size >= 10_000) removals.clear();
      removals.set(`${packet.d.guild_id}:${packet.d.user.id}`, `${session}:${packet.s}`);
    }
  });
  client.on(Events.Raw, onRaw);
  subscriptions.push(() => client.off(Events.Raw, onRaw));
  on(
    Events.GuildMemberAdd,
    guarded(GatewayDispatchEvents.GuildMemberAdd, (member) => {
      if (isSelf(member.id)) return;
      deliver(GatewayDispatchEvents.GuildMemberAdd, member.id, () => memberJoined(member));
    }),
  );
  on(
    Events.GuildMemberRemove,
    guarded(GatewayDispatchEvents.GuildMemberRemove, (member) => {
      const key = `${member.guild.id}:${member.id}`;
      const delivery = removals.get(key) ?? `${session}:${Date.now()}`;
      removals.delete(key);
      if (isSelf(member.id)) return;
      deliver(GatewayDispatchEvents.GuildMemberRemove, member.id, () => memberLeft(member, delivery, new Date()));
    }),
  );
  on(
    Events.MessageCreate,
    guarded(GatewayDispatchEvents.MessageCreate, (message) => {
      if (!message.inGuild() || isSelf(message.author.id) || !MEMBER_MESSAGE_TYPES.has(message.type)) return;
      deliver(GatewayDispatchEvents.MessageCreate, message.author.id, () => messageCreated(message));
    }),
  );
  on(
    Events.MessageUpdate,
    guarded(GatewayDispatchEvents.MessageUpdate, (_old, message) => {
      if (isSelf(message.author?.id)) return;
      deliver(GatewayDispatchEvents.MessageUpdate, message.author?.id, () => messageEdited(message));
    }),
  );
  on(
    Events.MessageDelete,
    guarded(GatewayDispatchEvents.MessageDelete, (message) => {
      const guild = message.guild;
      if (!guild || isSelf(message.author?.id)) return;
      deliver(GatewayDispatchEvents.MessageDelete, message.author?.id, () => messageDeleted(message, guild, new Date()));
    }),
  );
  on(
    Events.MessageBulkDelete,
    guarded(GatewayDispatchEvents.MessageDeleteBulk, (messages, channel) => {
      for (const message of messages.values()) {
        if (isSelf(message.author?.id)) continue;
        deliver(GatewayDispatchEvents.MessageDeleteBulk, message.author?.id, () => messageDeleted(message, channel.guild, new Date()));
      }
    }),
  );
  on(
    Events.MessageReactionAdd,
    guarded(GatewayDispatchEvents.MessageReactionAdd, (reaction, user) => {
      const guild = reaction.message.guild;
      if (!guild || isSelf(user.id)) return;
      deliver(GatewayDispatchEvents.MessageReactionAdd, user.id, () => reactionAdded(reaction, user, guild, new Date()));
    }),
  );
  on(
    Events.InteractionCreate,
    guarded(GatewayDispatchEvents.InteractionCreate, (interaction) => onInteraction(interaction, options, validate, handOver)),
  );
  return () => {
    for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
  };
}

type Validate = (type: string, build: () => EventInput | undefined) => CommunityEvent | undefined;

function onInteraction(interaction: Interaction, options: ListenOptions, validate: Validate, handOver: HandOver): void {
  if (interaction.isChatInputCommand()) {
    if (!interaction.inGuild()) {
      options.logger.info({ command: interaction.commandName }, 'a command outside a server was ignored');
      return;
    }
    const event = validate('INTERACTION_CREATE (command)', () => commandInvoked(interaction));
    options.track(answerCommand(interaction, event, options, handOver));
    return;
  }
  if (interaction.isButton() || interaction.isAnySelectMenu()) {
    // Read while the interaction's member is at hand, before anything is awaited.
    const inGuild = interaction.inGuild();
    const event = inGuild
      ? validate('INTERACTION_CREATE (component)', () => componentUsed(interaction, { community: interaction.guildId, communityName: interaction.guild?.name }))
      : undefined;
    options.track(answerComponent(interaction, event, options, handOver, validate));
  }
}

/**
 * A command is deferred at once, privately (most answers are private; public ones, such as a
 * poll, are posted to the channel as their own messages). The engine's first `reply.ephemeral`
 * fills the deferred reply, later ones follow up. If no reply came, the "thinking…" placeholder
 * is removed.
 */
async function answerCommand(interaction: ChatInputCommandInteraction, event: CommunityEvent | undefined, options: ListenOptions, handOver: HandOver): Promise<void> {
  const { logger } = options;
  const acknowledged = interaction.deferReply({ flags: MessageFlags.Ephemeral }).then(() => undefined);
  acknowledged.catch((error: unknown) => logger.error({ err: error, interaction: interaction.id }, 'could not acknowledge a Discord command'));
  const pending = options.interactions.register(interaction.guildId!, interaction.user.id, {
    id: interaction.id,
    token: interaction.token,
    applicationId: interaction.applicationId,
    kind: 'command',
    acknowledged,
  });
  let failed = event === undefined;
  if (event) {
    try {
      await handOver(interaction.user.id, event);
    } catch {
      failed = true;
    }
  }
  try {
    await acknowledged;
    if (pending.originalUsed) return;
    if (!failed && options.repliesArriveLater) {
      // The answer is on its way from a worker: the placeholder waits for it, but not forever.
      setTimeout(() => {
        if (pending.originalUsed) return;
        pending.originalUsed = true;
        interaction.deleteReply().catch((error: unknown) => logger.warn({ err: error, interaction: interaction.id }, 'could not remove an unanswered command placeholder'));
      }, UNANSWERED_PLACEHOLDER_MS).unref();
      return;
    }
    pending.originalUsed = true;
    if (failed) {
      const locale = options.config.for('discord', interaction.guildId!).locale;
      await interaction.editReply({ content: translate(locale, 'command.failed', { command: interaction.commandName }), allowedMentions: { parse: [] } });
    } else {
      await interaction.deleteReply();
    }
  } catch (error) {
    logger.error({ err: error, interaction: interaction.id }, 'could not finish answering a Discord command');
  }
}

/**
 * A button or a select menu: acknowledged without changing the message; the engine's replies
 * for the member follow up privately. A click in a DM belongs to the community whose DM it was,
 * looked up in the database; the member's later events wait until it has been handed over.
 */
function answerComponent(
  interaction: MessageComponentInteraction,
  guildEvent: CommunityEvent | undefined,
  options: ListenOptions,
  handOver: HandOver,
  validate: Validate,
): Promise<void> {
  const { logger } = options;
  const acknowledged = interaction.deferUpdate().then(() => undefined);
  acknowledged.catch((error: unknown) => logger.error({ err: error, interaction: interaction.id }, 'could not acknowledge a Discord component'));
  const register = (event: CommunityEvent | undefined): CommunityEvent | undefined => {
    if (!event) return undefined;
    options.interactions.register(event.community, interaction.user.id, {
      id: interaction.id,
      token: interaction.token,
      applicationId: interaction.applicationId,
      kind: 'component',
      acknowledged,
    });
    return event;
  };
  const event = interaction.inGuild() ? register(guildEvent) : directMessageEvent(interaction, options, validate).then(register);
  return handOver(interaction.user.id, event).catch(() => undefined);
}

/** The event of a click in a DM, once its community is known; undefined (logged) if it cannot be. */
async function directMessageEvent(interaction: MessageComponentInteraction, options: ListenOptions, validate: Validate): Promise<CommunityEvent | undefined> {
  const { logger } = options;
  const community = await communityOfDirectMessage(options.prisma, interaction.message.id).catch((error: unknown) => {
    logger.error({ err: error }, 'could not look up the community of a DM');
    return undefined;
  });
  if (!community) {
    logger.warn({ componentId: interaction.customId }, 'a click in a DM the bot has no record of was ignored');
    return undefined;
  }
  return validate('INTERACTION_CREATE (component)', () => componentUsed(interaction, { community }));
}

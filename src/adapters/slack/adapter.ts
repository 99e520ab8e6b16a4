import type { AddressInfo } from 'node:net';
import type { App, BlockAction, Context } from '@slack/bolt';
import { commandFromSlackText } from '../../commands/index.js';
import type { ConfigStore } from '../../config/index.js';
import { CommunityEventSchema, type Action, type CommunityEvent, type MemberRef } from '../../contracts/index.js';
import { KeyedSerialQueue } from '../../core/keyed-queue.js';
import type { Logger } from '../../core/logger.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { EventSink, PlatformAdapter } from '../adapter.js';
import { SentMessageStore } from '../sent-messages.js';
import { DEFAULT_RETRY_CONFIG, SlackClients } from './api/clients.js';
import { SlackDirectory } from './api/directory.js';
import { SlackActionExecutor, type Invocation } from './api/execute.js';
import { boltLogger } from './api/slack-logger.js';
import {
  normalizeBlockActions,
  normalizeChannelJoin,
  normalizeMessage,
  normalizeReaction,
  normalizeSlashCommand,
  normalizeTeamJoin,
  teamOf,
  type Envelope,
  type EventDraft,
  type Normalized,
} from './normalize/events.js';
import type { SlackConnection } from './options.js';
import { createBoltApp } from './receiver/bolt-app.js';
import { PrismaInstallationStore } from './receiver/installation-store.js';

export type SlackAdapterOptions = SlackConnection & {
  prisma: PrismaClient;
  config: ConfigStore;
  logger: Logger;
  /** How many members' last command or button press are remembered for ephemeral answers (default 10 000; the oldest is forgotten first). */
  rememberedInvokers?: number;
  /** How long a POST to a response_url may take (default 10 s). */
  responseUrlTimeoutMs?: number;
};

/** How many recent Events API ids are remembered to drop Slack's retries of deliveries already handed over. */
const RECENT_EVENT_IDS = 5000;

const REMEMBERED_INVOKERS = 10_000;

type Outcome = Normalized | { kind: 'refused'; reason: string };

/**
 * The Slack adapter (DESIGN §1): Bolt receives (HTTP or Socket Mode), `normalize/` turns
 * payloads into CommunityEvents, `api/` looks up names and roles and carries out actions
 * through the WebClient, `format/` renders the neutral message as Block Kit.
 */
export class SlackAdapter implements PlatformAdapter {
  readonly platform = 'slack' as const;
  readonly clients: SlackClients;
  readonly directory: SlackDirectory;
  readonly installations: PrismaInstallationStore;
  readonly #executor: SlackActionExecutor;
  readonly #logger: Logger;
  readonly #invocations = new Map<string, Invocation>();
  readonly #recentEventIds = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  /** One workspace's hand-overs, in the order Slack's payloads arrived (DESIGN §1: per-community order). */
  readonly #handOvers = new KeyedSerialQueue();
  #app: App | undefined;
  #address: AddressInfo | undefined;

  constructor(private readonly options: SlackAdapterOptions) {
    this.#logger = options.logger.child({ adapter: 'slack' });
    this.installations = new PrismaInstallationStore(options.prisma);
    this.clients = new SlackClients({
      auth: options.auth,
      ...(options.apiUrl && { apiUrl: options.apiUrl }),
      retryConfig: options.retryConfig ?? DEFAULT_RETRY_CONFIG,
      logger: boltLogger(this.#logger),
      installations: this.installations,
    });
    this.directory = new SlackDirectory(this.clients, options.config);
    this.#executor = new SlackActionExecutor({
      clients: this.clients,
      directory: this.directory,
      config: options.config,
      prisma: options.prisma,
      sent: new SentMessageStore(options.prisma, 'slack'),
      logger: this.#logger,
      lastInvocation: (team, member) => this.#invocations.get(`${team}:${member}`),
      ...(options.responseUrlTimeoutMs !== undefined && { responseUrlTimeoutMs: options.responseUrlTimeoutMs }),
    });
  }

  /** Which receiver this adapter starts: Bolt's HTTP receiver or Socket Mode. */
  get receiverKind(): 'http' | 'socket' {
    return this.options.receiver.kind;
  }

  /** Where the HTTP receiver listens, once started. */
  get address(): AddressInfo | undefined {
    return this.#address;
  }

  execute(actions: readonly Action[]): Promise<void> {
    return this.#executor.execute(actions);
  }

  async start(sink: EventSink): Promise<void> {
    if (this.#app) throw new Error('the Slack adapter is already started');
    const app = createBoltApp({
      connection: this.options,
      clientOptions: this.clients.webClientOptions,
      logger: boltLogger(this.#logger),
      installationStore: this.installations,
    });
    this.#listen(app, sink);
    await app.init();
    if (this.options.receiver.kind === 'http') {
      // An options object: Bolt's start(port, host) form throws (PLATFORM-TESTING.md).
      const server = await app.start({ port: this.options.port, host: this.options.host });
      const address = server.address();
      this.#address = address && typeof address === 'object' ? address : undefined;
    } else {
      await app.start();
    }
    this.#app = app;
    this.#logger.info({ receiver: this.options.receiver.kind, auth: this.options.auth.mode, port: this.#address?.port }, 'Slack adapter started');
  }

  async stop(): Promise<void> {
    const app = this.#app;
    this.#app = undefined;
    if (app) await app.stop();
    await Promise.allSettled([...this.#inFlight]);
  }

  #listen(app: App, sink: EventSink): void {
    app.error(async (error) => {
      this.#logger.error({ err: error }, 'Bolt could not process a Slack request');
    });
    app.event('message', ({ body, event, context }) => this.#fromEvent(sink, body, context, () => normalizeMessage(body, event)));
    app.event('reaction_added', ({ body, event, context }) => this.#fromEvent(sink, body, context, () => normalizeReaction(body, event)));
    app.event('team_join', ({ body, event, context }) => this.#fromEvent(sink, body, context, () => normalizeTeamJoin(body, event)));
    app.event('member_joined_channel', ({ body, event, context }) =>
      this.#fromEvent(sink, body, context, async () => {
        const team = teamOf(body);
        const joinChannel = team ? this.options.config.for('slack', team).slack.joinChannel : null;
        const joinChannelId = joinChannel && team ? await this.directory.channelId(team, joinChannel).catch(() => undefined) : undefined;
        return normalizeChannelJoin(body, event, joinChannelId);
      }),
    );
    app.command(/.*/, async ({ command, ack }) => {
      const normalized = normalizeSlashCommand(command, commandFromSlackText, new Date());
      if (normalized.kind === 'refused') {
        await ack({ response_type: 'ephemeral', text: normalized.reason });
        return;
      }
      // Slack's 3-second rule: acknowledge at once; the engine's answers follow as ephemeral messages.
      await ack();
      this.#noteInvocation(command.team_id, command.user_id, { channel: command.channel_id, responseUrl: command.response_url, at: Date.now() });
      if (command.channel_name && !['directmessage', 'privategroup'].includes(command.channel_name)) {
        this.directory.noteChannelName(command.team_id, command.channel_id, command.channel_name);
      }
      await this.#track(this.#handOver(sink, command.team_id, normalized, `slash command ${command.command}`));
    });
    app.action(/.*/, async ({ body, ack }) => {
      await ack();
      if (body.type !== 'block_actions') return;
      const actions = body as BlockAction;
      const channel = actions.channel?.id ?? (actions.container?.channel_id as string | undefined);
      const team = actions.team?.id ?? actions.user?.team_id;
      if (team && channel) this.#noteInvocation(team, actions.user.id, { channel, responseUrl: actions.response_url, at: Date.now() });
      // Every action's place is reserved before any is handed over: a later payload cannot slip in between.
      const handOvers = normalizeBlockActions(actions, new Date()).map((normalized) => this.#track(this.#handOver(sink, team, normalized, 'block_actions')));
      await Promise.all(handOvers);
    });
  }

  /** Where a member last used a command or a button; the least recently active members are forgotten beyond the bound. */
  #noteInvocation(team: string, member: string, invocation: Invocation): void {
    const key = `${team}:${member}`;
    // Deleted first, so that the Map's insertion order is the order of last use.
    this.#invocations.delete(key);
    this.#invocations.set(key, invocation);
    const bound = this.options.rememberedInvokers ?? REMEMBERED_INVOKERS;
    while (this.#invocations.size > bound) this.#invocations.delete(this.#invocations.keys().next().value!);
  }

  async #fromEvent(sink: EventSink, body: Envelope, context: Context, normalize: () => Normalized | Promise<Normalized>): Promise<void> {
    const team = teamOf(body);
    if (team) this.clients.rememberEnterprise(team, body.enterprise_id);
    const eventId = body.event_id;
    // A retry (X-Slack-Retry-Num) of a delivery this process already handed over is dropped here;
    // any other retry goes on, and the engine's dedupe (same event id) makes it count once.
    if (eventId && context.retryNum && this.#recentEventIds.has(eventId)) {
      this.#logger.debug({ eventId, retryNum: context.retryNum, retryReason: context.retryReason }, 'Slack retry of a delivered event dropped');
      return;
    }
    if (eventId) this.#remember(eventId);
    const normalized = (async (): Promise<Normalized> => normalize())().catch((error: unknown): Normalized => ({ kind: 'invalid', reason: error instanceof Error ? error.message : String(error) }));
    const type = (body as { event?: { type?: unknown; subtype?: unknown } }).event;
    // Only strings go into the label: a payload's object could throw when turned into one.
    const label = (value: unknown) => (typeof value === 'string' ? value : typeof value);
    const handed = this.#handOver(sink, team, normalized, type?.subtype !== undefined ? `${label(type.type)}/${label(type.subtype)}` : label(type?.type));
    await this.#track(handed.then((ok) => {
      if (!ok && eventId) this.#recentEventIds.delete(eventId);
    }));
  }

  #remember(eventId: string): void {
    this.#recentEventIds.add(eventId);
    if (this.#recentEventIds.size > RECENT_EVENT_IDS) this.#recentEventIds.delete(this.#recentEventIds.values().next().value!);
  }

  async #track(work: Promise<unknown>): Promise<void> {
    const done = work.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.add(done);
    try {
      await done;
    } finally {
      this.#inFlight.delete(done);
    }
  }

  /**
   * Normalized payload → enriched, validated CommunityEvent → the sink. Called as a payload
   * arrives, before anything is awaited: the enrichment (Web API lookups, some slow or retried)
   * starts at once, while the sink receives the workspace's events in arrival order, each
   * after the one before it was handed over. False when it was not handed over.
   */
  #handOver(sink: EventSink, team: string | undefined, normalized: Outcome | Promise<Outcome>, slackType: string): Promise<boolean> {
    const prepared = this.#prepare(normalized, slackType);
    // The next event of the workspace goes to the sink once this one was given to it, not once it
    // was handled: the sink keeps them in that order, and may handle several together.
    const given = this.#handOvers.run(team ?? '', async (): Promise<{ handled: Promise<boolean> }> => {
      const event = await prepared;
      if (event === 'dropped') return { handled: Promise.resolve(true) };
      if (event === 'failed') return { handled: Promise.resolve(false) };
      const fail = (error: unknown) => {
        this.#logger.error({ err: error, eventId: event.id, type: event.type, community: event.community }, 'a Slack event could not be handed over');
        return false;
      };
      try {
        return { handled: sink(event).then(() => true, fail) };
      } catch (error) {
        return { handled: Promise.resolve(fail(error)) };
      }
    });
    return given.then(({ handled }) => handled);
  }

  /** The CommunityEvent a payload makes, or why there is none: 'dropped' (nothing for the engine) or 'failed' (logged). */
  async #prepare(pending: Outcome | Promise<Outcome>, slackType: string): Promise<CommunityEvent | 'dropped' | 'failed'> {
    try {
      const normalized = await pending;
      if (normalized.kind === 'ignored') {
        this.#logger.debug({ slackType, reason: normalized.reason }, 'Slack payload ignored');
        return 'dropped';
      }
      if (normalized.kind !== 'event') {
        this.#logger.warn({ slackType, reason: normalized.reason }, 'Slack payload did not normalize; dropped');
        return 'dropped';
      }
      const parsed = CommunityEventSchema.safeParse(await this.#enrich(normalized.draft));
      if (!parsed.success) {
        this.#logger.warn({ slackType, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'Slack payload did not normalize; dropped');
        return 'dropped';
      }
      return parsed.data;
    } catch (error) {
      this.#logger.error({ err: error, slackType }, 'a Slack payload could not be prepared for the engine');
      return 'failed';
    }
  }

  /** Adds what needs the Web API: the acting member (name, bot, roles), the channel's and the workspace's names. */
  async #enrich(draft: EventDraft): Promise<Record<string, unknown>> {
    const team = draft.body.community;
    const [member, channelName, communityName] = await Promise.all([
      draft.actor ? this.#member(team, draft.actor.userId, draft.actor.known) : undefined,
      draft.channel ? this.directory.channelName(team, draft.channel).catch((error: unknown) => this.#lookupFailed(error, 'conversations.info', team)) : undefined,
      this.directory.teamName(team).catch((error: unknown) => this.#lookupFailed(error, 'team.info', team)),
    ]);
    return {
      ...draft.body,
      platform: 'slack',
      ...(draft.actor && member && { [draft.actor.field]: member }),
      ...(channelName && { channelName }),
      ...(communityName && { communityName }),
    };
  }

  async #member(team: string, userId: string, known: MemberRef | undefined): Promise<MemberRef> {
    if (known) return known;
    let user;
    try {
      user = await this.directory.user(team, userId);
    } catch (error) {
      // Without users.info the event still counts: the id stands for the name, and stored roles are kept.
      this.#lookupFailed(error, 'users.info', team);
      return { id: userId, name: userId };
    }
    try {
      return { id: user.id, name: user.name, bot: user.bot, roles: await this.directory.rolesOf(team, user) };
    } catch (error) {
      this.#lookupFailed(error, 'usergroups.list', team);
      return { id: user.id, name: user.name, bot: user.bot };
    }
  }

  #lookupFailed(error: unknown, method: string, team: string): undefined {
    this.#logger.warn({ err: error, method, team }, 'Slack lookup failed; the event goes on without it');
    return undefined;
  }
}


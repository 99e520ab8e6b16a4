import { Events, type Client, type REST } from 'discord.js';
import type { ConfigStore } from '../../config/index.js';
import type { Action } from '../../contracts/index.js';
import type { Logger } from '../../core/logger.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { EventSink, PlatformAdapter } from '../adapter.js';
import { DiscordActions } from './api/carry-out.js';
import { GuildDirectory } from './api/directory.js';
import { createDiscordRest } from './api/rest.js';
import { PendingInteractions } from './api/pending-interactions.js';
import { createDiscordClient } from './gateway/client.js';
import { listen } from './gateway/listen.js';

export { DISCORD_INTENTS, DISCORD_PARTIALS } from './gateway/client.js';

/** How to reach Discord: from the environment (discordOptionsFromEnv) or given by a test. */
export interface DiscordConnection {
  token: string;
  /** The application's id (DISCORD_APPLICATION_ID); interactions carry their own, so it is informational. */
  applicationId?: string;
  /** REST base including /api (discord.js appends /v10), e.g. http://127.0.0.1:8080/api; Discord's own when unset. */
  apiUrl?: string;
}

export type DiscordAdapterOptions = DiscordConnection & {
  prisma: PrismaClient;
  config: ConfigStore;
  logger: Logger;
  /** discord.js's global REST limit; leave unset in production (Discord's 50 per second). */
  restGlobalRequestsPerSecond?: number;
  /**
   * The sink only queues events (role `gateway`): a command's private answer comes later, from a
   * worker through the outbox, so its deferred reply is kept for it rather than removed when the
   * sink returns (removed after a minute if no answer came).
   */
  repliesArriveLater?: boolean;
};

/** The Discord connection from DISCORD_TOKEN, DISCORD_APPLICATION_ID and DISCORD_API_URL; undefined without a token. */
export function discordOptionsFromEnv(env: NodeJS.ProcessEnv): DiscordConnection | undefined {
  const token = env.DISCORD_TOKEN?.trim();
  if (!token) return undefined;
  const apiUrl = env.DISCORD_API_URL?.trim();
  if (apiUrl) {
    let parsed: URL;
    try {
      parsed = new URL(apiUrl);
    } catch {
      throw new Error(`DISCORD_API_URL is not a URL: "${apiUrl}" (expected e.g. http://127.0.0.1:8080/api)`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`DISCORD_API_URL must be an http(s) URL, got "${apiUrl}"`);
  }
  const applicationId = env.DISCORD_APPLICATION_ID?.trim();
  return { token, ...(applicationId && { applicationId }), ...(apiUrl && { apiUrl: apiUrl.replace(/\/+$/, '') }) };
}

/** The Discord adapter: a PlatformAdapter whose API client is released by `dispose`. */
export type DiscordAdapter = PlatformAdapter & { dispose(): Promise<void> };

/**
 * The Discord adapter: the gateway (discord.js) turns guild events and interactions into
 * CommunityEvents; actions go out through discord.js's REST client. One process serves any
 * number of guilds; the community of an event or action is its guild id.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  return new DiscordPlatformAdapter(options);
}

class DiscordPlatformAdapter implements DiscordAdapter {
  readonly platform = 'discord' as const;
  /**
   * Carries out actions. Apart from the gateway client, so that actions still go out after `stop`
   * closed the gateway (events in flight, the outboxes and jobs the runtime stops later), until
   * `dispose`; a worker process never opens the gateway at all.
   */
  readonly #rest: REST;
  readonly #actions: DiscordActions;
  readonly #interactions = new PendingInteractions();
  readonly #inFlight = new Set<Promise<void>>();
  /** The gateway connection, from `start` on. */
  #client: Client | undefined;
  #stopListening: (() => void) | undefined;
  #disposed = false;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.#rest = createDiscordRest(options).setToken(options.token);
    // The route names the endpoint with ids and tokens generalized (/webhooks/:id/:token).
    this.#rest.on('rateLimited', (info) => options.logger.debug({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'Discord rate limit: waiting'));
    this.#actions = new DiscordActions({
      rest: this.#rest,
      prisma: options.prisma,
      config: options.config,
      logger: options.logger,
      directory: new GuildDirectory(this.#rest),
      interactions: this.#interactions,
    });
  }

  async start(sink: EventSink): Promise<void> {
    if (this.#client) throw new Error('the Discord adapter is already started');
    if (this.#disposed) throw new Error('the Discord adapter has been disposed');
    const { logger } = this.options;
    const client = createDiscordClient(this.options);
    this.#client = client;
    const onError = (error: Error) => logger.error({ err: error }, 'discord.js error');
    const onWarn = (message: string) => logger.warn({ message }, 'discord.js warning');
    const onShardError = (error: Error, shard: number) => logger.warn({ err: error, shard }, 'Discord gateway connection error; discord.js reconnects');
    const onShardResume = (shard: number, replayed: number) => logger.info({ shard, replayed }, 'Discord gateway session resumed');
    client.on(Events.Error, onError).on(Events.Warn, onWarn).on(Events.ShardError, onShardError).on(Events.ShardResume, onShardResume);
    const stopListening = listen({
      client,
      sink,
      logger,
      prisma: this.options.prisma,
      config: this.options.config,
      interactions: this.#interactions,
      repliesArriveLater: this.options.repliesArriveLater ?? false,
      track: (work) => {
        this.#inFlight.add(work);
        void work.finally(() => this.#inFlight.delete(work));
      },
    });
    this.#stopListening = () => {
      stopListening();
      client.off(Events.Error, onError).off(Events.Warn, onWarn).off(Events.ShardError, onShardError).off(Events.ShardResume, onShardResume);
    };
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(this.options.token);
    await ready;
    logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
  }

  /**
   * Stops taking events: the listeners are removed and the gateway closed (discord.js's client
   * destroyed; the interactions in flight answer through webhooks, which need no bot token).
   * Then waits for the events in flight. `execute` goes on working until `dispose`.
   */
  async stop(): Promise<void> {
    this.#stopListening?.();
    this.#stopListening = undefined;
    await this.#client?.destroy();
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
  }

  /** Releases the REST client for good, last, once the outboxes and jobs have stopped; `execute` refuses afterwards. */
  async dispose(): Promise<void> {
    await this.stop();
    this.#disposed = true;
    this.#rest.clearHashSweeper();
    this.#rest.clearHandlerSweeper();
  }

  execute(actions: readonly Action[]): Promise<void> {
    if (this.#disposed) return Promise.reject(new Error(`the Discord adapter has been disposed; ${actions.length} action(s) not carried out`));
    return this.#actions.execute(actions);
  }
}

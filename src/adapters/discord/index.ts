import { Events, type Client } from 'discord.js';
import type { ConfigStore } from '../../config/index.js';
import type { Action } from '../../contracts/index.js';
import type { Logger } from '../../core/logger.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { EventSink, PlatformAdapter } from '../adapter.js';
import { DiscordActions } from './api/carry-out.js';
import { GuildDirectory } from './api/directory.js';
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

/**
 * The Discord adapter: the gateway (discord.js) turns guild events and interactions into
 * CommunityEvents; actions go out through discord.js's REST client. One process serves any
 * number of guilds; the community of an event or action is its guild id.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions): PlatformAdapter {
  return new DiscordAdapter(options);
}

class DiscordAdapter implements PlatformAdapter {
  readonly platform = 'discord' as const;
  readonly #client: Client;
  readonly #actions: DiscordActions;
  readonly #interactions = new PendingInteractions();
  readonly #inFlight = new Set<Promise<void>>();
  #started = false;

  constructor(private readonly options: DiscordAdapterOptions) {
    this.#client = createDiscordClient({
      ...(options.apiUrl && { apiUrl: options.apiUrl }),
      ...(options.restGlobalRequestsPerSecond && { restGlobalRequestsPerSecond: options.restGlobalRequestsPerSecond }),
    });
    // REST works without the gateway: a worker process only carries out actions.
    this.#client.rest.setToken(options.token);
    this.#actions = new DiscordActions({
      rest: this.#client.rest,
      prisma: options.prisma,
      config: options.config,
      logger: options.logger,
      directory: new GuildDirectory(this.#client.rest),
      interactions: this.#interactions,
    });
  }

  async start(sink: EventSink): Promise<void> {
    if (this.#started) throw new Error('the Discord adapter is already started');
    this.#started = true;
    const { logger } = this.options;
    const client = this.#client;
    client.on(Events.Error, (error) => logger.error({ err: error }, 'discord.js error'));
    client.on(Events.Warn, (message) => logger.warn({ message }, 'discord.js warning'));
    client.on(Events.ShardError, (error, shard) => logger.warn({ err: error, shard }, 'Discord gateway connection error; discord.js reconnects'));
    client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'Discord gateway session resumed'));
    client.rest.on('rateLimited', (info) => logger.debug({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'Discord rate limit: waiting'));
    listen({
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
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(this.options.token);
    await ready;
    logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
  }

  async stop(): Promise<void> {
    await this.#client.destroy();
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
  }

  execute(actions: readonly Action[]): Promise<void> {
    return this.#actions.execute(actions);
  }
}

import { webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { SlackAuth } from '../options.js';
import type { PrismaInstallationStore } from '../receiver/installation-store.js';

/**
 * Five retries over about half a minute (1, 2, 4, 8, 16 s): enough for Slack's brief 5xx
 * hiccups, short enough that an action fails visibly (and is reported) rather than hanging
 * for the WebClient's default half hour. Rate limits (429) wait their Retry-After on top.
 */
export const DEFAULT_RETRY_CONFIG: webApi.RetryOptions = { retries: 5, factor: 2, minTimeout: 1000, maxTimeout: 16_000, randomize: true };

export interface TeamClients {
  /** The workspace's bot token client. */
  bot: webApi.WebClient;
  /** A user token client (an admin's), when one is configured: Slack lets only users delete others' messages. */
  user?: webApi.WebClient;
}

export interface SlackClientsOptions {
  auth: SlackAuth;
  apiUrl?: string;
  retryConfig: webApi.RetryOptions;
  logger: BoltLogger;
  installations?: PrismaInstallationStore;
}

/** WebClients per workspace: the one bot token, or each installation's tokens (OAuth). */
export class SlackClients {
  readonly #byToken = new Map<string, webApi.WebClient>();
  /** Enterprise of each workspace seen in events: an organization-wide install serves them. */
  readonly #enterpriseOf = new Map<string, string>();

  constructor(private readonly options: SlackClientsOptions) {}

  get webClientOptions(): webApi.WebClientOptions {
    return {
      ...(this.options.apiUrl && { slackApiUrl: this.options.apiUrl }),
      retryConfig: this.options.retryConfig,
      logger: this.options.logger,
    };
  }

  rememberEnterprise(teamId: string, enterpriseId: string | undefined): void {
    if (enterpriseId) this.#enterpriseOf.set(teamId, enterpriseId);
  }

  client(token: string): webApi.WebClient {
    let client = this.#byToken.get(token);
    if (!client) {
      client = new webApi.WebClient(token, this.webClientOptions);
      this.#byToken.set(token, client);
    }
    return client;
  }

  async forTeam(teamId: string): Promise<TeamClients> {
    const { auth } = this.options;
    if (auth.mode === 'token') return { bot: this.client(auth.botToken), ...(auth.userToken && { user: this.client(auth.userToken) }) };
    const installation = await this.options.installations!.forTeam(teamId, this.#enterpriseOf.get(teamId));
    const botToken = installation?.bot?.token;
    if (!botToken) throw new Error(`the Slack app is not installed in workspace ${teamId} (no bot token stored)`);
    const userToken = installation.user?.token;
    return { bot: this.client(botToken), ...(userToken && { user: this.client(userToken) }) };
  }
}

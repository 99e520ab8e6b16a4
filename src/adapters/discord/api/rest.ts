import { REST, type RESTOptions } from 'discord.js';

export interface DiscordRestSettings {
  /** REST base with /api (discord.js adds /v10); Discord's when unset. */
  apiUrl?: string;
  /** discord.js's global REST limit; Discord allows 50 per second, the default. */
  restGlobalRequestsPerSecond?: number;
}

/** The REST options the adapter's action client and discord.js's gateway client share. */
export function discordRestOptions(settings: DiscordRestSettings): Partial<RESTOptions> {
  return {
    ...(settings.apiUrl && { api: settings.apiUrl }),
    ...(settings.restGlobalRequestsPerSecond && { globalRequestsPerSecond: settings.restGlobalRequestsPerSecond }),
  };
}

/**
 * The REST client that carries out actions (discord.js's: per-bucket queues, 429s waited out,
 * 5xx retried). Without a token until `setToken`.
 */
export function createDiscordRest(settings: DiscordRestSettings): REST {
  return new REST(discordRestOptions(settings));
}

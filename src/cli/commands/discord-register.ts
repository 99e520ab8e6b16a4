import { DiscordAPIError, HTTPError, REST } from 'discord.js';
import { syncDiscordCommands, type DiscordSyncResult } from '../../commands/discord-sync.js';
import { RuntimeFailure, UsageError } from '../errors.js';

export interface DiscordRegisterOptions {
  guild?: string;
  dryRun?: boolean;
}

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new UsageError(`${name} is not set: guyub discord register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID`);
  return value;
}

/** "created 2, updated 1, deleted 0, unchanged 21", with the changed names before it. */
export function describeSync(result: DiscordSyncResult, dryRun: boolean): string {
  const lines = [
    ...result.created.map((name) => `${dryRun ? 'would create' : 'created'} /${name}`),
    ...result.updated.map((name) => `${dryRun ? 'would update' : 'updated'} /${name}`),
    ...result.deleted.map((name) => `${dryRun ? 'would delete' : 'deleted'} /${name}`),
  ];
  const counts = `created ${result.created.length}, updated ${result.updated.length}, deleted ${result.deleted.length}, unchanged ${result.unchanged.length}`;
  return [...lines, dryRun ? `dry run, nothing changed: would have ${counts}` : counts].join('\n');
}

/**
 * `guyub discord register [--guild <id>] [--dry-run]`: makes the application's slash commands
 * (global, or one guild's) match src/commands/definitions.ts, changing only what differs.
 */
export async function discordRegisterCommand(options: DiscordRegisterOptions): Promise<number> {
  const token = required('DISCORD_TOKEN');
  const applicationId = required('DISCORD_APPLICATION_ID');
  if (options.guild !== undefined && !/^\d{1,20}$/.test(options.guild)) throw new UsageError(`--guild must be a guild id (digits), got "${options.guild}"`);
  const api = process.env.DISCORD_API_URL?.trim() || undefined;
  const rest = new REST({ ...(api && { api }) }).setToken(token);
  try {
    const result = await syncDiscordCommands(rest, { applicationId, guildId: options.guild, dryRun: options.dryRun });
    process.stdout.write(`${describeSync(result, options.dryRun ?? false)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DiscordAPIError || error instanceof HTTPError) {
      throw new RuntimeFailure(`Discord answered ${error.status} to ${error.method} ${error.url}: ${error.message} (check DISCORD_TOKEN and DISCORD_APPLICATION_ID)`);
    }
    throw new RuntimeFailure(`cannot reach Discord at ${api ?? 'https://discord.com/api'}: ${(error as Error).message}`);
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

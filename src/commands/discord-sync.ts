import { ApplicationCommandType, Routes, type APIApplicationCommand, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { COMMAND_DEFINITIONS, type CommandDefinition } from './definitions.js';
import { discordCommands } from './discord.js';

type CommandBody = RESTPostAPIChatInputApplicationCommandsJSONBody;

export interface DiscordSyncOptions {
  applicationId: string;
  /** A guild's own commands (they appear at once; global ones can take a while to spread). */
  guildId?: string;
  /** Compare and report, change nothing. */
  dryRun?: boolean;
  definitions?: readonly CommandDefinition[];
}

/** Command names by what happened to them (or would, in a dry run). */
export interface DiscordSyncResult {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
}

/** Keys whose absent value Discord reports as this default, so "absent" and "default" compare equal. */
const DEFAULTS: Record<string, unknown> = { required: false, autocomplete: false, nsfw: false };
/** Fields Discord adds that say nothing about the command's shape, and those guild commands do not have. */
const IGNORED = new Set(['id', 'application_id', 'guild_id', 'version', 'dm_permission', 'name_localized', 'description_localized', 'handler']);
const GUILD_IGNORED = new Set(['contexts', 'integration_types']);

/**
 * A command's shape as a stable string: ids, versions and localized echoes dropped, the
 * defaults Discord fills in treated as absent, empty lists and localizations as absent, keys
 * sorted. Two commands with the same shape need no update.
 */
export function normalizedCommand(command: unknown, scope: 'global' | 'guild'): string {
  const normalize = (value: unknown, depth: number, parentKey = ''): unknown => {
    if (Array.isArray(value)) return value.length ? value.map((v) => normalize(v, depth + 1)) : undefined;
    if (value === null || typeof value !== 'object') return value;
    // In a localization map the keys are locales, and `id` is Indonesian, not an id.
    const localizations = parentKey.endsWith('_localizations');
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => localizations || (!IGNORED.has(key) && !(depth === 0 && scope === 'guild' && GUILD_IGNORED.has(key))))
      .map(([key, v]) => [key, normalize(v, depth + 1, key)] as const)
      .filter(([key, v]) => v !== undefined && v !== null && !(key in DEFAULTS && DEFAULTS[key] === v))
      // A command's type (an option's type always matters) defaults to chat input.
      .filter(([key, v]) => !(depth === 0 && key === 'type' && v === ApplicationCommandType.ChatInput))
      .filter(([, v]) => !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0))
      .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries);
  };
  return JSON.stringify(normalize(command, 0));
}

/** Guild commands take no contexts or installation types (they exist in that guild only). */
function bodyFor(command: CommandBody, scope: 'global' | 'guild'): CommandBody {
  if (scope === 'global') return command;
  const { contexts: _contexts, integration_types: _types, ...body } = command;
  return body;
}

/**
 * Makes the application's registered chat-input commands (global, or a guild's) match the
 * definitions, changing only what differs: POST the new, PATCH the changed, DELETE those no
 * longer defined. Rate limits and retries are @discordjs/rest's. Other kinds of command
 * (context menus, an activity's entry point) are left alone.
 */
export async function syncDiscordCommands(rest: REST, options: DiscordSyncOptions): Promise<DiscordSyncResult> {
  const scope = options.guildId ? 'guild' : 'global';
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  const itemRoute = (id: string) => (options.guildId ? Routes.applicationGuildCommand(options.applicationId, options.guildId, id) : Routes.applicationCommand(options.applicationId, id));
  const registered = ((await rest.get(route, { query: new URLSearchParams({ with_localizations: 'true' }) })) as APIApplicationCommand[]).filter(
    (c) => (c.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput,
  );
  const wanted = discordCommands(options.definitions ?? COMMAND_DEFINITIONS).map((c) => bodyFor(c, scope));
  const result: DiscordSyncResult = { created: [], updated: [], deleted: [], unchanged: [] };
  for (const body of wanted) {
    const existing = registered.find((c) => c.name === body.name);
    if (!existing) {
      if (!options.dryRun) await rest.post(route, { body });
      result.created.push(body.name);
    } else if (normalizedCommand(existing, scope) !== normalizedCommand(body, scope)) {
      if (!options.dryRun) await rest.patch(itemRoute(existing.id), { body });
      result.updated.push(body.name);
    } else result.unchanged.push(body.name);
  }
  for (const stale of registered.filter((c) => !wanted.some((w) => w.name === c.name))) {
    if (!options.dryRun) await rest.delete(itemRoute(stale.id));
    result.deleted.push(stale.name);
  }
  return result;
}

import { Routes, type APIGuildChannel, type APIRole, type GuildChannelType, type REST } from 'discord.js';
import { isSnowflake } from '../format/text.js';

/** How long a guild's channel and role lists are trusted before they are fetched again. */
const TTL_MS = 60_000;
/** A name that is not in a list older than this fetches the list again (a channel created just now). */
const REFRESH_ON_MISS_AFTER_MS = 5_000;

interface Cached<T> {
  fetchedAt: number;
  items: Promise<T[]>;
}

/**
 * Channel and role names → ids for each guild, from REST (GET /guilds/:id/channels and
 * /roles) and cached briefly, so a worker process without a gateway resolves names too.
 * Names match exactly first, then ignoring case (configuration names are lower-case).
 */
export class GuildDirectory {
  readonly #channels = new Map<string, Cached<APIGuildChannel<GuildChannelType>>>();
  readonly #roles = new Map<string, Cached<APIRole>>();

  constructor(
    private readonly rest: REST,
    private readonly now: () => number = Date.now,
  ) {}

  channels(guild: string, fresh = false): Promise<APIGuildChannel<GuildChannelType>[]> {
    return this.#list(this.#channels, guild, fresh, () => this.rest.get(Routes.guildChannels(guild)) as Promise<APIGuildChannel<GuildChannelType>[]>);
  }

  roles(guild: string, fresh = false): Promise<APIRole[]> {
    return this.#list(this.#roles, guild, fresh, () => this.rest.get(Routes.guildRoles(guild)) as Promise<APIRole[]>);
  }

  /** The id of a channel given by id or by name (with or without `#`); undefined when no channel has that name. */
  async findChannelId(guild: string, nameOrId: string): Promise<string | undefined> {
    if (isSnowflake(nameOrId)) return nameOrId;
    const name = nameOrId.replace(/^#/, '');
    return (await this.#find(this.#channels, guild, (fresh) => this.channels(guild, fresh), (c) => c.name, name))?.id;
  }

  async channelId(guild: string, nameOrId: string): Promise<string> {
    const id = await this.findChannelId(guild, nameOrId);
    if (!id) throw new Error(`no channel named "${nameOrId}" in Discord guild ${guild}`);
    return id;
  }

  async findRoleId(guild: string, nameOrId: string): Promise<string | undefined> {
    if (isSnowflake(nameOrId)) return nameOrId;
    return (await this.#find(this.#roles, guild, (fresh) => this.roles(guild, fresh), (r) => r.name, nameOrId))?.id;
  }

  async roleId(guild: string, nameOrId: string): Promise<string> {
    const id = await this.findRoleId(guild, nameOrId);
    if (!id) throw new Error(`no role named "${nameOrId}" in Discord guild ${guild}`);
    return id;
  }

  async #find<T>(cache: Map<string, Cached<T>>, guild: string, list: (fresh: boolean) => Promise<T[]>, nameOf: (item: T) => string, name: string): Promise<T | undefined> {
    const match = (items: T[]) => items.find((item) => nameOf(item) === name) ?? items.find((item) => nameOf(item).toLowerCase() === name.toLowerCase());
    const found = match(await list(false));
    if (found) return found;
    const age = this.now() - (cache.get(guild)?.fetchedAt ?? 0);
    return age > REFRESH_ON_MISS_AFTER_MS ? match(await list(true)) : undefined;
  }

  #list<T>(cache: Map<string, Cached<T>>, guild: string, fresh: boolean, fetch: () => Promise<T[]>): Promise<T[]> {
    const cached = cache.get(guild);
    if (cached && !fresh && this.now() - cached.fetchedAt < TTL_MS) return cached.items;
    const items = fetch();
    const entry = { fetchedAt: this.now(), items };
    cache.set(guild, entry);
    // A failed fetch is not kept: the next lookup asks again.
    items.catch(() => {
      if (cache.get(guild) === entry) cache.delete(guild);
    });
    return items;
  }
}

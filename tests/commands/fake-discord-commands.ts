import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIApplicationCommand, APIApplicationCommandOption } from 'discord.js';

/** One request the fake received. */
export interface RecordedCall {
  method: string;
  path: string;
  body?: unknown;
}

/**
 * A small fake of Discord's application command endpoints (/api/v10/applications/:app/commands
 * and /guilds/:guild/commands, GET, POST, PATCH, DELETE) on 127.0.0.1. It answers like Discord:
 * stored commands gain ids, versions and the defaults Discord fills in; without
 * `with_localizations=true` a GET gives localized strings instead of the localization maps; a
 * token other than the expected one gets 401; a body breaking Discord's basic rules gets 400.
 */
export class FakeDiscordCommands {
  readonly calls: RecordedCall[] = [];
  /** Commands by scope: 'global' or a guild id. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  #server: Server;
  #nextId = 1_000_000_000_000_000_000n;

  constructor(readonly options: { applicationId: string; token: string }) {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/api`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.#server.close((error) => (error ? reject(error) : resolve())));
  }

  /** The calls that changed something. */
  writes(): RecordedCall[] {
    return this.calls.filter((c) => c.method !== 'GET');
  }

  list(scope = 'global'): APIApplicationCommand[] {
    return this.commands.get(scope) ?? [];
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    this.calls.push({ method: req.method ?? '', path: url.pathname, ...(body && { body }) });
    const send = (status: number, payload?: unknown) => {
      res.writeHead(status, payload === undefined ? {} : { 'content-type': 'application/json' });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    if (req.headers.authorization !== `Bot ${this.options.token}`) return send(401, { message: '401: Unauthorized', code: 0 });
    const match = /^\/api\/v10\/applications\/([^/]+)(?:\/guilds\/([^/]+))?\/commands(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match || match[1] !== this.options.applicationId) return send(404, { message: 'Unknown Application', code: 10002 });
    const guildId = match[2];
    const scope = guildId ?? 'global';
    const list = this.list(scope);
    const id = match[3];
    if (req.method === 'GET' && !id) return send(200, list.map((c) => this.#view(c, url.searchParams.get('with_localizations') === 'true')));
    if (req.method === 'POST' && !id) {
      const problem = this.#problem(body, guildId !== undefined);
      if (problem) return send(400, { message: 'Invalid Form Body', code: 50035, errors: { _errors: [{ code: 'BASE_TYPE_INVALID', message: problem }] } });
      if (list.some((c) => c.name === body!.name)) return send(400, { message: 'Invalid Form Body', code: 50035, errors: { name: { _errors: [{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'duplicate name' }] } } });
      const stored = this.#stored(body!, guildId);
      this.commands.set(scope, [...list, stored]);
      return send(201, this.#view(stored, true));
    }
    const existing = list.find((c) => c.id === id);
    if (!existing) return send(404, { message: 'Unknown application command', code: 10063 });
    if (req.method === 'PATCH') {
      const merged = { ...existing, ...body };
      const problem = this.#problem(merged, guildId !== undefined);
      if (problem) return send(400, { message: 'Invalid Form Body', code: 50035, errors: { _errors: [{ code: 'BASE_TYPE_INVALID', message: problem }] } });
      const stored = { ...this.#stored(merged, guildId), id: existing.id };
      this.commands.set(scope, list.map((c) => (c.id === id ? stored : c)));
      return send(200, this.#view(stored, true));
    }
    if (req.method === 'DELETE') {
      this.commands.set(scope, list.filter((c) => c.id !== id));
      return send(204);
    }
    return send(405, { message: '405: Method Not Allowed', code: 0 });
  }

  /** What Discord stores: ids, a version, and the defaults it fills in (null maps, `required` dropped when false). */
  #stored(body: Record<string, unknown>, guildId: string | undefined): APIApplicationCommand {
    const option = (o: APIApplicationCommandOption): APIApplicationCommandOption => {
      const { required, ...rest } = o as APIApplicationCommandOption & { required?: boolean; options?: APIApplicationCommandOption[] };
      const nested = (rest as { options?: APIApplicationCommandOption[] }).options;
      return {
        ...rest,
        name_localizations: (rest as { name_localizations?: unknown }).name_localizations ?? null,
        ...(required && { required: true }),
        ...(nested && { options: nested.map(option) }),
      } as APIApplicationCommandOption;
    };
    this.#nextId += 1n;
    return {
      type: 1,
      nsfw: false,
      default_member_permissions: null,
      dm_permission: true,
      name_localizations: null,
      description_localizations: null,
      integration_types: [0],
      contexts: guildId ? null : [0, 1, 2],
      ...body,
      ...(Array.isArray(body.options) && { options: (body.options as APIApplicationCommandOption[]).map(option) }),
      id: String(this.#nextId),
      application_id: this.options.applicationId,
      version: randomUUID(),
      ...(guildId && { guild_id: guildId }),
    } as APIApplicationCommand;
  }

  /** A GET without with_localizations gives the strings in the request's locale instead of the maps. */
  #view(command: APIApplicationCommand, withLocalizations: boolean): unknown {
    if (withLocalizations) return command;
    const strip = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(strip);
      if (value === null || typeof value !== 'object') return value;
      const entries = Object.entries(value).filter(([k]) => k !== 'name_localizations' && k !== 'description_localizations');
      return Object.fromEntries(entries.map(([k, v]) => [k, strip(v)]));
    };
    return strip(command);
  }

  /** Discord's basic rules for a chat-input command, or undefined when the body keeps them. */
  #problem(body: Record<string, unknown> | undefined, guild: boolean): string | undefined {
    if (!body) return 'no body';
    if (guild && ('contexts' in body || 'integration_types' in body) && body.contexts !== null && body.contexts !== undefined) return 'guild commands take no contexts';
    const check = (node: Record<string, unknown>, depth: number): string | undefined => {
      if (typeof node.name !== 'string' || !/^[-_\p{L}\p{N}]{1,32}$/u.test(node.name) || node.name !== node.name.toLowerCase()) return `bad name ${String(node.name)}`;
      if (typeof node.description !== 'string' || node.description.length < 1 || node.description.length > 100) return `bad description of ${node.name}`;
      const options = (node.options ?? []) as Record<string, unknown>[];
      if (options.length > 25) return `more than 25 options in ${node.name}`;
      let optionalSeen = false;
      for (const o of options) {
        if (o.type !== 1 && o.type !== 2) {
          if (o.required && optionalSeen) return `required option ${String(o.name)} after an optional one in ${node.name}`;
          if (!o.required) optionalSeen = true;
        }
        const nested = check(o, depth + 1);
        if (nested) return nested;
      }
      return undefined;
    };
    return check(body, 0);
  }
}

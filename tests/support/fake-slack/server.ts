import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake received it. */
export interface RecordedCall {
  method: string;
  /** Form fields (JSON strings such as `blocks` parsed back) or the JSON body. */
  args: Record<string, unknown>;
  /** The bearer token (or the `token` argument). */
  token: string | undefined;
}

export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  deleted?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  team: string;
  members: string[];
  is_general?: boolean;
  is_im?: boolean;
}

export interface FakeUserGroup {
  id: string;
  team: string;
  handle: string;
  users: string[];
}

export interface FakeTeam {
  id: string;
  name: string;
  botToken: string;
  botUserId: string;
  botId: string;
}

type Fault = { kind: 'http'; status: number; retryAfter?: number; times: number } | { kind: 'error'; error: string; times: number };

type Delay = { ms: number; when: (args: Record<string, unknown>) => boolean; times: number };

/** Slack's answers are JSON with `ok`. */
type Answer = Record<string, unknown>;

/**
 * A fake Slack on 127.0.0.1 (port 0): the Web API at POST /api/<method> (form-encoded or
 * JSON, as the WebClient sends it), file upload URLs, response_url endpoints and the OAuth
 * token exchange. It keeps a small workspace model (teams, users, channels, user groups,
 * messages) and records every call with its method, arguments and token. Faults can be
 * armed per method: an HTTP status (429 with Retry-After, 500) or a Slack error, N times;
 * and answers can be delayed (a slow users.info, a response_url that hangs).
 */
export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly teams = new Map<string, FakeTeam>();
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly userGroups = new Map<string, FakeUserGroup>();
  readonly messages = new Map<string, { channel: string; ts: string; text: string; blocks?: unknown; thread_ts?: string; user: string }>();
  readonly uploads: { fileId: string; filename: string; bytes: Buffer }[] = [];
  /** OAuth codes that oauth.v2.access accepts: code → the team it installs. */
  readonly oauthCodes = new Map<string, string>();
  readonly #faults = new Map<string, Fault[]>();
  readonly #delays = new Map<string, Delay[]>();
  /** Delayed answers still waiting: closing the fake ends them at once. */
  readonly #waiting = new Set<() => void>();
  readonly #waiters = new Set<() => void>();
  #server: Server | undefined;
  #ts = 1_800_000_000;
  #ids = 0;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    for (const finish of [...this.#waiting]) finish();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addTeam(team: FakeTeam): FakeTeam {
    this.teams.set(team.id, team);
    this.users.set(team.botUserId, { id: team.botUserId, team_id: team.id, name: 'guyub', is_bot: true, profile: { display_name: 'guyub' } });
    return team;
  }

  addUser(user: FakeUser): FakeUser {
    this.users.set(user.id, user);
    return user;
  }

  addChannel(channel: FakeChannel): FakeChannel {
    this.channels.set(channel.id, channel);
    return channel;
  }

  addUserGroup(group: FakeUserGroup): FakeUserGroup {
    this.userGroups.set(group.id, group);
    return group;
  }

  /** The next `times` calls of `method` fail with an HTTP status (429 carries Retry-After) or a Slack error code. */
  fail(method: string, fault: { status: number; retryAfter?: number; times?: number } | { error: string; times?: number }): void {
    const list = this.#faults.get(method) ?? [];
    list.push('error' in fault ? { kind: 'error', error: fault.error, times: fault.times ?? 1 } : { kind: 'http', status: fault.status, ...(fault.retryAfter !== undefined && { retryAfter: fault.retryAfter }), times: fault.times ?? 1 });
    this.#faults.set(method, list);
  }

  /**
   * The next `times` (default: every) calls of `method` (a Web API method, or `response_url`)
   * whose arguments satisfy `when` are recorded at once but answered `ms` later.
   */
  delay(method: string, delay: { ms: number; when?: (args: Record<string, unknown>) => boolean; times?: number }): void {
    const list = this.#delays.get(method) ?? [];
    list.push({ ms: delay.ms, when: delay.when ?? (() => true), times: delay.times ?? Infinity });
    this.#delays.set(method, list);
  }

  async #delayed(method: string, args: Record<string, unknown>): Promise<void> {
    const list = this.#delays.get(method);
    const delay = list?.find((d) => d.times > 0 && d.when(args));
    if (!delay) return;
    delay.times -= 1;
    await new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.#waiting.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, delay.ms);
      this.#waiting.add(finish);
    });
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves once `predicate` holds over the recorded calls (checked on every new call), or rejects after `timeoutMs`. */
  async waitFor<T>(predicate: (calls: RecordedCall[]) => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = predicate(this.calls);
      if (result) return result;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake Slack: waited ${timeoutMs} ms; calls so far: ${this.calls.map((c) => c.method).join(', ') || 'none'}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 200));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(done);
      });
    }
  }

  /** Waits for the first call of `method` whose arguments satisfy `match`. */
  waitForCall(method: string, match: (args: Record<string, unknown>) => boolean = () => true, timeoutMs?: number): Promise<RecordedCall> {
    return this.waitFor((calls) => calls.find((call) => call.method === method && match(call.args)), timeoutMs);
  }

  #record(call: RecordedCall): void {
    this.calls.push(call);
    for (const wake of [...this.#waiters]) {
      this.#waiters.delete(wake);
      wake();
    }
  }

  #nextTs(): string {
    this.#ts += 1;
    return `${this.#ts}.${String(++this.#ids).padStart(6, '0')}`;
  }

  #id(prefix: string): string {
    return `${prefix}${String(++this.#ids).padStart(8, '0')}`;
  }

  #teamOfToken(token: string | undefined): FakeTeam | undefined {
    return [...this.teams.values()].find((team) => team.botToken === token);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const contentType = req.headers['content-type'] ?? '';

    if (url.pathname.startsWith('/upload/')) {
      const fileId = url.pathname.slice('/upload/'.length);
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      const file = [...form.values()].find((value) => typeof value !== 'string') as Blob | undefined;
      const bytes = file ? Buffer.from(await file.arrayBuffer()) : raw;
      const pending = this.uploads.find((u) => u.fileId === fileId);
      if (pending) pending.bytes = bytes;
      this.#record({ method: 'upload', args: { fileId, bytes: bytes.length }, token: bearer(req) });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${bytes.length}`);
      return;
    }
    if (url.pathname.startsWith('/response/')) {
      const args = { id: url.pathname.slice('/response/'.length), ...(JSON.parse(raw.toString() || '{}') as object) };
      this.#record({ method: 'response_url', args, token: undefined });
      await this.#delayed('response_url', args);
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404);
      res.end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(raw.toString('utf8'), contentType);
    const token = bearer(req) ?? (typeof args.token === 'string' ? args.token : undefined);
    this.#record({ method, args, token });
    await this.#delayed(method, args);
    if (res.destroyed) return;

    const faults = this.#faults.get(method);
    const fault = faults?.[0];
    if (fault) {
      fault.times -= 1;
      if (fault.times <= 0) faults!.shift();
      if (fault.kind === 'http') {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter !== undefined && { 'retry-after': String(fault.retryAfter) }) });
        res.end(JSON.stringify({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }));
        return;
      }
      return json(res, { ok: false, error: fault.error });
    }
    json(res, this.#answer(method, args, token));
  }

  #answer(method: string, args: Record<string, unknown>, token: string | undefined): Answer {
    const team = this.#teamOfToken(token);
    const str = (key: string): string => (typeof args[key] === 'string' ? (args[key] as string) : String(args[key] ?? ''));
    if (method === 'oauth.v2.access') {
      const teamId = this.oauthCodes.get(str('code'));
      const installed = teamId ? this.teams.get(teamId) : undefined;
      if (!installed) return { ok: false, error: 'invalid_code' };
      return {
        ok: true,
        app_id: 'A0FAKEAPP',
        authed_user: { id: 'U0INSTALLER' },
        scope: 'chat:write,commands,users:read',
        token_type: 'bot',
        access_token: installed.botToken,
        bot_user_id: installed.botUserId,
        team: { id: installed.id, name: installed.name },
        enterprise: null,
        is_enterprise_install: false,
      };
    }
    if (!team) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: `https://${team.name.toLowerCase()}.slack.com/`, team: team.name, user: 'guyub', team_id: team.id, user_id: team.botUserId, bot_id: team.botId };
      case 'team.info':
        return { ok: true, team: { id: team.id, name: team.name, domain: team.name.toLowerCase() } };
      case 'users.info': {
        const user = this.users.get(str('user'));
        return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
      }
      case 'conversations.info': {
        const channel = this.channels.get(str('channel'));
        return channel ? { ok: true, channel: { id: channel.id, name: channel.is_im ? undefined : channel.name, is_im: Boolean(channel.is_im) } } : { ok: false, error: 'channel_not_found' };
      }
      case 'conversations.list':
        return { ok: true, channels: [...this.channels.values()].filter((c) => c.team === team.id && !c.is_im).map((c) => ({ id: c.id, name: c.name, is_general: Boolean(c.is_general) })), response_metadata: { next_cursor: '' } };
      case 'users.conversations':
        return {
          ok: true,
          channels: [...this.channels.values()].filter((c) => c.team === team.id && !c.is_im && c.members.includes(str('user'))).map((c) => ({ id: c.id, name: c.name, is_general: Boolean(c.is_general) })),
          response_metadata: { next_cursor: '' },
        };
      case 'conversations.open': {
        const user = str('users');
        const existing = [...this.channels.values()].find((c) => c.is_im && c.members.includes(user) && c.team === team.id);
        const channel = existing ?? this.addChannel({ id: this.#id('D'), name: user, team: team.id, members: [user, team.botUserId], is_im: true });
        return { ok: true, channel: { id: channel.id } };
      }
      case 'conversations.kick': {
        const channel = this.channels.get(str('channel'));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (channel.is_general) return { ok: false, error: 'cant_kick_from_general' };
        if (!channel.members.includes(str('user'))) return { ok: false, error: 'not_in_channel' };
        channel.members = channel.members.filter((m) => m !== str('user'));
        return { ok: true };
      }
      case 'chat.postMessage': {
        const channel = this.channels.get(str('channel'));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const ts = this.#nextTs();
        const message = { channel: channel.id, ts, text: str('text'), blocks: args.blocks, user: team.botUserId, ...(args.thread_ts !== undefined && { thread_ts: str('thread_ts') }) };
        this.messages.set(`${channel.id}:${ts}`, message);
        return { ok: true, channel: channel.id, ts, message: { text: message.text, ts, user: team.botUserId } };
      }
      case 'chat.update': {
        const message = this.messages.get(`${str('channel')}:${str('ts')}`);
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = str('text');
        message.blocks = args.blocks;
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
      }
      case 'chat.delete': {
        const key = `${str('channel')}:${str('ts')}`;
        const message = this.messages.get(key);
        if (message && message.user !== team.botUserId) return { ok: false, error: 'cant_delete_message' };
        if (!message) return { ok: false, error: 'cant_delete_message' };
        this.messages.delete(key);
        return { ok: true, channel: str('channel'), ts: str('ts') };
      }
      case 'chat.postEphemeral': {
        const channel = this.channels.get(str('channel'));
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (!channel.members.includes(team.botUserId)) return { ok: false, error: 'not_in_channel' };
        return { ok: true, message_ts: this.#nextTs() };
      }
      case 'chat.getPermalink':
        return { ok: true, channel: str('channel'), permalink: `https://${team.name.toLowerCase()}.slack.com/archives/${str('channel')}/p${str('message_ts').replace('.', '')}` };
      case 'usergroups.list':
        return {
          ok: true,
          usergroups: [...this.userGroups.values()].filter((g) => g.team === team.id).map((g) => ({ id: g.id, team_id: g.team, handle: g.handle, name: g.handle, date_delete: 0, ...(args.include_users ? { users: g.users } : {}) })),
        };
      case 'usergroups.users.list': {
        const group = this.userGroups.get(str('usergroup'));
        return group ? { ok: true, users: group.users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'usergroups.users.update': {
        const group = this.userGroups.get(str('usergroup'));
        if (!group) return { ok: false, error: 'no_such_subteam' };
        group.users = str('users').split(',').filter(Boolean);
        return { ok: true, usergroup: { id: group.id, handle: group.handle, users: group.users } };
      }
      case 'files.getUploadURLExternal': {
        const fileId = this.#id('F');
        this.uploads.push({ fileId, filename: str('filename'), bytes: Buffer.alloc(0) });
        return { ok: true, upload_url: `${this.url}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: ((Array.isArray(args.files) ? args.files : []) as { id: string; title?: string }[]).map((f) => ({ id: f.id, title: f.title })) };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function parseArgs(body: string, contentType: string): Record<string, unknown> {
  if (!body) return {};
  if (contentType.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    // The WebClient sends objects (blocks, …) as JSON strings.
    args[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return args;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function json(res: ServerResponse, answer: Answer): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(answer));
}

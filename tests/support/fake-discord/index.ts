import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChannelType,
  GatewayDispatchEvents,
  type ApplicationFlags,
  GatewayOpcodes,
  type APIDMChannel,
  type APIMessage,
  type APIUser,
  type GatewayDispatchPayload,
  type GatewayGuildCreateDispatchData,
  type GatewayIdentifyData,
  type GatewayReadyDispatchData,
  type GatewayResumeData,
} from 'discord.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { botMessage, guild as guildPayload, snowflake, thread as threadPayload, user, type GuildSpec } from './payloads.js';

export * from './payloads.js';

/** One REST request the fake received, as the adapter sent it. */
export interface RecordedCall {
  method: string;
  /** Without the /api/v10 prefix, e.g. /channels/123/messages. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** The JSON body, or a multipart upload's payload_json. */
  body: any;
  files: { name: string; contentType: string; bytes: Buffer }[];
  /** X-Audit-Log-Reason, decoded. */
  reason: string | undefined;
  status: number;
  /** What the fake answered (a created message, a channel). */
  response: any;
}

/** A planned failure of a route: Discord's answers to rate limits, outages and missing permissions. */
export interface Fault {
  method: string;
  path: RegExp;
  status: 429 | 500 | 403 | 404;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Seconds, for 429. */
  retryAfter?: number;
}

interface Dispatch {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

type Reply = { status: number; body?: unknown };

export interface FakeDiscordOptions {
  guilds: GuildSpec[];
  botName?: string;
}

/**
 * A fake Discord on 127.0.0.1: the REST API the adapter uses over HTTP (recording every call,
 * with planned faults) and the gateway over WebSocket on the same port (HELLO, IDENTIFY,
 * READY, GUILD_CREATE, numbered dispatches, heartbeats, RESUME with replay, and connection
 * drops). Point discord.js at `restBase`.
 */
export class FakeDiscord {
  readonly bot: APIUser;
  readonly applicationId = snowflake();
  readonly guilds: GatewayGuildCreateDispatchData[];
  readonly calls: RecordedCall[] = [];
  readonly identifies: GatewayIdentifyData[] = [];
  readonly resumes: GatewayResumeData[] = [];
  readonly messages = new Map<string, APIMessage>();
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  /** Whoever waits for a call or a resume, woken at each change. */
  readonly #waiters = new Set<() => void>();
  readonly #faults: (Fault & { left: number })[] = [];
  readonly #dmChannels = new Map<string, string>();
  #socket: WebSocket | undefined;
  #session: { id: string; seq: number; log: Dispatch[] } | undefined;
  /** Dispatches resent before the client's sequence on the next resume (Discord may resend). */
  #resendOverlap = 0;

  private constructor(options: FakeDiscordOptions) {
    this.bot = user(options.botName ?? 'guyub', { bot: true });
    this.guilds = options.guilds.map((spec) => guildPayload(spec, this.bot.id));
    this.#server = createServer((req, res) => void this.#onRequest(req, res));
    this.#server.on('upgrade', (req, socket, head) => this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws)));
  }

  static async start(options: FakeDiscordOptions): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    fake.#server.listen(0, '127.0.0.1');
    await once(fake.#server, 'listening');
    return fake;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** What discord.js takes as `rest.api`. */
  get restBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async stop(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ── test helpers ──────────────────────────────────────────────────────────

  guild(name: string): GatewayGuildCreateDispatchData {
    const found = this.guilds.find((g) => g.name === name);
    if (!found) throw new Error(`no fake guild ${name}`);
    return found;
  }

  channel(guildName: string, channelName: string) {
    const found = this.guild(guildName).channels.find((c) => c.name === channelName);
    if (!found || found.type !== ChannelType.GuildText) throw new Error(`no text channel ${channelName} in ${guildName}`);
    return found;
  }

  roleId(guildName: string, roleName: string): string {
    const found = this.guild(guildName).roles.find((r) => r.name === roleName);
    if (!found) throw new Error(`no role ${roleName} in ${guildName}`);
    return found.id;
  }

  /** Whether a client holds the gateway connection open. */
  get gatewayOpen(): boolean {
    return this.#socket !== undefined && this.#socket.readyState === this.#socket.OPEN;
  }

  /** The DM channel the fake opened for a user (POST /users/@me/channels). */
  dmChannelOf(userId: string): string | undefined {
    return this.#dmChannels.get(userId);
  }

  fail(fault: Fault): void {
    this.#faults.push({ ...fault, left: fault.times ?? 1 });
  }

  callsTo(method: string, path: RegExp | string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && (typeof path === 'string' ? c.path === path : path.test(c.path)));
  }

  /** Resolves with the first recorded call (already made or to come) that matches. */
  async waitForCall(predicate: (call: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    return this.#waitFor(() => this.calls.find(predicate), 'call', timeoutMs);
  }

  async waitForCalls(predicate: (call: RecordedCall) => boolean, count: number, timeoutMs = 10_000): Promise<RecordedCall[]> {
    return this.#waitFor(() => {
      const found = this.calls.filter(predicate);
      return found.length >= count ? found : undefined;
    }, 'call', timeoutMs);
  }

  waitForResume(timeoutMs = 10_000): Promise<GatewayResumeData> {
    const before = this.resumes.length;
    return this.#waitFor(() => this.resumes[before], 'resume', timeoutMs);
  }

  /** Sends a dispatch with the next sequence number; while the client is away it waits in the session's log for RESUME. */
  dispatch<T extends GatewayDispatchPayload>(t: T['t'] | string, d: T['d'] | unknown): number {
    if (!this.#session) throw new Error('no gateway session: the client has not identified');
    const payload: Dispatch = { op: GatewayOpcodes.Dispatch, t, s: ++this.#session.seq, d };
    this.#session.log.push(payload);
    if (this.#socket && this.#socket.readyState === this.#socket.OPEN) this.#socket.send(JSON.stringify(payload));
    return payload.s;
  }

  /**
   * Drops the gateway connection: with a close code (4000, "unknown error", which discord.js
   * resumes after) or abruptly (the socket destroyed). `resendOverlap` makes the next RESUME
   * replay that many dispatches the client had already seen, as Discord may.
   */
  closeGateway(options: { code?: number; abrupt?: boolean; resendOverlap?: number } = {}): void {
    this.#resendOverlap = options.resendOverlap ?? 0;
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket) return;
    if (options.abrupt) socket.terminate();
    else socket.close(options.code ?? 4000, 'fake discord closed the connection');
  }

  async #waitFor<T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fake Discord: no matching ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 200));
        this.#waiters.add(wake);
      });
    }
  }

  #changed(): void {
    for (const wake of [...this.#waiters]) wake();
  }

  // ── gateway ───────────────────────────────────────────────────────────────

  #send(ws: WebSocket, payload: unknown): void {
    ws.send(JSON.stringify(payload));
  }

  #onConnection(ws: WebSocket): void {
    this.#send(ws, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: 41_250 }, s: null, t: null });
    ws.on('message', (raw) => {
      const packet = JSON.parse(String(raw)) as { op: GatewayOpcodes; d: unknown };
      switch (packet.op) {
        case GatewayOpcodes.Heartbeat:
          this.#send(ws, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
          break;
        case GatewayOpcodes.Identify:
          this.#identify(ws, packet.d as GatewayIdentifyData);
          break;
        case GatewayOpcodes.Resume:
          this.#resume(ws, packet.d as GatewayResumeData);
          break;
        default:
          break;
      }
    });
  }

  #identify(ws: WebSocket, data: GatewayIdentifyData): void {
    this.identifies.push(data);
    this.#socket = ws;
    this.#session = { id: `session-${snowflake()}`, seq: 0, log: [] };
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.bot,
      guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: this.#session.id,
      resume_gateway_url: `ws://127.0.0.1:${this.port}`,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.dispatch(GatewayDispatchEvents.Ready, ready);
    for (const g of this.guilds) this.dispatch(GatewayDispatchEvents.GuildCreate, g);
    this.#changed();
  }

  #resume(ws: WebSocket, data: GatewayResumeData): void {
    this.resumes.push(data);
    const session = this.#session;
    if (!session || session.id !== data.session_id) {
      this.#send(ws, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    this.#socket = ws;
    const from = data.seq - this.#resendOverlap;
    this.#resendOverlap = 0;
    for (const payload of session.log) if (payload.s > from) this.#send(ws, payload);
    this.dispatch(GatewayDispatchEvents.Resumed, {});
    this.#changed();
  }

  // ── REST ──────────────────────────────────────────────────────────────────

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const method = req.method ?? 'GET';
    const { body, files } = await parseBody(raw, req.headers['content-type']);
    const reasonHeader = req.headers['x-audit-log-reason'];
    const call: RecordedCall = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
      body,
      files,
      reason: typeof reasonHeader === 'string' ? decodeURIComponent(reasonHeader) : undefined,
      status: 0,
      response: undefined,
    };

    let reply: Reply;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const fault = this.#faults.find((f) => f.left > 0 && f.method === method && f.path.test(path));
    if (fault) {
      fault.left--;
      reply = faultReply(fault, headers);
    } else {
      try {
        reply = this.#route(method, path, body, url);
      } catch (error) {
        reply = { status: 500, body: { message: String(error), code: 0 } };
      }
    }
    call.status = reply.status;
    call.response = reply.body;
    this.calls.push(call);
    this.#changed();
    if (reply.body === undefined) {
      res.writeHead(reply.status).end();
      return;
    }
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  }

  #knownChannel(id: string): boolean {
    return this.guilds.some((g) => g.channels.some((c) => c.id === id) || g.threads.some((t) => t.id === id)) || [...this.#dmChannels.values()].includes(id);
  }

  #newMessage(channelId: string, body: any, author: APIUser = this.bot): APIMessage {
    const message: APIMessage = {
      ...botMessage(channelId, author, body?.content ?? ''),
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      ...(body?.flags !== undefined && { flags: body.flags }),
    };
    this.messages.set(message.id, message);
    return message;
  }

  #route(method: string, path: string, body: any, url: URL): Reply {
    const notFound: Reply = { status: 404, body: { message: '404: Not Found', code: 0 } };
    const unknownChannel: Reply = { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    const m = (pattern: RegExp) => pattern.exec(path);
    let match: RegExpExecArray | null;

    if (method === 'GET' && path === '/gateway/bot') {
      return {
        status: 200,
        body: { url: `ws://127.0.0.1:${this.port}`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } },
      };
    }
    if ((match = m(/^\/guilds\/(\d+)\/channels$/)) && method === 'GET') {
      const g = this.guilds.find((x) => x.id === match![1]);
      return g ? { status: 200, body: g.channels } : notFound;
    }
    if ((match = m(/^\/guilds\/(\d+)\/roles$/)) && method === 'GET') {
      const g = this.guilds.find((x) => x.id === match![1]);
      return g ? { status: 200, body: g.roles } : notFound;
    }
    if ((match = m(/^\/channels\/(\d+)\/messages$/)) && method === 'POST') {
      if (!this.#knownChannel(match[1]!)) return unknownChannel;
      return { status: 200, body: this.#newMessage(match[1]!, body) };
    }
    if ((match = m(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/)) && method === 'POST') {
      const g = this.guilds.find((x) => x.channels.some((c) => c.id === match![1]));
      const parent = g?.channels.find((c) => c.id === match![1]);
      if (!g || !parent || parent.type !== ChannelType.GuildText) return unknownChannel;
      const created = threadPayload(g.id, parent, match[2]!, body?.name ?? 'thread');
      g.threads.push(created);
      return { status: 201, body: created };
    }
    if ((match = m(/^\/channels\/(\d+)\/messages\/(\d+)$/))) {
      if (method === 'DELETE') return { status: 204 };
      if (method === 'PATCH') {
        const existing = this.messages.get(match[2]!);
        if (!existing) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
        Object.assign(existing, { content: body?.content ?? existing.content, embeds: body?.embeds ?? existing.embeds, components: body?.components ?? existing.components, edited_timestamp: new Date().toISOString() });
        return { status: 200, body: existing };
      }
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipient = String(body?.recipient_id);
      let id = this.#dmChannels.get(recipient);
      if (!id) {
        id = snowflake();
        this.#dmChannels.set(recipient, id);
      }
      const channel: APIDMChannel = { id, type: ChannelType.DM, name: null, recipients: [user('recipient', { id: recipient })], last_message_id: null };
      return { status: 200, body: channel };
    }
    if ((match = m(/^\/guilds\/(\d+)\/members\/(\d+)\/roles\/(\d+)$/)) && (method === 'PUT' || method === 'DELETE')) {
      const g = this.guilds.find((x) => x.id === match![1]);
      if (!g?.roles.some((r) => r.id === match![3])) return { status: 404, body: { message: 'Unknown Role', code: 10011 } };
      return { status: 204 };
    }
    if ((match = m(/^\/guilds\/(\d+)\/members\/(\d+)$/))) {
      if (method === 'DELETE') return { status: 204 };
      if (method === 'PATCH') return { status: 200, body: { user: user('member', { id: match[2]! }), roles: [], joined_at: new Date().toISOString(), ...body } };
    }
    if ((match = m(/^\/guilds\/(\d+)\/bans\/(\d+)$/)) && (method === 'PUT' || method === 'DELETE')) return { status: 204 };
    if ((match = m(/^\/guilds\/(\d+)\/incident-actions$/)) && method === 'PUT') return { status: 200, body: { invites_disabled_until: body?.invites_disabled_until ?? null, dms_disabled_until: null } };
    if ((match = m(/^\/guilds\/(\d+)$/)) && method === 'PATCH') {
      const g = this.guilds.find((x) => x.id === match![1]);
      if (!g) return notFound;
      Object.assign(g, body);
      return { status: 200, body: g };
    }
    if ((match = m(/^\/interactions\/(\d+)\/([^/]+)\/callback$/)) && method === 'POST') {
      return url.searchParams.get('with_response') === 'true' ? { status: 200, body: { interaction: { id: match[1], type: 2 } } } : { status: 204 };
    }
    if ((match = m(/^\/webhooks\/(\d+)\/([^/]+)$/)) && method === 'POST') return { status: 200, body: this.#newMessage(snowflake(), body) };
    if ((match = m(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/))) {
      if (method === 'DELETE') return { status: 204 };
      if (method === 'PATCH') return { status: 200, body: this.#newMessage(snowflake(), body) };
    }
    return notFound;
  }
}

function faultReply(fault: Fault, headers: Record<string, string>): Reply {
  switch (fault.status) {
    case 429: {
      const retryAfter = fault.retryAfter ?? 0.05;
      Object.assign(headers, {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(retryAfter),
        'x-ratelimit-bucket': 'fake-bucket',
        'x-ratelimit-scope': 'user',
      });
      return { status: 429, body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false } };
    }
    case 500:
      return { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
    case 403:
      return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
    case 404:
      return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
  }
}

async function parseBody(raw: Buffer, contentType: string | undefined): Promise<{ body: unknown; files: RecordedCall['files'] }> {
  if (!raw.length) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: RecordedCall['files'] = [];
    let body: unknown;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
      else if (typeof value !== 'string') files.push({ name: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
    return { body, files };
  }
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

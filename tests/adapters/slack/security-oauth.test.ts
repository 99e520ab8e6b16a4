import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketModeReceiver } from '@slack/bolt';
import { createSlackAdapter, slackOptionsFromEnv } from '../../../src/adapters/slack/index.js';
import { createBoltApp } from '../../../src/adapters/slack/receiver/bolt-app.js';
import { loadConfig } from '../../../src/config/index.js';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../../src/core/logger.js';
import { boltLogger } from '../../../src/adapters/slack/api/slack-logger.js';
import { envelope, messageEvent, teamJoin } from '../../support/fake-slack/payloads.js';
import { CHANNELS, seedWorkspace, startHarness, TEAM, USERS, type SlackHarness } from './harness.js';

describe('signed requests', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startHarness();
  }, 30_000);
  afterAll(async () => {
    await h?.dispose();
  });

  it('answers 401 to a bad signature and to a stale timestamp, and processes nothing', async () => {
    const forged = envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.ayu, text: 'forged' }));
    expect((await h.slack.sendEvent(forged, { secret: 'not-the-secret' })).status).toBe(401);
    const stale = envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.ayu, text: 'stale' }));
    expect((await h.slack.sendEvent(stale, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status).toBe(401);
    const fine = envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.ayu, text: 'signed' }));
    expect((await h.slack.sendEvent(fine)).status).toBe(200);
    await h.waitForEvent((e) => e.id === `${CHANNELS.general}:${fine.event.ts}`);
    expect(h.handled.map((x) => x.event.id)).toEqual([`${CHANNELS.general}:${fine.event.ts}`]);
    expect(h.fake.callsOf('users.info').every((c) => c.args.user === USERS.ayu)).toBe(true);
  });

  it('processes a retried delivery (X-Slack-Retry-Num, same event_id) once', async () => {
    const join = envelope(TEAM.id, teamJoin({ team: TEAM.id, id: 'U0TWICE', name: 'dewi', displayName: 'Dewi' }));
    await h.slack.sendEvent(join);
    await h.waitForEvent((e) => e.id === join.event_id);
    expect((await h.slack.sendEvent(join, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    expect((await h.slack.sendEvent(join, { retryNum: 2, retryReason: 'http_timeout' })).status).toBe(200);
    const marker = envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.ayu, text: 'after the retries' }));
    await h.slack.sendEvent(marker);
    await h.waitForEvent((e) => e.id === `${CHANNELS.general}:${marker.event.ts}`);
    await h.settled();
    expect(h.handled.filter((x) => x.event.id === join.event_id)).toHaveLength(1);
    expect(h.fake.callsOf('chat.postMessage').filter((c) => String(c.args.text).includes('<@U0TWICE>'))).toHaveLength(1);
  });

  it('leaves a retry this process has not seen to the engine’s dedupe: still processed once', async () => {
    const join = envelope(TEAM.id, teamJoin({ team: TEAM.id, id: 'U0ONCE', name: 'eka', displayName: 'Eka' }));
    // Another process handled the first delivery: the engine has its event id already.
    const first = await h.test.engine.handle({ type: 'member.joined', id: join.event_id, platform: 'slack', community: TEAM.id, at: new Date().toISOString(), member: { id: 'U0ONCE', name: 'Eka' } });
    expect(first.status).toBe('processed');
    await h.slack.sendEvent(join, { retryNum: 1 });
    const { outcome } = await h.waitForEvent((e) => e.id === join.event_id);
    expect(outcome.status).toBe('duplicate');
  });
});

describe('OAuth: many workspaces', () => {
  let h: SlackHarness;
  const SECOND = { id: 'T0TEH', name: 'Teh', botToken: 'xoxb-teh-bot', botUserId: 'U0BOT2', botId: 'B0BOT2' };
  beforeAll(async () => {
    h = await startHarness({
      auth: { mode: 'oauth', clientId: '111.222', clientSecret: 'client-secret', stateSecret: 'state-secret-for-tests', scopes: ['chat:write', 'commands'], userScopes: [] },
      seed: (fake) => {
        seedWorkspace(fake);
        fake.addTeam(SECOND);
        fake.addChannel({ id: 'C0TEHGEN', name: 'general', team: SECOND.id, members: [SECOND.botUserId], is_general: true });
        fake.oauthCodes.set('code-for-teh', SECOND.id);
      },
    });
  }, 30_000);
  afterAll(async () => {
    await h?.dispose();
  });

  it('installs through /slack/install and /slack/oauth_redirect, stores the installation, and serves that workspace with its token', async () => {
    const install = await fetch(`${h.baseUrl}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const location = new URL(install.headers.get('location')!);
    expect(location.searchParams.get('client_id')).toBe('111.222');
    const state = location.searchParams.get('state')!;
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!;

    const callback = await fetch(`${h.baseUrl}/slack/oauth_redirect?code=code-for-teh&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
    expect(callback.status).toBe(200);
    expect(h.fake.callsOf('oauth.v2.access')[0]!.args).toMatchObject({ code: 'code-for-teh', client_id: '111.222' });
    const row = await h.test.database.prisma.slackInstallation.findUnique({ where: { key: `team:${SECOND.id}` } });
    expect(row).toMatchObject({ teamId: SECOND.id, enterpriseId: null });
    expect(row!.installation).toMatchObject({ bot: { token: SECOND.botToken, userId: SECOND.botUserId } });

    const join = envelope(SECOND.id, teamJoin({ team: SECOND.id, id: 'U0TEHNEW', name: 'fajar', displayName: 'Fajar' }));
    expect((await h.slack.sendEvent(join)).status).toBe(200);
    const { event } = await h.waitForEvent((e) => e.id === join.event_id);
    expect(event).toMatchObject({ community: SECOND.id, communityName: 'Teh' });
    const welcome = await h.fake.waitForCall('chat.postMessage', (args) => args.channel === 'C0TEHGEN');
    expect(welcome.token).toBe(SECOND.botToken);
  });

  it('refuses a callback without the browser’s state cookie and stores nothing', async () => {
    const install = await fetch(`${h.baseUrl}/slack/install`, { redirect: 'manual' });
    const state = new URL(install.headers.get('location')!).searchParams.get('state')!;
    const before = await h.test.database.prisma.slackInstallation.count();
    const callback = await fetch(`${h.baseUrl}/slack/oauth_redirect?code=code-for-teh&state=${encodeURIComponent(state)}`, { redirect: 'manual' });
    expect(callback.status).toBeGreaterThanOrEqual(400);
    expect(await h.test.database.prisma.slackInstallation.count()).toBe(before);
  });

  it('does not act for a workspace that never installed the app', async () => {
    const stranger = envelope('T0STRANGER', messageEvent({ channel: 'C0X', user: 'U0X', text: 'hello?' }));
    expect((await h.slack.sendEvent(stranger)).status).toBe(200);
    const marker = envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.ayu, text: 'known workspace' }));
    // Kopi never installed in this harness either: nothing reaches the engine.
    await h.slack.sendEvent(marker);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.handled.find((x) => x.event.community === 'T0STRANGER' || x.event.id === marker.event.ts)).toBeUndefined();
  });
});

describe('configuration from the environment', () => {
  it('is undefined without Slack credentials', () => {
    expect(slackOptionsFromEnv({})).toBeUndefined();
  });

  it('chooses the HTTP receiver with a signing secret, and Socket Mode with an app token', () => {
    expect(slackOptionsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9/api', PORT: '8080' })).toEqual({
      auth: { mode: 'token', botToken: 'xoxb-1' },
      receiver: { kind: 'http', signingSecret: 's' },
      port: 8080,
      host: '0.0.0.0',
      apiUrl: 'http://127.0.0.1:9/api/',
    });
    expect(slackOptionsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toMatchObject({ receiver: { kind: 'socket', appToken: 'xapp-1' }, port: 3000 });
    expect(slackOptionsFromEnv({ SLACK_CLIENT_ID: 'c', SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: 'ss', SLACK_SIGNING_SECRET: 's' })).toMatchObject({ auth: { mode: 'oauth', clientId: 'c' } });
  });

  it('names what is missing or contradictory', () => {
    expect(() => slackOptionsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET.*SLACK_APP_TOKEN/);
    expect(() => slackOptionsFromEnv({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN is missing/);
    expect(() => slackOptionsFromEnv({ SLACK_CLIENT_ID: 'c', SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_CLIENT_SECRET and SLACK_STATE_SECRET/);
    expect(() => slackOptionsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-wrong' })).toThrow(/SLACK_APP_TOKEN/);
    expect(() => slackOptionsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('names a bad SLACK_API_URL, or one with user:password, without the password', () => {
    const withUrl = (url: string) => () => slackOptionsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: url });
    const malformed = withUrl('proxy//relay:s3cret-pass@proxy.example:8080/api');
    expect(malformed).toThrow(/SLACK_API_URL must be a URL/);
    expect(malformed).toThrow(/relay:\*\*\*@proxy\.example/);
    expect(malformed).not.toThrow(/s3cret-pass/);
    const withCredentials = withUrl('https://relay:s3cret-pass@proxy.example:8080/api/');
    expect(withCredentials).toThrow(/SLACK_API_URL must not carry a user name or password.*relay:\*\*\*@proxy\.example/);
    expect(withCredentials).not.toThrow(/s3cret-pass/);
    expect(withUrl('ftp://proxy.example/api/')).toThrow(/SLACK_API_URL must be an http\(s\) URL/);
  });

  it('keeps passwords in URLs out of the lines Bolt and the WebClient log', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = boltLogger(createLogger({ level: 'debug', destination }));
    // What the WebClient logs before each call, and an error of a call to such a URL.
    logger.debug('http request url: http://relay:s3cret-pass@127.0.0.1:9/api/auth.test');
    logger.warn('http request failed', new Error('Request cannot be constructed from a URL that includes credentials: http://relay:s3cret-pass@127.0.0.1:9/api/auth.test'));
    const log = lines.join('');
    expect(lines).toHaveLength(2);
    expect(log).toContain('http://relay:***@127.0.0.1:9/api/auth.test');
    expect(log).not.toContain('s3cret-pass');
  });

  it('builds Bolt’s Socket Mode receiver for an app token', () => {
    const connection = slackOptionsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A-1-abc' })!;
    const adapter = createSlackAdapter({ ...connection, prisma: undefined as never, config: loadConfig(), logger: silentLogger });
    expect(adapter.receiverKind).toBe('socket');
    const app = createBoltApp({ connection, clientOptions: {}, logger: { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'info' as never, setName() {} }, installationStore: adapter.installations });
    expect((app as unknown as { receiver: unknown }).receiver).toBeInstanceOf(SocketModeReceiver);
  });
});

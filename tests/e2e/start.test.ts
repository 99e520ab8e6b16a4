import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { GatewayDispatchEvents } from 'discord.js';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { createScratchPostgres, type ScratchPostgres } from '../../src/db/index.js';
import { chatInput, FakeDiscord, memberAdd, member, user } from '../support/fake-discord/index.js';
import { SlackRequestClient } from '../support/fake-slack/client.js';
import { envelope, teamJoin } from '../support/fake-slack/payloads.js';
import { FakeSlack } from '../support/fake-slack/server.js';
import { deleteKeys } from '../support/redis.js';
import { CHANNELS, seedWorkspace, SIGNING_SECRET, TEAM } from '../adapters/slack/harness.js';
import { KOPI } from '../adapters/discord/harness.js';
import { freePort } from '../support/free-port.js';

// The bot as its users run it: `npm start` (the built dist/) as a separate process, its
// environment pointing at a fake Discord and a fake Slack on 127.0.0.1.

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DISCORD_TOKEN = 'discord-token-SECRET-5f1c0a9e';
const DB_PASSWORD = 'db-password-SECRET-77ab';


interface Running {
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `npm start [-- args]` in its own process group, collecting stdout and stderr. */
async function npmStart(env: Record<string, string>, args: string[] = []): Promise<Running> {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(clean)) if (/^(DISCORD_|SLACK_|DATABASE_URL|REDIS_|GUYUB_|HTTP_|PORT$|LOG_LEVEL)/.test(key)) delete clean[key];
  const child = spawn('npm', ['start', '--silent', ...(args.length ? ['--', ...args] : [])], { cwd: packageRoot, env: { ...clean, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!/guyub is running/.test(output)) {
    if (child.exitCode !== null) throw new Error(`guyub exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`guyub did not start within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    output: () => output,
    /** SIGTERM to guyub itself (as an orchestrator sends it); npm then exits with guyub's code. */
    async stop() {
      if (child.exitCode === null) {
        const { stdout } = await promisify(execFile)('pgrep', ['-g', String(child.pid), '-f', '^node bin/guyub.js start']).catch(() => ({ stdout: '' }));
        const pids = stdout.split('\n').filter(Boolean).map(Number);
        if (pids.length) for (const pid of pids) process.kill(pid, 'SIGTERM');
        else process.kill(-child.pid!, 'SIGTERM');
      }
      // A process that does not stop is a failure, but must not outlive the test run.
      const timer = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

describe('npm start against fake platforms', () => {
  let discord: FakeDiscord;
  let slack: FakeSlack;
  let scratch: ScratchPostgres;
  let databaseUrl: string;
  const running: Running[] = [];

  beforeAll(async () => {
    // npm start runs the build: make it match the sources under test.
    await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: packageRoot });
    discord = await FakeDiscord.start({ guilds: [{ ...KOPI }] });
    slack = await new FakeSlack().start();
    seedWorkspace(slack);
    scratch = await createScratchPostgres();
    const url = new URL(scratch.url);
    // Trust auth ignores the password; it is here to prove it never reaches a log.
    url.password = DB_PASSWORD;
    databaseUrl = url.toString();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await discord?.stop();
    await slack?.close();
    await scratch?.drop();
  });

  it('welcomes a member who joins on Discord and one who joins on Slack, logs no secret, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const bot = await npmStart({
      DISCORD_TOKEN,
      DISCORD_API_URL: discord.restBase,
      SLACK_BOT_TOKEN: TEAM.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      SLACK_HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'debug',
    });
    running.push(bot);

    const kopi = discord.guilds[0]!;
    const general = discord.channel(KOPI.name, 'general');
    const newcomer = user('Sekar');
    discord.dispatch(GatewayDispatchEvents.GuildMemberAdd, memberAdd(kopi.id, { ...member(newcomer, [], new Date()), user: newcomer }));
    const welcomeOnDiscord = await discord.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${general.id}/messages` && JSON.stringify(c.body).includes(newcomer.id), 20_000);
    expect(welcomeOnDiscord.headers.authorization).toBe(`Bot ${DISCORD_TOKEN}`);

    const client = new SlackRequestClient(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);
    const response = await client.sendEvent(envelope(TEAM.id, teamJoin({ team: TEAM.id, id: 'U0SEKAR', name: 'sekar', displayName: 'Sekar' })));
    expect(response.status).toBe(200);
    const welcomeOnSlack = await slack.waitForCall('chat.postMessage', (args) => args.channel === CHANNELS.general && JSON.stringify(args).includes('U0SEKAR'), 20_000);
    expect(welcomeOnSlack.token).toBe(TEAM.botToken);

    expect(await bot.stop()).toBe(0);
    const logs = bot.output();
    expect(logs).toMatch(/guyub is running/);
    for (const secret of [DISCORD_TOKEN, TEAM.botToken, SIGNING_SECRET, DB_PASSWORD]) expect(logs).not.toContain(secret);
  }, 120_000);

  it('splits the work over a gateway, two workers and a scheduler sharing Redis and PostgreSQL', async () => {
    const prefix = `guyub-test-roles-${process.pid}`;
    const common = { DATABASE_URL: databaseUrl, REDIS_URL, REDIS_PREFIX: prefix, LOG_LEVEL: 'info' };
    const platform = { DISCORD_TOKEN, DISCORD_API_URL: discord.restBase };
    try {
      running.push(await npmStart(common, ['--role', 'scheduler']));
      const opsPort = await freePort();
      running.push(await npmStart({ ...common, HTTP_PORT: String(opsPort), BULL_BOARD_PASSWORD: 'board-SECRET-pw' }, ['--role', 'worker']));
      running.push(await npmStart(common, ['--role', 'worker']));
      const health = await fetch(`http://127.0.0.1:${opsPort}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ checks: { database: 'ok', redis: 'ok' } });
      expect(await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text()).toMatch(/^guyub_events_queued \d+$/m);
      expect((await fetch(`http://127.0.0.1:${opsPort}/admin/queues`)).status).toBe(401);
      const board = await fetch(`http://127.0.0.1:${opsPort}/admin/queues/api/queues`, { headers: { authorization: `Basic ${Buffer.from('ops:board-SECRET-pw').toString('base64')}` } });
      expect(board.status).toBe(200);
      expect(JSON.stringify(await board.json())).toContain('events-15');
      running.push(await npmStart({ ...common, ...platform }, ['--role', 'gateway']));

      const kopi = discord.guilds[0]!;
      const general = discord.channel(KOPI.name, 'general');
      const newcomers = ['Tari', 'Wulan', 'Yudi'].map((name) => user(name));
      for (const newcomer of newcomers) discord.dispatch(GatewayDispatchEvents.GuildMemberAdd, memberAdd(kopi.id, { ...member(newcomer, [], new Date()), user: newcomer }));
      const welcomes = await Promise.all(
        newcomers.map((n) => discord.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${general.id}/messages` && JSON.stringify(c.body).includes(n.id), 30_000)),
      );
      expect(welcomes).toHaveLength(3);
      // A command through the gateway is answered privately in its interaction, from a worker via the outbox.
      const asker = newcomers[0]!;
      const rank = chatInput({ applicationId: discord.applicationId, guildId: kopi.id, channel: general, member: { ...member(asker, [], new Date()), user: asker }, name: 'rank' });
      discord.dispatch(GatewayDispatchEvents.InteractionCreate, rank);
      const answer = await discord.waitForCall((c) => c.method === 'PATCH' && c.path === `/webhooks/${discord.applicationId}/${rank.token}/messages/@original` && typeof c.body?.content === 'string', 30_000);
      expect(answer.body.content).toBeTruthy();
      // Each welcome once, whichever worker handled it.
      for (const n of newcomers) expect(discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${general.id}/messages` && JSON.stringify(c.body).includes(n.id))).toHaveLength(1);
      for (const r of running.splice(0)) expect(await r.stop()).toBe(0);
    } finally {
      const redis = new Redis(REDIS_URL);
      await deleteKeys(redis, `${prefix}:*`);
      await redis.quit();
    }
  }, 180_000);

  it('refuses a split role without Redis, naming the variable (exit 2)', async () => {
    const clean: NodeJS.ProcessEnv = { ...process.env };
    delete clean.REDIS_URL;
    const result = await promisify(execFile)('node', ['bin/guyub.js', 'start', '--role', 'worker'], { cwd: packageRoot, env: { ...clean, DATABASE_URL: databaseUrl } }).catch((e: { code: number; stderr: string }) => e);
    expect(result).toMatchObject({ code: 2 });
    expect((result as { stderr: string }).stderr).toMatch(/--role worker needs REDIS_URL/);
  }, 60_000);
});

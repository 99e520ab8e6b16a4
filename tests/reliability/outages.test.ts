import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GatewayDispatchEvents } from 'discord.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { FakeDiscord, member, memberAdd, message, user } from '../support/fake-discord/index.js';
import { startOwnPostgresServer, type OwnPostgresServer } from '../support/postgres-server.js';
import { startOwnRedisServer, type OwnRedisServer } from '../support/redis-server.js';

// The bot (`guyub start`, every capability, BullMQ jobs) under a steady stream of Discord
// traffic, while its own PostgreSQL and then its own Redis are stopped for 30 s each and
// started again. Nothing may crash, be lost or happen twice, and it must resume quickly.

const OUTAGE_MS = Number(process.env.OUTAGE_SECONDS ?? 30) * 1000;
const tsxLoader = pathToFileURL(path.join(packageRoot, 'node_modules/tsx/dist/loader.mjs')).href;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a load run through PostgreSQL and Redis outages', () => {
  let postgres: OwnPostgresServer;
  let redis: OwnRedisServer;
  let discord: FakeDiscord;
  let bot: ChildProcess;
  let output = '';
  let exitCode: number | null = null;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startOwnPostgresServer(), startOwnRedisServer()]);
    discord = await FakeDiscord.start({ guilds: [{ name: 'Komunitas Kopi', channels: ['general', 'rules', 'introductions', 'mod-log', 'questions'], roles: ['Moderator'] }] });
    bot = spawn(process.execPath, ['--import', tsxLoader, path.join(packageRoot, 'src/cli/main.ts'), 'start'], {
      cwd: packageRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DISCORD_TOKEN: 'reliability-token',
        DISCORD_API_URL: discord.restBase,
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot.stdout!.on('data', (chunk) => (output += String(chunk)));
    bot.stderr!.on('data', (chunk) => (output += String(chunk)));
    bot.once('exit', (code) => (exitCode = code));
    const deadline = Date.now() + 60_000;
    while (!/guyub is running/.test(output)) {
      if (exitCode !== null || Date.now() > deadline) throw new Error(`the bot did not start:\n${output}`);
      await sleep(100);
    }
  }, 120_000);

  afterAll(async () => {
    if (bot && exitCode === null) {
      bot.kill('SIGTERM');
      await new Promise((resolve) => bot.once('exit', resolve));
    }
    await discord?.stop();
    await postgres?.dispose();
    await redis?.dispose();
  });

  it('loses and doubles nothing, and resumes within 5 s of each store coming back', async () => {
    const kopi = discord.guilds[0]!;
    const general = discord.channel('Komunitas Kopi', 'general');
    const authors = Array.from({ length: 20 }, (_, i) => {
      const who = user(`Anggota ${i}`);
      return { ...member(who, [], new Date('2026-01-01T00:00:00Z')), user: who };
    });
    const messageIds: string[] = [];
    const joiners: string[] = [];
    let sequence = 0;
    // About 10 messages and 1 join per second.
    const load = setInterval(() => {
      sequence++;
      const author = authors[sequence % authors.length]!;
      const sent = message({ guildId: kopi.id, channelId: general.id, author, content: `pesan nomor ${sequence} tentang kopi` });
      messageIds.push(sent.id);
      discord.dispatch(GatewayDispatchEvents.MessageCreate, sent);
      if (sequence % 10 === 0) {
        const newcomer = user(`Baru ${sequence}`);
        joiners.push(newcomer.id);
        discord.dispatch(GatewayDispatchEvents.GuildMemberAdd, memberAdd(kopi.id, { ...member(newcomer, [], new Date()), user: newcomer }));
      }
    }, 100);

    const db = new pg.Pool({ connectionString: postgres.url, max: 1 });
    const storedMessages = async () => Number((await db.query('SELECT count(*)::int AS n FROM "Message"')).rows[0].n);
    /**
     * After a store comes back: how long until the bot stores messages again (resumed), and
     * until it has stored everything sent before the store came back (caught up).
     */
    const recovery = async (since: number) => {
      const backlog = messageIds.length;
      let before: number | undefined;
      let resumedMs: number | undefined;
      for (;;) {
        let stored: number | undefined;
        try {
          stored = await storedMessages();
        } catch {
          // This pool reconnects after the restart too.
        }
        if (stored !== undefined) {
          before ??= stored;
          if (resumedMs === undefined && stored > before) resumedMs = Date.now() - since;
          if (stored >= backlog) return { resumedMs: resumedMs ?? Date.now() - since, caughtUpMs: Date.now() - since };
        }
        if (Date.now() - since > 120_000) throw new Error('the bot did not catch up within 120 s');
        await sleep(50);
      }
    };
    const figures: Record<string, number> = {};
    try {
      await sleep(3_000);
      await postgres.stop();
      await sleep(OUTAGE_MS);
      await postgres.start();
      const afterPostgres = await recovery(Date.now());
      figures.postgresResumeMs = afterPostgres.resumedMs;
      figures.postgresCaughtUpMs = afterPostgres.caughtUpMs;

      await sleep(2_000);
      await redis.stop();
      await sleep(OUTAGE_MS);
      await redis.start();
      const afterRedis = await recovery(Date.now());
      figures.redisResumeMs = afterRedis.resumedMs;
      figures.redisCaughtUpMs = afterRedis.caughtUpMs;
      await sleep(2_000);
    } finally {
      clearInterval(load);
    }

    // Everything sent is handled once: every message stored once, every joiner welcomed once.
    // Generous: a CI machine running other suites works through the backlog slowly.
    const deadline = Date.now() + 180_000;
    while ((await storedMessages()) < messageIds.length && Date.now() < deadline) await sleep(200);
    const rows = (await db.query('SELECT "externalId" FROM "Message"')).rows.map((r: { externalId: string }) => r.externalId);
    await db.end();
    // On a mismatch, the bot's errors say which failure was not waited out.
    const errors = output.split('\n').filter((line) => /"level":50/.test(line)).map((line) => line.slice(0, 400));
    expect(rows.length, `stored ${rows.length} of ${messageIds.length}; the bot's errors:\n${errors.slice(-10).join('\n')}`).toBe(messageIds.length);
    expect(new Set(rows)).toEqual(new Set(messageIds));
    await discord.waitForCalls((c) => c.method === 'POST' && c.path === `/channels/${general.id}/messages` && joiners.some((id) => JSON.stringify(c.body).includes(id)), joiners.length, 60_000);
    for (const id of joiners) {
      expect(discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${general.id}/messages` && JSON.stringify(c.body).includes(`<@${id}>`))).toHaveLength(1);
    }
    expect(exitCode).toBeNull();
    expect(figures.postgresResumeMs).toBeLessThan(5_000);
    expect(figures.redisResumeMs).toBeLessThan(5_000);
    // The figures for the README (PRINT_FIGURES=1); test runs stay quiet.
    if (process.env.PRINT_FIGURES) process.stderr.write(`outages: ${messageIds.length} messages and ${joiners.length} joins during two ${OUTAGE_MS / 1000}-s outages; resumed ${figures.postgresResumeMs} ms after PostgreSQL returned (backlog done in ${figures.postgresCaughtUpMs} ms) and ${figures.redisResumeMs} ms after Redis returned (backlog done in ${figures.redisCaughtUpMs} ms)\n`);
  }, 420_000);
});

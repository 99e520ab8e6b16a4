// `node --import tsx bench/ingest-slack.ts` (issue 10, item 1, Slack): a sender in its own process
// posts the same mix of signed Events API message callbacks (thread replies, mentions,
// questions, abuse, floods; see support/slack-workload.ts), 64 at a time, to
//   (a) a bare Bolt app (HTTP receiver) whose message listener only counts: the library's floor;
//   (b) the bot: the Slack adapter (Bolt's HTTP receiver, Web API lookups against the fake Slack)
//       and the engine with every capability on, each message persisted to a scratch PostgreSQL.
// BENCH_SLACK_FLOOR_EVENTS (default 20,000) and BENCH_SLACK_BOT_EVENTS (default 5,000; with
// BENCH_FULL=1, 1,000,000 and 100,000).
import { App, LogLevel } from '@slack/bolt';
import { createSlackAdapter, type SlackAdapter } from '../src/adapters/slack/index.js';
import type { PlatformAdapter } from '../src/adapters/adapter.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { FakeSlack } from '../tests/support/fake-slack/server.js';
import { startBenchBot } from './support/bot.js';
import { TsChild } from './support/child.js';
import { SLACK_CHANNELS, SLACK_SIGNING_SECRET, SLACK_TEAM, slackUserIds } from './support/slack-workload.js';
import { benchFull, envNumber, isMain } from './support/table.js';
import { ingestTable, type IngestFigures } from './ingest-discord.js';

const USERS = 200;
const CONCURRENCY = 64;

interface Sent {
  sent: number;
  statuses: Record<string, number>;
  seconds: number;
}

async function send(url: string, events: number): Promise<Sent> {
  const sender = new TsChild('bench/support/slack-sender-process.ts');
  try {
    sender.send({ type: 'send', url, secret: SLACK_SIGNING_SECRET, events, users: USERS, concurrency: CONCURRENCY });
    return await sender.receive<Sent>('sent');
  } finally {
    await sender.stop();
  }
}

const describeStatuses = (statuses: Record<string, number>) => Object.entries(statuses).map(([status, n]) => `${n} × ${status}`).join(', ');

/** (a) A Bolt app on its HTTP receiver with an `authorize` function (no Web API call) and a counting message listener. */
export async function slackFloor(events: number): Promise<IngestFigures> {
  const app = new App({
    signingSecret: SLACK_SIGNING_SECRET,
    authorize: async () => ({ botToken: SLACK_TEAM.botToken, botId: SLACK_TEAM.botId, botUserId: SLACK_TEAM.botUserId }),
    logLevel: LogLevel.ERROR,
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, setLevel: () => {}, getLevel: () => LogLevel.ERROR, setName: () => {} },
  });
  let counted = 0;
  let first = 0;
  let last = 0;
  app.event('message', async () => {
    if (counted++ === 0) first = performance.now();
    last = performance.now();
  });
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  try {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await send(`http://127.0.0.1:${port}/slack/events`, events);
    const seconds = (last - first) / 1000;
    return { path: '(a) bare Bolt app, counting', communities: 1, sent: result.sent, seconds, eventsPerSecond: counted / seconds, lost: result.sent - counted, note: describeStatuses(result.statuses) };
  } finally {
    await app.stop();
  }
}

/** (b) The Slack adapter and the engine, every message persisted to PostgreSQL. */
export async function slackBot(events: number): Promise<IngestFigures> {
  const fake = await new FakeSlack().start();
  fake.addTeam(SLACK_TEAM);
  const users = slackUserIds(USERS);
  for (const [i, id] of users.entries()) fake.addUser({ id, team_id: SLACK_TEAM.id, name: `member${i}`, real_name: `Member ${i}`, profile: { display_name: `Member ${i}` } });
  for (const channel of SLACK_CHANNELS) fake.addChannel({ ...channel, team: SLACK_TEAM.id, members: [...users, SLACK_TEAM.botUserId], is_general: channel.name === 'general' });
  const config = loadConfig();
  let adapter: SlackAdapter | undefined;
  const bot = await startBenchBot({ config, adapter: () => adapter as PlatformAdapter | undefined });
  try {
    adapter = createSlackAdapter({
      auth: { mode: 'token', botToken: SLACK_TEAM.botToken },
      receiver: { kind: 'http', signingSecret: SLACK_SIGNING_SECRET },
      apiUrl: fake.apiUrl,
      port: 0,
      host: '127.0.0.1',
      retryConfig: { retries: 2, minTimeout: 20, maxTimeout: 200 },
      prisma: bot.database.prisma,
      config,
      logger: silentLogger,
    });
    await adapter.start((event) => bot.sink(event));
    const result = await send(`http://127.0.0.1:${adapter.address!.port}/slack/events`, events);
    // Bolt answers before its listener runs: the events acknowledged may still be on their way to the engine.
    await bot.handled(result.statuses['200'] ?? 0, 60_000 + events * 100).catch(() => undefined);
    const { counters } = bot;
    const seconds = (counters.lastHandledAt - counters.firstReceivedAt) / 1000;
    await adapter.stop();
    adapter = undefined;
    const rows = await bot.rows();
    const failed = fake.calls.filter((call) => !['users.info', 'conversations.info', 'team.info', 'auth.test'].includes(call.method));
    const notProcessed = Object.entries(counters.other).map(([status, n]) => `${n} ${status}`).join(', ');
    return {
      path: '(b) bot: Slack adapter + engine, PostgreSQL',
      communities: 1,
      sent: result.sent,
      seconds,
      eventsPerSecond: counters.processed / seconds,
      backlogHighWater: counters.backlogHighWater,
      persisted: rows.messages,
      lost: result.sent - rows.messages,
      note: `HTTP answers ${describeStatuses(result.statuses)}; ${failed.length} Web API calls for the actions${notProcessed ? `; ${notProcessed}` : ''}; ${rows.processedMessageEvents} message events recorded`,
    };
  } finally {
    await adapter?.stop();
    await fake.close();
    await bot.dispose();
  }
}

export async function benchIngestSlack(): Promise<string> {
  const floorEvents = envNumber('BENCH_SLACK_FLOOR_EVENTS', benchFull() ? 1_000_000 : 20_000);
  const botEvents = envNumber('BENCH_SLACK_BOT_EVENTS', benchFull() ? 100_000 : 5_000);
  const floor = await slackFloor(floorEvents);
  const bot = await slackBot(botEvents);
  return ingestTable('Slack ingest (message events, HTTP receiver)', floor, bot);
}

if (isMain(import.meta.url)) console.log(await benchIngestSlack());

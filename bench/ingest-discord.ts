// `node --import tsx bench/ingest-discord.ts` (issue 10, item 1, Discord): the fake Discord
// gateway, in its own process, streams the same mix of MESSAGE_CREATE dispatches (replies,
// threads, mentions, questions, abuse, floods; see support/discord-workload.ts) to
//   (a) a bare discord.js client that only counts `messageCreate`: the library's floor;
//   (b) the bot: the Discord adapter (discord.js with the lean cache) and the engine with every
//       capability on, each message persisted to a scratch PostgreSQL database, as
//       `guyub start --role all` runs without Redis.
// BENCH_DISCORD_FLOOR_EVENTS (default 50,000) and BENCH_DISCORD_BOT_EVENTS (default 20,000; with
// BENCH_FULL=1, 1,000,000 both), BENCH_DISCORD_GUILDS (default 8).
import { Client, Events } from 'discord.js';
import { createDiscordAdapter, DISCORD_INTENTS, DISCORD_PARTIALS } from '../src/adapters/discord/index.js';
import type { PlatformAdapter } from '../src/adapters/adapter.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { startBenchBot } from './support/bot.js';
import { DiscordGatewayProcess } from './support/discord-gateway.js';
import { benchFull, envNumber, figure, isMain, markdownTable, percent } from './support/table.js';

export interface IngestFigures {
  path: string;
  communities: number;
  sent: number;
  seconds: number;
  eventsPerSecond: number;
  /** Events received by the sink and not yet through the engine, at the highest (undefined: not measured). */
  backlogHighWater?: number;
  /** Rows in PostgreSQL (undefined: nothing persisted on this path). */
  persisted?: number;
  lost: number;
  note?: string;
}

const waitFor = async (check: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** (a) A discord.js client with the bot's intents and partials and the default cache, counting `messageCreate`. */
export async function discordFloor(events: number, guilds: number): Promise<IngestFigures> {
  const gateway = await DiscordGatewayProcess.ingest(guilds);
  const client = new Client({ intents: [...DISCORD_INTENTS], partials: [...DISCORD_PARTIALS], rest: { api: gateway.restBase } });
  try {
    let counted = 0;
    let first = 0;
    let last = 0;
    client.on(Events.MessageCreate, () => {
      if (counted++ === 0) first = performance.now();
      last = performance.now();
    });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login('fake-token');
    await ready;
    const began = performance.now();
    const streamed = gateway.streamIngest(events);
    await waitFor(() => counted >= events, 120_000 + events, `${events} messages at the bare client`).catch(() => undefined);
    const { dispatched } = await streamed;
    // From the first message to the last: the gateway writes faster than the client reads.
    const seconds = (last - (first || began)) / 1000;
    return { path: '(a) bare discord.js client, counting', communities: guilds, sent: dispatched, seconds, eventsPerSecond: counted / seconds, lost: dispatched - counted };
  } finally {
    await client.destroy();
    await gateway.stop();
  }
}

/** (b) The Discord adapter and the engine, every message persisted to PostgreSQL. */
export async function discordBot(events: number, guilds: number): Promise<IngestFigures> {
  const gateway = await DiscordGatewayProcess.ingest(guilds);
  const config = loadConfig();
  let adapter: PlatformAdapter | undefined;
  const bot = await startBenchBot({ config, adapter: () => adapter });
  try {
    adapter = createDiscordAdapter({ token: 'fake-token', apiUrl: gateway.restBase, prisma: bot.database.prisma, config, logger: silentLogger });
    await adapter.start((event) => bot.sink(event));
    const streamed = gateway.streamIngest(events);
    await bot.handled(events, 60_000 + events * 100);
    const { dispatched } = await streamed;
    const { counters } = bot;
    const seconds = (counters.lastHandledAt - counters.firstReceivedAt) / 1000;
    // The actions (deletions, timeouts, DMs, mod-log posts) go out at Discord's 50 requests/s.
    await adapter.stop();
    await adapter.dispose?.();
    adapter = undefined;
    const rows = await bot.rows();
    const calls = await gateway.calls();
    const restCalls = Object.entries(calls).filter(([route]) => !route.startsWith('GET /gateway'));
    const failedCalls = restCalls.filter(([route]) => !/ 2\d\d$/.test(route)).reduce((sum, [, n]) => sum + n, 0);
    const notProcessed = Object.entries(counters.other).map(([status, n]) => `${n} ${status}`).join(', ');
    return {
      path: '(b) bot: Discord adapter + engine, PostgreSQL',
      communities: guilds,
      sent: dispatched,
      seconds,
      eventsPerSecond: counters.processed / seconds,
      backlogHighWater: counters.backlogHighWater,
      persisted: rows.messages,
      lost: dispatched - rows.messages,
      note: `${restCalls.reduce((sum, [, n]) => sum + n, 0)} REST calls for the actions (${failedCalls} not 2xx)${notProcessed ? `; ${notProcessed}` : ''}; ${rows.processedMessageEvents} message events recorded`,
    };
  } finally {
    await adapter?.stop();
    await adapter?.dispose?.();
    await gateway.stop();
    await bot.dispose();
  }
}

export function ingestTable(title: string, floor: IngestFigures, bot: IngestFigures): string {
  const ratio = bot.eventsPerSecond / floor.eventsPerSecond;
  const row = (f: IngestFigures) => [
    f.path,
    f.communities,
    figure(f.sent),
    figure(f.seconds, 2),
    figure(f.eventsPerSecond),
    f.backlogHighWater === undefined ? '–' : figure(f.backlogHighWater),
    f.persisted === undefined ? '–' : figure(f.persisted),
    figure(f.lost),
  ];
  return [
    markdownTable([title, 'communities', 'events sent', 'seconds', 'events/s', 'backlog high-water', 'rows persisted', 'lost'], [
      row(floor),
      row(bot),
      [`(b) / (a), goal ≥ 80 %`, '', '', '', `**${percent(ratio)}**`, '', '', ''],
    ]),
    ...(bot.note ? ['', `(b): ${bot.note}.`] : []),
  ].join('\n');
}

export async function benchIngestDiscord(): Promise<string> {
  const floorEvents = envNumber('BENCH_DISCORD_FLOOR_EVENTS', benchFull() ? 1_000_000 : 50_000);
  const botEvents = envNumber('BENCH_DISCORD_BOT_EVENTS', benchFull() ? 1_000_000 : 20_000);
  const guilds = envNumber('BENCH_DISCORD_GUILDS', 8);
  const floor = await discordFloor(floorEvents, guilds);
  const bot = await discordBot(botEvents, guilds);
  return ingestTable('Discord ingest (MESSAGE_CREATE)', floor, bot);
}

if (isMain(import.meta.url)) console.log(await benchIngestDiscord());

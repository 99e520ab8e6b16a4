// `node --import tsx bench/memory.ts` (issue 10, item 2): resident memory of the Discord adapter
// (discord.js with guyub's lean cache) in a guild of 100,000 members and 1,000 channels. The fake
// Discord, in its own process, sends GUILD_CREATE (1,000 channels, member_count 100,000, large),
// then 100,000 GUILD_MEMBER_ADD and a stream of messages from those members (an hour of
// traffic, compressed). The sink only counts, so the engine's speed does not bound it.
// The measurement runs in a fresh node process with --expose-gc: samples after a full GC at
// the start (connected, guild loaded), a quarter, half, three quarters and the end of the
// stream, and the highest RSS seen without forcing GC (sampled every 100 ms).
// BENCH_MEMORY_MEMBERS (default 100,000), BENCH_MEMORY_CHANNELS (1,000), BENCH_MEMORY_MESSAGES
// (default 100,000; BENCH_FULL=1: 1,000,000).
import { createDiscordAdapter } from '../src/adapters/discord/index.js';
import { loadConfig } from '../src/config/index.js';
import { silentLogger } from '../src/core/logger.js';
import { createScratchPostgres, openDatabase } from '../src/db/index.js';
import { reportFailures, TsChild, type ChildMessage } from './support/child.js';
import { DiscordGatewayProcess } from './support/discord-gateway.js';
import { benchFull, envNumber, figure, isMain, markdownTable } from './support/table.js';

interface Sample {
  label: string;
  events: number;
  rssMb: number;
  heapUsedMb: number;
  /** V8's heap as reserved from the system, used or not. */
  heapTotalMb: number;
  /** Buffers outside the V8 heap (socket data, ArrayBuffers). */
  externalMb: number;
}

interface MemoryFigures {
  members: number;
  channels: number;
  messages: number;
  counted: number;
  seconds: number;
  samples: Sample[];
  maxRssMb: number;
}

const mb = (bytes: number) => bytes / 1024 / 1024;

/** In the child: connects the adapter to the big guild and samples memory while the traffic flows. */
async function measure(members: number, channels: number, messages: number): Promise<MemoryFigures> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const sample = (label: string, events: number): Sample => {
    gc();
    const usage = process.memoryUsage();
    return { label, events, rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed), heapTotalMb: mb(usage.heapTotal), externalMb: mb(usage.external) };
  };
  const scratch = await createScratchPostgres();
  const database = await openDatabase({ databaseUrl: scratch.url });
  const gateway = await DiscordGatewayProcess.bigGuild(channels, members);
  const adapter = createDiscordAdapter({ token: 'fake-token', apiUrl: gateway.restBase, prisma: database.prisma, config: loadConfig(), logger: silentLogger });
  const samples: Sample[] = [sample('before connecting (adapter, Prisma, PostgreSQL pool)', 0)];
  let maxRss = 0;
  const poll = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage.rss())), 100);
  try {
    const total = members + messages;
    const milestones = [0.25, 0.5, 0.75].map((q) => Math.floor(total * q));
    let counted = 0;
    await adapter.start(async () => {
      counted++;
      if (counted === milestones[0]) {
        const at = milestones.shift()!;
        setImmediate(() => samples.push(sample(`${Math.round((at / total) * 100)} % of the stream`, at)));
      }
    });
    samples.push(sample(`connected, GUILD_CREATE with ${figure(channels)} channels`, 0));
    const began = performance.now();
    const streamed = gateway.streamBigGuild(members, messages);
    const deadline = Date.now() + 600_000;
    while (counted < total && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = (performance.now() - began) / 1000;
    await streamed;
    samples.push(sample('end of the stream', counted));
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    samples.push(sample('5 s later', counted));
    maxRss = Math.max(maxRss, process.memoryUsage.rss());
    return { members, channels, messages, counted, seconds, samples, maxRssMb: mb(maxRss) };
  } finally {
    clearInterval(poll);
    await adapter.stop();
    await adapter.dispose();
    await gateway.stop();
    await database.close();
    await scratch.drop();
  }
}

export async function benchMemory(): Promise<string> {
  const members = envNumber('BENCH_MEMORY_MEMBERS', 100_000);
  const channels = envNumber('BENCH_MEMORY_CHANNELS', 1_000);
  const messages = envNumber('BENCH_MEMORY_MESSAGES', benchFull() ? 1_000_000 : 100_000);
  const child = new TsChild('bench/memory.ts', { nodeArgs: ['--expose-gc'], args: ['--child'] });
  let result: MemoryFigures;
  try {
    child.send({ type: 'measure', members, channels, messages });
    result = (await child.receive<{ type: string; figures: MemoryFigures }>('measured')).figures;
  } finally {
    await child.stop();
  }
  const rows = result.samples.map((s) => [s.label, figure(s.events), figure(s.rssMb), figure(s.heapUsedMb), figure(s.heapTotalMb), figure(s.externalMb)]);
  rows.push(['highest RSS seen (no forced GC)', '', `**${figure(result.maxRssMb)}**`, '', '', '']);
  return [
    markdownTable([`Discord adapter, lean cache: ${figure(result.members)} members, ${figure(result.channels)} channels, ${figure(result.messages)} messages (goal flat, < 300 MB)`, 'events', 'RSS MB', 'heap used MB', 'heap total MB', 'external MB'], rows),
    '',
    `${figure(result.counted)} events reached the sink in ${figure(result.seconds, 1)} s (${figure(result.counted / result.seconds)} events/s); samples after a full GC unless noted.`,
  ].join('\n');
}

if (process.argv.includes('--child')) {
  reportFailures();
  process.on('message', (message: ChildMessage) => {
    if (message.type === 'stop') process.disconnect();
    if (message.type !== 'measure') return;
    void measure(Number(message.members), Number(message.channels), Number(message.messages)).then(
      (figures) => process.send!({ type: 'measured', figures }),
      (error: unknown) => process.send!({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
} else if (isMain(import.meta.url)) {
  console.log(await benchMemory());
}

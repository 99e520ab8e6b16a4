import { measureAutomod } from './automod.js';
import { measureEngineThroughput } from './engine-throughput.js';
import { benchIngestDiscord } from './ingest-discord.js';
import { benchIngestSlack } from './ingest-slack.js';
import { benchMemory } from './memory.js';
import { benchScaleOut } from './scale-out.js';

/**
 * `npm run bench`: prints each figure as a table row. Latency is from handing an event to the
 * engine to its actions coming back: in `concurrent` mode every event of the run is in flight
 * at once (so it includes queueing behind the community's earlier events, and the engine
 * handles a busy community's waiting events together, up to 500 per transaction); in
 * `sequential` mode one event at a time, each in its own transaction.
 */
const events = Number(process.env.BENCH_EVENTS ?? 20_000);
// One at a time is about a hundred events a second: a tenth of the stream shows its latency.
const sequentialEvents = Math.min(events, 2_000);
const rows = [];
for (const backend of ['pglite', 'postgres'] as const) {
  rows.push(await measureEngineThroughput(backend, events, 'concurrent'));
  rows.push(await measureEngineThroughput(backend, sequentialEvents, 'sequential'));
}

console.log('| engine, every capability on | mode | events | seconds | events/s | p50 ms | p99 ms |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.backend} | ${r.mode} | ${r.events} | ${r.seconds.toFixed(2)} | ${Math.round(r.eventsPerSecond)} | ${r.p50ms.toFixed(1)} | ${r.p99ms.toFixed(1)} |`);
}

const automod = await measureAutomod();
console.log('');
console.log('| automod rules, strict preset, one core | messages | messages/s | p50 µs | p99 µs |');
console.log('|---|---|---|---|---|');
console.log(`| in-memory counters | ${automod.messages} | ${Math.round(automod.messagesPerSecond)} | ${automod.p50us.toFixed(0)} | ${automod.p99us.toFixed(0)} |`);

// Issue 10: ingest against the library floor, the adapter's memory, worker scale-out.
for (const bench of [benchIngestDiscord, benchIngestSlack, benchMemory, benchScaleOut]) console.log(`\n${await bench()}`);

// `node --import tsx bench/polls.ts` (BENCH_VOTERS, default 1000; DATABASE_URL or the local
// PostgreSQL's scratch database): issue 7's "1,000 members voting within a second leave one vote
// each in PostgreSQL, and at most a handful of tally edits", on the wall clock with the real-time
// scheduler, as the bot runs. Every vote is stamped within one second and all are in flight at once.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config/index.js';
import type { Action } from '../src/contracts/index.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { createScratchPostgres, openDatabase } from '../src/db/index.js';
import { createCapabilities } from '../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../src/engine/moderation/automod/index.js';
import { Engine } from '../src/engine/pipeline.js';
import { RealTimeScheduler } from '../src/jobs/in-process-scheduler.js';

const voters = Number(process.env.BENCH_VOTERS ?? 1000);
const scratch = process.env.DATABASE_URL ? undefined : await createScratchPostgres();
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL ?? scratch!.url });
const scheduler = new RealTimeScheduler(systemClock);
const config = loadConfig();
const engine = new Engine({ prisma: database.prisma, config, clock: systemClock, scheduler, logger: silentLogger, capabilities: createCapabilities({ counters: new InMemoryRateCounters() }) });
const edits: { at: number; text: string }[] = [];
engine.attachJobs(async (actions: Action[]) => {
  for (const a of actions) if (a.type === 'message.edit') edits.push({ at: performance.now(), text: a.message.text });
});
await scheduler.start();
const community = `bench-${Date.now()}`;
try {
  const created = await engine.handle({
    id: `${community}-poll`, platform: 'discord', community, at: new Date().toISOString(), type: 'command.invoked', channel: 'general',
    member: { id: 'author', name: 'Author' }, command: 'poll', options: { question: 'Busy?', choices: 'red; green; blue; yellow', duration: '1h' },
  });
  const actions: Action[] = created.actions;
  const post = actions.find((a): a is Extract<Action, { type: 'message.send' }> => a.type === 'message.send');
  const buttons = post!.message.buttons!;
  const start = performance.now();
  const base = Date.now();
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: voters }, async (_, i) => {
      const sent = performance.now();
      const outcome = await engine.handle({
        id: `${community}-v${i}`, platform: 'discord', community, at: new Date(base + Math.floor((i * 1000) / voters)).toISOString(),
        type: 'component.used', channel: 'general', member: { id: `m${i}`, name: `Member ${i}` }, componentId: buttons[i % buttons.length]!.id,
      });
      if (outcome.status !== 'processed') throw new Error(`vote ${i}: ${outcome.status}`);
      latencies.push(performance.now() - sent);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  // Let the last tally window close and its edit run.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  await engine.idle();
  const poll = await database.prisma.poll.findFirstOrThrow({ where: { community: { externalId: community } } });
  const votes = await database.prisma.pollVote.count({ where: { pollId: poll.id } });
  const members = (await database.prisma.pollVote.groupBy({ by: ['memberId'], where: { pollId: poll.id } })).length;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  console.log('| votes sent | votes stored | members with a vote | seconds to handle | votes/s | p50 ms | p99 ms | tally edits |');
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(`| ${voters} | ${votes} | ${members} | ${seconds.toFixed(2)} | ${Math.round(voters / seconds)} | ${pct(0.5).toFixed(0)} | ${pct(0.99).toFixed(0)} | ${edits.length} |`);
  console.log(`last edit: ${edits.at(-1)?.text.split('\n').at(-1)}`);
} finally {
  await scheduler.stop();
  await database.close();
  await scratch?.drop();
}

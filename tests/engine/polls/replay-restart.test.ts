import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../../../src/adapters/replay/replay-file.js';
import { loadConfig } from '../../../src/config/index.js';
import { ActionSchema, type Action } from '../../../src/contracts/index.js';
import { VirtualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { packageRoot } from '../../../src/core/paths.js';
import { createCapabilities } from '../../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../../src/engine/moderation/automod/index.js';
import { Engine } from '../../../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../../../src/jobs/in-process-scheduler.js';
import { ofType } from '../../support/polls.js';
import { createTestEngine } from '../../support/test-engine.js';

const fixture = path.join(packageRoot, 'tests/fixtures/polls/meetup-poll.jsonl');
const events = readFileSync(fixture, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { id: string; at: string });
/** The restart comes after Eko's second vote: the first process dies with the deadline and a tally edit pending. */
const RESTART_AFTER = 'p13';
const DAY_MS = 86_400_000;

async function replay(): Promise<string> {
  const t = await createTestEngine('pglite', { start: new Date(0) });
  let output = '';
  const out = new Writable({ write: (chunk, _e, done) => ((output += String(chunk)), done()) });
  const err = new Writable({ write: (_c, _e, done) => done() });
  try {
    const summary = await replayFile({ file: fixture, engine: t.engine, clock: t.clock, scheduler: t.scheduler, logger: silentLogger, json: true, out, err });
    expect(summary).toMatchObject({ events: 16, badLines: 0, failedEvents: 0 });
  } finally {
    await t.dispose();
  }
  return output;
}

/** What a member or the channel ends up seeing of the poll. */
function check(actions: Action[]): void {
  const results = ofType(actions, 'message.send').filter((a) => a.key === 'poll-results:1');
  expect(results).toHaveLength(1);
  expect(results[0]!.message.image).toMatchObject({ name: 'poll-1.png', contentType: 'image/png', storedImageId: expect.any(Number) });
  expect(results[0]!.message.fields?.map((f) => f.value)).toEqual([
    '▱▱▱▱▱▱▱▱▱▱ 0 votes (0%)',
    '▰▰▰▰▰▰▰▰▰▰ 3 votes (75%)\nBudi, Citra, Eko',
    '▰▰▰▱▱▱▱▱▱▱ 1 vote (25%)\nDewi',
  ]);
  expect(results[0]!.cause).toMatch(/poll-close:1@2026-11-02T10:01:00.000Z$/);
  const late = ofType(actions, 'reply.ephemeral').filter((a) => a.cause === 'p16');
  expect(late.map((a) => a.message.text)).toEqual(['Poll #1 is closed; votes are no longer counted.']);
  const forged = ofType(actions, 'reply.ephemeral').filter((a) => a.cause === 'p15');
  expect(forged.map((a) => a.message.text)).toEqual(['This button does not belong to a poll here (it may be outdated). Nothing was changed.']);
}

describe('replaying a poll', () => {
  it('gives the right final tally, one results message with a chart, and the same output twice', async () => {
    const first = await replay();
    const second = await replay();
    expect(second).toBe(first);
    const actions = first.trim().split('\n').map((line) => ActionSchema.parse(JSON.parse(line)));
    check(actions);
    // The fixture's button ids are the ones the poll showed: ids are deterministic.
    const buttons = ofType(actions, 'message.send').find((a) => a.key === 'poll:1')!.message.buttons!.map((b) => b.id);
    expect(buttons).toContain(JSON.parse(readFileSync(fixture, 'utf8').split('\n')[7]!).componentId);
    // Output stays small: the chart travels as a stored image id, not as bytes.
    expect(first.length).toBeLessThan(30_000);
  });

  it('survives a restart in the middle: a second process on the same database re-arms the deadline and closes the poll once', async () => {
    const t = await createTestEngine('pglite');
    const actions: Action[] = [];
    try {
      const config = loadConfig();
      const boot = (start: Date) => {
        const clock = new VirtualClock(start);
        const scheduler = new VirtualTimeScheduler(clock);
        const engine = new Engine({ prisma: t.database.prisma, config, clock, scheduler, logger: silentLogger, capabilities: createCapabilities({ counters: new InMemoryRateCounters() }) });
        engine.attachJobs(async (done) => void actions.push(...done));
        return { clock, scheduler, engine };
      };
      const feed = async (process: ReturnType<typeof boot>, list: typeof events) => {
        for (const event of list) {
          await process.scheduler.runUntil(new Date(event.at));
          const outcome = await process.engine.handle(event);
          expect(outcome.status).toBe('processed');
          actions.push(...outcome.actions);
        }
      };
      const split = events.findIndex((e) => e.id === RESTART_AFTER) + 1;
      const first = boot(new Date(events[0]!.at));
      await feed(first, events.slice(0, split));
      const pollJobs = async (scheduler: VirtualTimeScheduler) => (await scheduler.pendingJobIds()).filter((id) => id.includes(':poll-')).sort();
      // The deadline and a tally edit, lost with the process.
      expect(await pollJobs(first.scheduler)).toEqual(['discord:g1:poll-close:1', 'discord:g1:poll-tally:1']);
      const second = boot(new Date(new Date(events[split - 1]!.at).getTime() + 60_000));
      expect(await second.engine.recover()).toBe(1);
      expect(await pollJobs(second.scheduler)).toEqual(['discord:g1:poll-close:1']);
      await feed(second, events.slice(split));
      await second.scheduler.runUntil(new Date(new Date(events.at(-1)!.at).getTime() + DAY_MS));
      check(actions);
      const votes = await t.database.prisma.pollVote.findMany({ orderBy: { memberId: 'asc' }, select: { member: { select: { name: true } }, option: { select: { label: true } } } });
      expect(votes.map((v) => `${v.member.name}: ${v.option.label}`)).toEqual(['Budi: Jakarta', 'Citra: Jakarta', 'Dewi: Yogyakarta', 'Eko: Jakarta']);
    } finally {
      await t.dispose();
    }
  });
});

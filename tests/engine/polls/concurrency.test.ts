import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import type { Action } from '../../../src/contracts/index.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createCapabilities } from '../../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../../src/engine/moderation/automod/index.js';
import { Engine } from '../../../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../../../src/jobs/in-process-scheduler.js';
import { buttonsOf, ofType } from '../../support/polls.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';

const START = Date.UTC(2026, 10, 2, 9, 0, 0);
let t: TestEngine;
/** A second bot process on the same PostgreSQL database, with its own queue and scheduler. */
let other: { engine: Engine; scheduler: VirtualTimeScheduler };
const jobActions: Action[] = [];
let seq = 0;

const press = (engine: Engine, member: string, componentId: string, ms: number) =>
  engine.handle({ id: `c-${++seq}`, platform: 'discord', community: 'g1', at: new Date(START + ms).toISOString(), type: 'component.used', channel: 'general', member: { id: member, name: member }, componentId });

async function newPoll(options: Record<string, string | boolean>) {
  const outcome = await t.engine.handle({ id: `c-${++seq}`, platform: 'discord', community: 'g1', at: new Date(START).toISOString(), type: 'command.invoked', channel: 'general', member: { id: 'ayu', name: 'Ayu' }, command: 'poll', options });
  const poll = ofType(outcome.actions, 'message.send')[0]!.key!;
  return buttonsOf(outcome.actions, poll);
}

describe('votes under concurrency on PostgreSQL', () => {
  beforeAll(async () => {
    t = await createTestEngine('postgres', { start: new Date(START) });
    t.engine.attachJobs(async (actions) => void jobActions.push(...actions));
    const scheduler = new VirtualTimeScheduler(t.clock);
    const engine = new Engine({ prisma: t.database.prisma, config: loadConfig(), clock: t.clock, scheduler, logger: silentLogger, capabilities: createCapabilities({ counters: new InMemoryRateCounters() }) });
    engine.attachJobs(async (actions) => void jobActions.push(...actions));
    other = { engine, scheduler };
  });
  afterAll(async () => t.dispose());

  it('keeps one vote per member when the same member clicks different choices at once in two processes', async () => {
    const buttons = await newPoll({ question: 'Single?', choices: 'a;b;c;d' });
    const clicks = Array.from({ length: 24 }, (_, i) => press(i % 2 ? other.engine : t.engine, 'budi', buttons[i % 4]!.id, 1000 + i));
    const outcomes = await Promise.all(clicks);
    expect(outcomes.map((o) => o.status)).toEqual(Array(24).fill('processed'));
    const votes = await t.database.prisma.pollVote.findMany({ where: { member: { externalId: 'budi' }, poll: { question: 'Single?' } } });
    expect(votes).toHaveLength(1);
  });

  it('refuses, in the database itself, a second vote of a member in a single-choice poll and a repeated choice in a multiple-choice one', async () => {
    const single = await t.database.prisma.pollVote.findFirstOrThrow({ where: { member: { externalId: 'budi' } }, include: { poll: { include: { options: true } } } });
    const otherOption = single.poll.options.find((o) => o.id !== single.optionId)!;
    await expect(
      t.database.prisma.pollVote.create({ data: { pollId: single.pollId, optionId: otherOption.id, memberId: single.memberId, slot: 0, createdAt: new Date(), updatedAt: new Date() } }),
    ).rejects.toThrow(/Unique constraint/);
    await expect(
      t.database.prisma.pollVote.create({ data: { pollId: single.pollId, optionId: single.optionId, memberId: single.memberId, slot: 2, createdAt: new Date(), updatedAt: new Date() } }),
    ).rejects.toThrow(/Unique constraint/);
  });

  it('leaves one vote each when 1,000 members vote within a second through two processes, and a handful of tally edits', async () => {
    const buttons = await newPoll({ question: 'Busy?', choices: 'red;green;blue' });
    jobActions.length = 0;
    const clicks = Array.from({ length: 1000 }, (_, i) => press(i % 2 ? other.engine : t.engine, `m${i}`, buttons[i % 3]!.id, 10_000 + i));
    // Half of the members click twice (a change of mind, or a double click), also concurrently.
    const again = Array.from({ length: 500 }, (_, i) => press(i % 2 ? t.engine : other.engine, `m${i * 2}`, buttons[(i + 1) % 3]!.id, 10_000 + i * 2 + 1));
    const outcomes = await Promise.all([...clicks, ...again]);
    expect(outcomes.filter((o) => o.status !== 'processed')).toEqual([]);
    await Promise.all([t.scheduler.runUntil(new Date(START + 60_000)), other.scheduler.runUntil(new Date(START + 60_000))]);
    const poll = await t.database.prisma.poll.findFirstOrThrow({ where: { question: 'Busy?' } });
    expect(await t.database.prisma.pollVote.count({ where: { pollId: poll.id } })).toBe(1000);
    const distinct = await t.database.prisma.pollVote.groupBy({ by: ['memberId'], where: { pollId: poll.id } });
    expect(distinct).toHaveLength(1000);
    const edits = ofType(jobActions, 'message.edit').filter((a) => a.key === `poll:${poll.number}`);
    // Votes stamped within 10.0–11.5 s: windows 10–15 s in each of the two processes.
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(4);
    expect(edits.at(-1)!.message.text).toContain('1000 members voted.');
  });
});

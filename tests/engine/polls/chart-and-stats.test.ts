import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_WIDTH, renderBarChart } from '../../../src/engine/polls/chart.js';
import { pollResultsForDay } from '../../../src/engine/polls/index.js';
import { buttonsOf, Conversation } from '../../support/polls.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('the results chart', () => {
  it('is a PNG whose size follows the number of choices, and the same results draw the same bytes', async () => {
    const input = { title: 'Where should the next meetup be?', labels: ['Bandung', 'Jakarta', 'Yogyakarta'], values: [0, 3, 1] };
    const first = await renderBarChart(input);
    const second = await renderBarChart(input);
    expect(first.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(first.png)).toEqual({ width: CHART_WIDTH, height: first.height });
    expect(second.png.equals(first.png)).toBe(true);
    const ten = await renderBarChart({ title: 'Ten', labels: Array.from({ length: 10 }, (_, i) => `Choice ${i + 1} with a rather long label that gets shortened`), values: Array(10).fill(0) });
    expect(ten.height).toBeGreaterThan(first.height);
    expect(pngSize(ten.png)).toEqual({ width: CHART_WIDTH, height: ten.height });
  });
});

describe('poll results for the digest', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine('postgres');
  });
  afterAll(async () => t.dispose());

  it('lists the polls closed on a day with their votes, counted in SQL', async () => {
    const c = new Conversation(t);
    const ayu = { id: 'ayu', name: 'Ayu' };
    const budi = { id: 'budi', name: 'Budi' };
    await c.join(1, ayu);
    await c.join(2, budi);
    const [yes, no] = buttonsOf(await c.command(10, ayu, 'poll', { question: 'Pizza?', choices: 'Yes;No', duration: '1h', multi: true }), 'poll:1');
    await c.command(11, ayu, 'poll', { question: 'Still open?', choices: 'a;b', duration: '3d' });
    await c.press(20, ayu, yes!.id);
    await c.press(21, budi, yes!.id);
    await c.press(22, budi, no!.id);
    await c.runUntil(2 * 3600);
    const day = new Date(Date.UTC(2026, 10, 2));
    const communityId = (await t.database.prisma.community.findFirstOrThrow()).id;
    expect(await pollResultsForDay(t.database.prisma, communityId, day)).toEqual([
      { number: 1, question: 'Pizza?', channel: 'general', closedAt: c.at(10 + 3600), voters: 2, options: [{ label: 'Yes', votes: 2 }, { label: 'No', votes: 1 }] },
    ]);
    expect(await pollResultsForDay(t.database.prisma, communityId, new Date(Date.UTC(2026, 10, 3)))).toEqual([]);
  });
});

import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/core/paths.js';
import { createScratchPostgres, openDatabase, type ScratchPostgres } from '../../../src/db/index.js';
import { feedbackSummary } from '../../../src/engine/feedback/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { VirtualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createCapabilities } from '../../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../../src/engine/moderation/automod/index.js';
import { Engine } from '../../../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../../../src/jobs/in-process-scheduler.js';
import type { Database } from '../../../src/db/index.js';
import { Conversation, ephemeralTexts, ofType } from '../../support/polls.js';
import type { TestEngine } from '../../support/test-engine.js';

const run = promisify(execFile);
const tsxLoader = pathToFileURL(path.join(packageRoot, 'node_modules/tsx/dist/loader.mjs')).href;

const lead = { id: 'u-lead', name: 'Lead', roles: ['product'] };
const mod = { id: 'u-mod', name: 'Mod', roles: ['moderator'] };
const ayu = { id: 'u-ayu', name: 'Ayu' };
const budi = { id: 'u-budi', name: 'Budi' };
const citra = { id: 'u-citra', name: 'Citra' };

// Bugs go to the engineers' channel (their role may change bug statuses), ideas to the product team's; the rest to #feedback.
const CONFIG = `community: g1
feedback:
  categories:
    bug: { channel: eng-bugs, teamRoles: [engineer] }
    idea: { channel: product, teamRoles: [product] }
    praise: { channel: null, teamRoles: [] }
    question: null
  teamRoles: [moderator]
`;

let scratch: ScratchPostgres;
let database: Database;
let t: TestEngine;
let c: Conversation;
const dir = mkdtempSync(path.join(tmpdir(), 'guyub-feedback-'));

describe('feedback on PostgreSQL', () => {
  beforeAll(async () => {
    scratch = await createScratchPostgres();
    database = await openDatabase({ databaseUrl: scratch.url });
    copyFileSync(path.join(packageRoot, 'config/default.yaml'), path.join(dir, 'default.yaml'));
    mkdirSync(path.join(dir, 'communities'));
    writeFileSync(path.join(dir, 'communities/g1.yaml'), CONFIG);
    const clock = new VirtualClock(Date.UTC(2026, 10, 2));
    const scheduler = new VirtualTimeScheduler(clock);
    const engine = new Engine({ prisma: database.prisma, config: loadConfig({ dir }), clock, scheduler, logger: silentLogger, capabilities: createCapabilities({ counters: new InMemoryRateCounters() }) });
    t = { engine, database, clock, scheduler, dispose: async () => {} };
    c = new Conversation(t);
    for (const [i, m] of [lead, mod, ayu, budi, citra].entries()) await c.join(i + 1, m);
  });
  afterAll(async () => {
    await database.close();
    await scratch.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores feedback, acknowledges it with a reference and posts it to the team that owns the category', async () => {
    const idea = await c.command(10, ayu, 'feedback', { category: 'idea', text: 'A dark mode for the dashboard, please' });
    expect(ephemeralTexts(idea)).toEqual(['Thank you! Your feedback is **FB-1** (Idea); the team has it, and you will hear when its status changes.']);
    const card = ofType(idea, 'message.send')[0]!;
    expect(card).toMatchObject({ channel: 'product', key: 'feedback:1' });
    expect(card.message.text).toBe('📝 **FB-1** · Idea · from <@u-ayu>\n> A dark mode for the dashboard, please');
    expect(card.message.buttons).toEqual([{ id: expect.stringMatching(/^feedback:\+1:1:[0-9a-f]{12}$/), label: '+1', style: 'secondary' }]);
    // Positional, as the shell and Slack send it; a category without its own channel goes to channels.feedback.
    expect(ofType(await c.command(11, budi, 'feedback', { text: 'bug The export crashes on @everyone names' }), 'message.send')[0]).toMatchObject({ channel: 'eng-bugs' });
    expect(ofType(await c.command(12, citra, 'feedback', { text: 'praise Thanks for the meetup!' }), 'message.send')[0]).toMatchObject({ channel: 'feedback' });
    await c.command(13, citra, 'feedback', { category: 'idea', text: 'Dark mode on mobile too' });
    const rows = await database.prisma.feedback.findMany({ orderBy: { number: 'asc' }, select: { number: true, category: true, status: true } });
    expect(rows.map((r) => `${r.number} ${r.category} ${r.status}`)).toEqual(['1 idea open', '2 bug open', '3 praise open', '4 idea open']);
  });

  it('refuses an unknown category, a missing category or text, and stores nothing', async () => {
    expect(ephemeralTexts(await c.command(20, ayu, 'feedback', { category: 'rant', text: 'x' }))).toEqual(['"rant" is not a feedback category here; choose one of bug, idea, praise, other.']);
    expect(ephemeralTexts(await c.command(21, ayu, 'feedback', { category: 'idea' }))).toEqual([expect.stringContaining('Please write your feedback')]);
    expect(ephemeralTexts(await c.command(22, ayu, 'feedback', {}))).toEqual([expect.stringContaining('Which category?')]);
    expect(await database.prisma.feedback.count()).toBe(4);
  });

  it('takes one +1 per member, not from the submitter, and edits the card once for a burst', async () => {
    const card = await database.prisma.feedback.findFirstOrThrow({ where: { number: 1 } });
    const top = await c.command(30, budi, 'feedback', { text: 'top' });
    const button = ofType(top, 'reply.ephemeral')[0]!.message.buttons!.find((b) => b.label === '+1 FB-1')!;
    expect(ephemeralTexts(await c.press(31, budi, button.id))).toEqual(['+1 for FB-1: 1 member supports it.']);
    expect(ephemeralTexts(await c.press(31.5, budi, button.id))).toEqual(['You already support FB-1; one +1 per member.']);
    expect(ephemeralTexts(await c.press(32, citra, button.id))).toEqual(['+1 for FB-1: 2 members support it.']);
    expect(ephemeralTexts(await c.press(33, ayu, button.id))).toEqual(['FB-1 is your own feedback; others can support it.']);
    expect(ephemeralTexts(await c.press(34, budi, button.id.replace(/.{12}$/, 'ffffffffffff')))).toEqual(['This button does not belong to feedback here (it may be outdated). Nothing was changed.']);
    // Concurrent double clicks from one member still count once (the unique key decides).
    await Promise.all([c.press(36, mod, button.id), c.press(36, mod, button.id)].map((p) => p.catch((e: unknown) => e)));
    expect(await database.prisma.feedbackVote.count({ where: { feedbackId: card.id } })).toBe(3);
    const dewi = { id: 'u-dewi', name: 'Dewi' };
    await c.join(37, dewi);
    await c.leave(38, dewi);
    expect(ephemeralTexts(await c.press(39, dewi, button.id))).toEqual(['You are no longer a member of this community.']);
    expect(await database.prisma.feedbackVote.count({ where: { feedbackId: card.id } })).toBe(3);
    const edits = ofType(await c.runUntil(60), 'message.edit');
    expect(edits.map((e) => e.key)).toEqual(['feedback:1']);
    expect(edits[0]!.message.fields).toContainEqual({ name: 'Support', value: '+3' });
  });

  it('lists the most supported open items, optionally of one category', async () => {
    const top = ephemeralTexts(await c.command(70, budi, 'feedback top'))[0]!;
    expect(top.split('\n')).toEqual([
      '**Most supported open feedback**',
      '1. **FB-1** · Idea · +3 · open: A dark mode for the dashboard, please',
      '2. **FB-2** · Bug · +0 · open: The export crashes on @\u200beveryone names',
      '3. **FB-3** · Praise · +0 · open: Thanks for the meetup!',
      '4. **FB-4** · Idea · +0 · open: Dark mode on mobile too',
    ]);
    expect(ephemeralTexts(await c.command(71, budi, 'feedback', { text: 'top idea' }))[0]!.split('\n').slice(1).map((l) => l.slice(0, 12))).toEqual(['1. **FB-1** ', '2. **FB-4** ']);
    expect(ephemeralTexts(await c.command(72, budi, 'feedback top', { category: 'other' }))).toEqual(['There is no open feedback in Other yet.']);
    // `question: null` in the community's file removed that default category.
    expect(ephemeralTexts(await c.command(73, budi, 'feedback top', { category: 'question' }))).toEqual([expect.stringContaining('"question" is not a feedback category here')]);
  });

  it('lets the owning team change a status, tells the submitter, and drops finished items from the top list', async () => {
    expect(ephemeralTexts(await c.command(80, budi, 'feedback', { text: 'status FB-1 planned' }))).toEqual(['Only the team that owns Idea feedback can change its status.']);
    expect(ephemeralTexts(await c.command(81, lead, 'feedback', { text: 'status FB-1 someday' }))).toEqual([expect.stringContaining('"someday" is not a status')]);
    expect(ephemeralTexts(await c.command(82, lead, 'feedback', { text: 'status FB-99 planned' }))).toEqual(['There is no feedback FB-99.']);
    // The product lead owns ideas, not bugs; moderators (feedback.teamRoles) own every category.
    expect(ephemeralTexts(await c.command(83, lead, 'feedback', { text: 'status 2 done' }))).toEqual(['Only the team that owns Bug feedback can change its status.']);
    const planned = await c.command(84, lead, 'feedback', { text: 'status fb-1 in-progress Shipping in the December release' });
    expect(ephemeralTexts(planned)).toEqual(['FB-1 is now **in progress**; its submitter is told.']);
    const dm = ofType(planned, 'message.send')[0]!;
    expect(dm).toMatchObject({ member: 'u-ayu' });
    expect(dm.message.text).toBe('Your feedback **FB-1** ("A dark mode for the dashboard, please") is now **in progress**. Note from the team: Shipping in the December release');
    expect(ofType(planned, 'message.edit')[0]!.message.fields).toEqual([
      { name: 'Status', value: 'in progress' },
      { name: 'Support', value: '+3' },
      { name: 'Note from the team', value: 'Shipping in the December release' },
    ]);
    const declined = await c.command(85, mod, 'feedback status', { ref: '#2', status: 'declined' });
    expect(ofType(declined, 'message.send')[0]).toMatchObject({ member: 'u-budi', message: { text: expect.stringContaining('is now **declined**.') } });
    expect(ofType(declined, 'message.edit')[0]!.message.buttons).toBeUndefined();
    expect(ephemeralTexts(await c.command(86, mod, 'feedback status', { ref: '2', status: 'declined' }))).toEqual(['FB-2 is already declined.']);
    const history = await database.prisma.feedbackStatusChange.findMany({ orderBy: { id: 'asc' }, select: { status: true, note: true } });
    expect(history).toEqual([{ status: 'in_progress', note: 'Shipping in the December release' }, { status: 'declined', note: null }]);
    expect(ephemeralTexts(await c.command(87, citra, 'feedback top'))[0]).not.toContain('FB-2');
    const top = await c.command(88, citra, 'feedback top');
    const plus = ofType(top, 'reply.ephemeral')[0]!.message.buttons![0]!;
    expect(plus.label).toBe('+1 FB-1');
  });

  it('summarizes new feedback for the digest: counts by category and status, and recurring themes', async () => {
    const communityId = (await database.prisma.community.findFirstOrThrow()).id;
    const summary = await feedbackSummary(database.prisma, communityId, new Date(Date.UTC(2026, 10, 2)), new Date(Date.UTC(2026, 10, 3)));
    expect(summary.total).toBe(4);
    expect(summary.byCategory).toEqual([{ category: 'idea', count: 2 }, { category: 'bug', count: 1 }, { category: 'praise', count: 1 }]);
    expect(summary.byStatus).toEqual([{ status: 'open', count: 2 }, { status: 'declined', count: 1 }, { status: 'in_progress', count: 1 }]);
    expect(summary.themes).toEqual([{ term: 'dark', items: 2 }, { term: 'mode', items: 2 }]);
  });

  it('exports every item as CSV with `guyub feedback export`, to stdout and to a file', async () => {
    const env = { ...process.env, DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' };
    const cli = (args: string[]) => run(process.execPath, ['--import', tsxLoader, path.join(packageRoot, 'src/cli/main.ts'), 'feedback', 'export', ...args], { env, cwd: dir, timeout: 60_000 });
    const { stdout } = await cli([]);
    const rows = parse(stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.ref, r.category, r.status, r.supporters, r.author_name])).toEqual([
      ['FB-1', 'idea', 'in-progress', '3', 'Ayu'],
      ['FB-2', 'bug', 'declined', '0', 'Budi'],
      ['FB-3', 'praise', 'open', '0', 'Citra'],
      ['FB-4', 'idea', 'open', '0', 'Citra'],
    ]);
    expect(rows[0]).toMatchObject({ platform: 'discord', community: 'g1', status_note: 'Shipping in the December release', text: 'A dark mode for the dashboard, please' });
    expect(rows[1]!.text).toBe('The export crashes on @everyone names');
    const out = path.join(dir, 'ideas.csv');
    const written = await cli(['--out', out, '--category', 'idea', '--status', 'open']);
    expect(written.stderr).toContain('exported 1 feedback item(s)');
    expect((parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[]).map((r) => r.ref)).toEqual(['FB-4']);
    await expect(cli(['--status', 'someday'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--status must be') });
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import { packageRoot } from '../../../src/core/paths.js';
import { DIGEST_JOB } from '../../../src/engine/digest/index.js';
import type { DigestData } from '../../../src/engine/digest/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { VirtualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createScratchPostgres, openDatabase, type ScratchPostgres } from '../../../src/db/index.js';
import { createCapabilities } from '../../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../../src/engine/moderation/automod/index.js';
import { Engine } from '../../../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../../../src/jobs/in-process-scheduler.js';
import type { TestEngine } from '../../support/test-engine.js';
import { people, twoWeeks } from '../../fixtures/digest/two-weeks.js';

const run = promisify(execFile);
const tsxLoader = pathToFileURL(path.join(packageRoot, 'node_modules/tsx/dist/loader.mjs')).href;

const CONFIG = {
  'communities/g1.yaml': 'community: g1\nplatform: discord\nname: Kopi\ntimeZone: Asia/Jakarta\n',
  'communities/g2.yaml': 'community: g2\nplatform: discord\nlocale: id\ntimeZone: America/New_York\ndigest:\n  time: "07:30"\n  channel: managers\n',
};

let t: TestEngine;
let scratch: ScratchPostgres;
const configDir = mkdtempSync(path.join(tmpdir(), 'guyub-digest-'));
const jobActions: Action[] = [];
const send = async (raw: Record<string, unknown>): Promise<Action[]> => {
  await t.scheduler.runUntil(new Date(raw.at as string));
  const outcome = await t.engine.handle(raw);
  if (outcome.status !== 'processed') throw new Error(`${String(raw.id)} was ${outcome.status}: ${JSON.stringify(outcome)}`);
  return outcome.actions;
};
const dms = (actions: Action[], member: string) => actions.filter((a) => a.type === 'message.send' && 'member' in a && a.member === member);

describe('daily digest on PostgreSQL', () => {
  beforeAll(async () => {
    copyFileSync(path.join(packageRoot, 'config/default.yaml'), path.join(configDir, 'default.yaml'));
    mkdirSync(path.join(configDir, 'communities'));
    for (const [name, text] of Object.entries(CONFIG)) writeFileSync(path.join(configDir, name), text);
    scratch = await createScratchPostgres();
    const database = await openDatabase({ databaseUrl: scratch.url });
    const clock = new VirtualClock(new Date('2026-11-02T00:00:00Z'));
    const scheduler = new VirtualTimeScheduler(clock);
    const engine = new Engine({ prisma: database.prisma, config: loadConfig({ dir: configDir }), clock, scheduler, logger: silentLogger, capabilities: createCapabilities({ counters: new InMemoryRateCounters() }) });
    t = { engine, database, clock, scheduler, dispose: async () => {} };
    t.engine.attachJobs(async (actions) => void jobActions.push(...actions));
    let pollActions: Action[] = [];
    for (const raw of twoWeeks()) {
      const actions = await send(raw);
      if (raw.type === 'command.invoked' && (raw as { command: string }).command === 'poll') pollActions = actions;
    }
    const poll = pollActions.find((a) => a.type === 'message.send' && a.message.buttons?.length);
    const [bandung, jakarta] = poll!.type === 'message.send' ? poll!.message.buttons! : [];
    for (const [who, button, minute] of [[people.a, bandung!, 10], [people.c, bandung!, 11], [people.d, jakarta!, 12]] as const) {
      await send({ id: `vote-${who.id}`, platform: 'discord', community: 'g1', at: `2026-11-16T07:${minute}:00.000Z`, type: 'component.used', channel: 'general', member: who, componentId: button.id });
    }
  }, 120_000);
  afterAll(async () => {
    await t?.database.close();
    await scratch?.drop();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('sends the digest of the local day at 08:00 Jakarta time (01:00 UTC) to each manager, once', async () => {
    await t.scheduler.runUntil(new Date('2026-11-17T00:59:00Z'));
    expect(dms(jobActions, 'u-boss').filter((a) => a.type === 'message.send' && a.message.text.includes('2026-11-16'))).toHaveLength(0);
    await t.scheduler.runUntil(new Date('2026-11-17T01:00:00Z'));
    const sent = dms(jobActions, 'u-boss').filter((a) => a.type === 'message.send' && a.message.text.includes('2026-11-16'));
    expect(sent).toHaveLength(1);
    const message = sent[0]!.type === 'message.send' ? sent[0]!.message : undefined;
    expect(message!.text).toBe('📊 **Daily digest for Kopi** · 2026-11-16');
    expect(message!.image).toMatchObject({ name: 'digest-2026-11-16.png', contentType: 'image/png', width: 800, height: 360 });
    // The same job again (same id and due time), and a run a minute later (a second process): nothing more.
    const job = { id: 'discord:g1:digest:daily', name: DIGEST_JOB, payload: { platform: 'discord', community: 'g1' } };
    expect(await t.engine.runJob({ ...job, dueAt: new Date('2026-11-17T01:00:00Z') })).toEqual([]);
    expect(await t.engine.runJob({ ...job, dueAt: new Date('2026-11-17T01:01:00Z') })).toEqual([]);
    expect(await t.database.prisma.digest.count({ where: { day: '2026-11-16' } })).toBe(1);
  });

  it('gives figures that match the hand-computed expectations, each with the day and the week before', async () => {
    const row = await t.database.prisma.digest.findFirstOrThrow({ where: { day: '2026-11-16' } });
    const data = row.figures as unknown as DigestData;
    expect(data).toMatchObject({ day: '2026-11-16', timeZone: 'Asia/Jakarta', from: '2026-11-15T17:00:00.000Z', to: '2026-11-16T17:00:00.000Z' });
    const f = Object.fromEntries(Object.entries(data.figures).map(([k, v]) => [k, [v.value, v.dayBefore, v.weekBefore]]));
    expect(f).toEqual({
      newMembers: [2, 1, 0], // D and E; C on the 15th
      returningMembers: [1, 0, 0], // B, back after leaving on the 10th
      leftMembers: [0, 0, 0],
      activeMembers: [5, 2, 2], // A B C D E; A and F on other days
      messages: [7, 2, 2], // m1–m7 (m8 deleted by automod)
      conversations: [2, 0, 0], // m1's thread, the reply to m5
      replies: [4, 0, 0], // m2 m3 m4 m6
      questionsAsked: [2, 0, 0], // m1, m7
      questionsAnswered: [1, 0, 0],
      answeredRate: [50, null, null],
      medianMinutesToFirstAnswer: [10, null, null], // m2 ten minutes after m1
      escalations: [2, 0, 0], // m7 to its team after 2 h, to the managers 4 h later
      moderationCases: [2, 0, 0], // automod (invite), /warn
      feedback: [2, 0, 0],
      nominations: [0, 0, 0],
    });
    expect(data.unanswered).toEqual({
      total: 1,
      items: [{ id: 'm7', channel: 'general', asker: 'E', text: 'Where can I find the meetup schedule?', askedAt: '2026-11-16T04:00:00.000Z', team: 'community', link: 'https://discord.com/channels/g1/general/m7' }],
    });
    expect(data.escalationsByTeam).toEqual([{ team: 'community', level: 1, count: 1 }, { team: 'community', level: 2, count: 1 }]);
    expect(data.moderation).toEqual({ byKind: [{ kind: 'automod', count: 1 }, { kind: 'warn', count: 1 }], byRule: [{ rule: 'invites', count: 1 }] });
    expect(data.polls).toEqual([expect.objectContaining({ question: 'Next meetup?', voters: 3, options: [{ label: 'Bandung', votes: 2 }, { label: 'Jakarta', votes: 1 }] })]);
    expect(data.feedback.byCategory).toEqual([{ category: 'bug', count: 1 }, { category: 'idea', count: 1 }]);
    expect(data.feedback.themes).toEqual([{ term: 'dashboard', items: 2 }]);
    // Terms in two messages or more of the day, ranked against their daily rate over the previous 7 days (kopi was said once on the 12th).
    expect(data.topics).toEqual([
      { term: 'docker', day: 3, previousWeek: 0 },
      { term: 'bandung', day: 2, previousWeek: 0 },
      { term: 'beans', day: 2, previousWeek: 0 },
      { term: 'great', day: 2, previousWeek: 0 },
      { term: 'kopi', day: 3, previousWeek: 1 },
    ]);
    expect(data.threads.map((c) => [c.root, c.replies, c.participants])).toEqual([['m1', 3, ['A', 'B', 'C', 'D']]]);
    expect(data.activity).toHaveLength(14);
    expect(data.activity[0]).toEqual({ day: '2026-11-03', messages: 2, activeMembers: 2 });
    expect(data.activity[13]).toEqual({ day: '2026-11-16', messages: 7, activeMembers: 5 });
    expect(data.leaders.length).toBeGreaterThan(0);
    expect(data.leaders.map((l) => l.score)).toEqual([...data.leaders.map((l) => l.score)].sort((x, y) => y - x));
  });

  it('fires at 07:30 New York time in another community, into its channel, in Indonesian', async () => {
    await send({ id: 'g2-boss', platform: 'discord', community: 'g2', at: '2026-11-17T02:00:00.000Z', type: 'member.joined', member: people.boss });
    await send({ id: 'g2-m1', platform: 'discord', community: 'g2', at: '2026-11-17T14:00:00.000Z', type: 'message.created', channel: 'general', author: people.a, text: 'Halo semua' });
    const before = jobActions.length;
    await t.scheduler.runUntil(new Date('2026-11-18T12:29:00Z'));
    expect(jobActions.slice(before).filter((a) => a.community === 'g2' && a.type === 'message.send')).toEqual([]);
    await t.scheduler.runUntil(new Date('2026-11-18T12:31:00Z'));
    const sent = jobActions.slice(before).filter((a) => a.community === 'g2' && a.type === 'message.send');
    expect(sent.map((a) => ('channel' in a ? a.channel : a.member)).sort()).toEqual(['managers', 'u-boss']);
    expect(sent[0]!.type === 'message.send' && sent[0]!.message.text).toBe('📊 **Ringkasan harian g2** · 2026-11-17');
  });

  it('answers /digest only to managers and moderators, privately', async () => {
    const refused = await send({ id: 'dg-1', platform: 'discord', community: 'g1', at: '2026-11-18T13:00:00.000Z', type: 'command.invoked', channel: 'general', member: people.a, command: 'digest', options: { date: '2026-11-16' } });
    expect(refused).toEqual([expect.objectContaining({ type: 'reply.ephemeral', member: 'u-a', message: { text: 'Only managers and moderators may see the digest.' } })]);
    const bad = await send({ id: 'dg-2', platform: 'discord', community: 'g1', at: '2026-11-18T13:01:00.000Z', type: 'command.invoked', channel: 'general', member: people.boss, command: 'digest', options: { date: 'tuesday' } });
    expect(bad[0]).toMatchObject({ type: 'reply.ephemeral', message: { text: expect.stringContaining('not a day') } });
    const ok = await send({ id: 'dg-3', platform: 'discord', community: 'g1', at: '2026-11-18T13:02:00.000Z', type: 'command.invoked', channel: 'general', member: people.mod, command: 'digest', options: { date: '2026-11-16' } });
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatchObject({ type: 'reply.ephemeral', member: 'u-mod', message: { text: '📊 **Daily digest for Kopi** · 2026-11-16' } });
    const fields = ok[0]!.type === 'reply.ephemeral' ? ok[0]!.message.fields! : [];
    expect(fields.find((x) => x.name === 'Figures')!.value).toContain('Messages: 7 (+5 vs day before, +5 vs week before)');
    expect(fields.find((x) => x.name === 'Still unanswered (1)')!.value).toContain('(https://discord.com/channels/g1/general/m7)');
  });

  it('summarizes the busy conversations of a channel in their threads, in English and in Indonesian', async () => {
    const queued = await send({ id: 'sum-1', platform: 'discord', community: 'g1', at: '2026-11-16T12:00:00.000Z'.replace('16T12', '18T14'), type: 'command.invoked', channel: 'general', member: people.c, command: 'summarize', options: { since: '3d' } });
    expect(queued[0]).toMatchObject({ type: 'reply.ephemeral', message: { text: 'Summarizing #general since 3d; the summary will appear there shortly.' } });
    const before = jobActions.length;
    await t.scheduler.runUntil(new Date('2026-11-18T14:00:01Z'));
    const posted = jobActions.slice(before).filter((a) => a.community === 'g1' && a.type === 'message.send');
    expect(posted).toHaveLength(2);
    expect(posted[0]).toMatchObject({ channel: 'general', message: { text: expect.stringContaining('**Summary of #general**') } });
    expect(posted[1]).toMatchObject({ channel: 'general', thread: 'm1', message: { text: '**Summary** of “How do I deploy the kopi server?” by A: 3 replies, 4 people.' } });
    const fields = posted[1]!.type === 'message.send' ? posted[1]!.message.fields! : [];
    expect(fields[0]).toEqual({ name: 'Participants', value: 'A, B, C, D' });
    expect(fields[1]!.value.split('\n')[0]).toBe('• B: “Use the kopi docker image” (0 replies, 1 reactions)');

    for (const [i, who] of [people.a, people.b, people.c, people.d].entries()) {
      await send({ id: `g2-t${i}`, platform: 'discord', community: 'g2', at: `2026-11-18T15:0${i}:00.000Z`, type: 'message.created', channel: 'general', author: who, text: i ? `Balasan nomor ${i}` : 'Kapan kopdar berikutnya?', ...(i && { thread: 'g2-t0' }) });
    }
    await send({ id: 'sum-2', platform: 'discord', community: 'g2', at: '2026-11-18T16:00:00.000Z', type: 'command.invoked', channel: 'general', member: people.b, command: 'summarize', options: {} });
    const from = jobActions.length;
    await t.scheduler.runUntil(new Date('2026-11-18T16:00:01Z'));
    const id = jobActions.slice(from).filter((a) => a.community === 'g2' && a.type === 'message.send');
    expect(id[0]).toMatchObject({ message: { text: expect.stringContaining('**Rangkuman #general**') } });
    expect(id[1]).toMatchObject({ thread: 'g2-t0', message: { text: '**Rangkuman** “Kapan kopdar berikutnya?” oleh A: 3 balasan, 4 orang.' } });
  });

  it('prints the digest from the command line as json, md and html', async () => {
    const dir = configDir;
    {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: scratch.url, GUYUB_CONFIG_DIR: dir, LOG_LEVEL: 'warn' };
      delete env.GUYUB_CONFIG;
      const cli = (args: string[]) => run(process.execPath, ['--import', tsxLoader, path.join(packageRoot, 'src/cli/main.ts'), 'digest', ...args], { env, cwd: dir, timeout: 60_000 });
      const json = JSON.parse((await cli(['--community', 'g1', '--date', '2026-11-16', '--format', 'json'])).stdout) as DigestData;
      expect(json.figures.messages).toEqual({ value: 7, dayBefore: 2, weekBefore: 2 });
      const md = (await cli(['--community', 'g1', '--date', '2026-11-16', '--format', 'md'])).stdout;
      expect(md).toContain('# 📊 Daily digest for Kopi · 2026-11-16');
      expect(md).toContain('- Messages: 7 (+5 vs day before, +5 vs week before)');
      const html = (await cli(['--community', 'g1', '--date', '2026-11-16', '--format', 'html'])).stdout;
      expect(html).toContain('<a href="https://discord.com/channels/g1/general/m7">');
      expect(html).toMatch(/<img alt="Activity, last 14 days" src="data:image\/png;base64,/);
      await expect(cli(['--community', 'g1', '--date', '16-11-2026'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--date must be a day') });
      await expect(cli(['--community', 'nope', '--date', '2026-11-16'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no community "nope"') });
    }
  }, 120_000);
});

import { Writable } from 'node:stream';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replayFile } from '../../../src/adapters/replay/replay-file.js';
import { ActionSchema, type Action } from '../../../src/contracts/index.js';
import { packageRoot } from '../../../src/core/paths.js';
import { silentLogger } from '../../../src/core/logger.js';
import { questionStats } from '../../../src/engine/questions/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { createCapabilities } from '../../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../../src/engine/moderation/automod/index.js';
import { Engine } from '../../../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../../../src/jobs/in-process-scheduler.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';

const fixtures = path.join(packageRoot, 'tests/fixtures/questions');
const dayConfig = readFileSync(path.join(fixtures, 'config.yaml'), 'utf8');
const sink = () => new Writable({ write: (_c, _e, done) => done() });

describe('replaying a day of questions', () => {
  it('escalates exactly the unanswered ones, to the right teams, in working hours only', async () => {
    const t = await createTestEngine('pglite', { start: new Date(0), configFiles: { 'communities/g1.yaml': `community: g1\n${dayConfig}` } });
    let output = '';
    const out = new Writable({ write: (chunk, _e, done) => ((output += String(chunk)), done()) });
    try {
      const summary = await replayFile({ file: path.join(fixtures, 'day.jsonl'), engine: t.engine, clock: t.clock, scheduler: t.scheduler, logger: silentLogger, json: true, out, err: sink() });
      expect(summary.badLines + summary.failedEvents).toBe(0);
      const escalations = output
        .trim()
        .split('\n')
        .map((line) => ActionSchema.parse(JSON.parse(line)))
        .filter((a): a is Extract<Action, { type: 'message.send' }> => a.type === 'message.send' && a.cause.includes(':question:'))
        .map((a) => [a.cause.replace(/^job:discord:g1:question:\d+:escalation@/, ''), a.channel, a.message.fields?.[0]?.value]);
      expect(escalations).toEqual([
        // Asked at 10:00 in Jakarta, due at 11:00; answered only at 12:00, so the managers never hear of it.
        ['2026-11-02T04:00:00.000Z', 'billing-desk', 'Where can I download my invoice?'],
        // Asked at 15:00, due at 16:00; never answered: managers after 2 working hours (17:00, then 09:00–10:00).
        ['2026-11-02T09:00:00.000Z', 'billing-desk', 'ada yang tahu cara minta refund'],
        ['2026-11-03T03:00:00.000Z', 'managers', 'ada yang tahu cara minta refund'],
        // Asked at 18:00, after hours: the clock starts at 09:00 the next day.
        ['2026-11-03T03:00:00.000Z', 'billing-desk', 'my invoice is wrong, can someone check it'],
        ['2026-11-03T05:00:00.000Z', 'managers', 'my invoice is wrong, can someone check it'],
      ]);
      const questions = await t.database.prisma.question.findMany({ orderBy: { id: 'asc' }, select: { messageExternalId: true, status: true, team: true } });
      expect(questions).toEqual([
        { messageExternalId: 'ask-avatar', status: 'answered', team: 'community' },
        { messageExternalId: 'ask-invoice', status: 'answered', team: 'billing' },
        { messageExternalId: 'ask-refund', status: 'escalated', team: 'billing' },
        { messageExternalId: 'ask-export', status: 'resolved', team: 'community' },
        { messageExternalId: 'ask-meetup', status: 'resolved', team: 'community' },
        { messageExternalId: 'ask-wrong-invoice', status: 'escalated', team: 'billing' },
      ]);
      const stats = await questionStats(t.database.prisma, (await t.database.prisma.community.findFirstOrThrow()).id, new Date('2026-11-02T00:00:00Z'), new Date('2026-11-03T00:00:00Z'));
      expect(stats).toMatchObject({ asked: 6, answered: 3, answeredRate: 0.5 });
      // First answers after 20 min, 2 h (the late one) and 9.5 min.
      expect(stats.medianSecondsToFirstAnswer).toBe(1200);
      expect(stats.escalationsByTeam).toEqual([{ team: 'billing', level: 1, count: 2 }]);
      expect(stats.topHelpers).toEqual([
        { memberId: 'citra', name: 'Citra', answers: 1, accepted: 1 },
        { memberId: 'budi', name: 'Budi', answers: 2, accepted: 0 },
      ]);
    } finally {
      await t.dispose();
    }
  });
});

describe('question lifecycle', () => {
  let t: TestEngine;
  let seq = 0;
  const ayu = { id: 'ayu', name: 'Ayu' };
  const budi = { id: 'budi', name: 'Budi' };
  const mod = { id: 'mod', name: 'Mod', roles: ['moderator'] };
  const send = async (at: string, body: Record<string, unknown>) => {
    const when = new Date(at);
    await t.scheduler.runUntil(when);
    const outcome = await t.engine.handle({ id: (body.id as string) ?? `x${++seq}`, platform: 'discord', community: 'g1', at, ...body });
    if (outcome.status !== 'processed') throw new Error(outcome.status);
    return outcome.actions;
  };
  // Other capabilities' repeating jobs (engagement's tiers, introductions, ambassador scan) are not this test's concern.
  const pending = async () => (await t.scheduler.pendingJobIds()).filter((id) => id.includes(':question:'));

  beforeEach(async () => {
    t = await createTestEngine('pglite', { start: new Date('2026-11-02T00:00:00Z') });
  });
  afterEach(async () => t.dispose());

  it('arms an escalation for a new question and withdraws it when another member answers', async () => {
    await send('2026-11-02T10:00:00Z', { id: 'q1', type: 'message.created', channel: 'general', author: ayu, text: 'how do I reset my password?' });
    expect(await pending()).toEqual(['discord:g1:question:1:escalation']);
    await send('2026-11-02T10:05:00Z', { type: 'message.created', channel: 'general', author: ayu, text: 'anyone?', replyTo: 'q1' });
    expect(await pending()).toHaveLength(1);
    await send('2026-11-02T10:06:00Z', { type: 'message.created', channel: 'general', author: budi, text: 'did you try the link?', replyTo: 'q1' });
    expect(await pending()).toHaveLength(1);
    await send('2026-11-02T10:07:00Z', { id: 'a1', type: 'message.created', channel: 'general', author: budi, text: 'Use the forgot password link on the login page.', replyTo: 'q1' });
    expect(await pending()).toEqual([]);
    expect(await t.database.prisma.question.findFirst({ select: { status: true, firstAnswerMessageId: true } })).toEqual({ status: 'answered', firstAnswerMessageId: 'a1' });
  });

  it('does not treat small talk or statements as questions', async () => {
    await send('2026-11-02T10:00:00Z', { type: 'message.created', channel: 'general', author: ayu, text: 'apa kabar semua?' });
    await send('2026-11-02T10:01:00Z', { type: 'message.created', channel: 'general', author: ayu, text: 'The release is out today.' });
    await send('2026-11-02T10:02:00Z', { type: 'message.created', channel: 'mod-log', author: ayu, text: 'why was this deleted?' });
    expect(await t.database.prisma.question.count()).toBe(0);
  });

  it('escalates to the team, then to managers, while nobody answers', async () => {
    const delivered: Action[] = [];
    t.engine.attachJobs(async (actions) => void delivered.push(...actions));
    await send('2026-11-02T10:00:00Z', { id: 'q1', type: 'message.created', channel: 'general', author: ayu, text: 'ada yang tahu cara ganti email?' });
    await t.scheduler.runUntil(new Date('2026-11-02T20:00:00Z'));
    expect(delivered.map((a) => a.type === 'message.send' && [a.channel, a.message.text])).toEqual([
      ['questions', '❓ <@&moderator> a question has waited 2h without an answer. Can someone from community help?'],
      ['mod-log', '⏰ <@&manager> a question for community is still unanswered after 6h.'],
    ]);
  });

  it('lets the asker mark the helpful answer with ✅, which resolves the question', async () => {
    await send('2026-11-02T10:00:00Z', { id: 'q1', type: 'message.created', channel: 'general', author: ayu, text: 'which plan has SSO?' });
    await send('2026-11-02T10:01:00Z', { id: 'a1', type: 'message.created', channel: 'general', author: budi, text: 'The business plan.', thread: 'q1' });
    await send('2026-11-02T10:02:00Z', { type: 'reaction.added', channel: 'general', member: budi, messageId: 'a1', emoji: '✅' });
    expect((await t.database.prisma.question.findFirstOrThrow()).status).toBe('answered');
    await send('2026-11-02T10:03:00Z', { type: 'reaction.added', channel: 'general', member: ayu, messageId: 'a1', emoji: '✅' });
    const question = await t.database.prisma.question.findFirstOrThrow({ include: { acceptedAnswerBy: true } });
    expect([question.status, question.acceptedAnswerBy?.externalId, question.acceptedAnswerMessageId]).toEqual(['resolved', 'budi', 'a1']);
  });

  it('resolves with /resolve by the asker, and refuses others who are not staff', async () => {
    await send('2026-11-02T10:00:00Z', { id: 'q1', type: 'message.created', channel: 'general', author: ayu, text: 'is the API down?' });
    const refused = await send('2026-11-02T10:01:00Z', { type: 'command.invoked', channel: 'general', member: budi, command: 'resolve', options: { message: 'q1' } });
    expect(refused.map((a) => a.type === 'reply.ephemeral' && a.message.text)).toEqual(['Only the person who asked, a moderator or the team can resolve this question.']);
    const resolved = await send('2026-11-02T10:02:00Z', { type: 'command.invoked', channel: 'general', member: ayu, command: 'resolve', options: {} });
    expect(resolved.map((a) => a.type === 'reply.ephemeral' && a.message.text)).toEqual(['Resolved. Thanks for closing the loop!']);
    expect(await pending()).toEqual([]);
  });

  it('lists open questions and assigns one to a helper', async () => {
    await send('2026-11-02T10:00:00Z', { type: 'member.joined', member: budi });
    await send('2026-11-02T10:00:01Z', { id: 'q1', type: 'message.created', channel: 'general', author: ayu, text: 'how do webhooks retry?' });
    const list = await send('2026-11-02T10:01:00Z', { type: 'command.invoked', channel: 'general', member: mod, command: 'questions', options: { filter: 'open' } });
    expect(list.map((a) => a.type === 'reply.ephemeral' && a.message.text)).toEqual(['Open questions:\n- open · <@ayu> in <#general> · community · how do webhooks retry? (id q1)']);
    const assigned = await send('2026-11-02T10:02:00Z', { type: 'command.invoked', channel: 'general', member: mod, command: 'assign', options: { member: 'budi', message: 'q1' } });
    expect(assigned.map((a) => a.type)).toEqual(['reply.ephemeral', 'message.send']);
    expect(assigned[1]).toMatchObject({ member: 'budi', message: { text: '<@mod> asked you to take a question in <#general>:' } });
    const refused = await send('2026-11-02T10:03:00Z', { type: 'command.invoked', channel: 'general', member: ayu, command: 'assign', options: { member: 'budi', message: 'q1' } });
    expect(refused.map((a) => a.type === 'reply.ephemeral' && a.message.text)).toEqual(['Only moderators and question teams can assign questions.']);
  });

  it('re-arms the escalation of a waiting question after a restart, and escalates it once', async () => {
    await send('2026-11-02T10:00:00Z', { id: 'q1', type: 'message.created', channel: 'general', author: ayu, text: 'where are the API docs?' });
    // A new process on the same database: its in-process scheduler starts empty.
    const scheduler = new VirtualTimeScheduler(t.clock);
    const second = new Engine({ prisma: t.database.prisma, config: loadConfig(), clock: t.clock, scheduler, logger: silentLogger, capabilities: createCapabilities({ counters: new InMemoryRateCounters() }) });
    const delivered: Action[] = [];
    second.attachJobs(async (actions) => void delivered.push(...actions));
    await second.recover();
    expect((await scheduler.pendingJobIds()).filter((id) => id.includes(':question:'))).toEqual(['discord:g1:question:1:escalation']);
    await scheduler.runUntil(new Date('2026-11-02T13:00:00Z'));
    expect(delivered.map((a) => a.type === 'message.send' && a.channel)).toEqual(['questions']);
    await second.recover();
    await scheduler.runUntil(new Date('2026-11-02T13:30:00Z'));
    expect(delivered).toHaveLength(1);
  });
});

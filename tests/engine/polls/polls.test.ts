import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { buttonsOf, Conversation, ephemeralTexts, ofType } from '../../support/polls.js';

const mod = { id: 'u-mod', name: 'Mod', roles: ['moderator'] };
const ayu = { id: 'u-ayu', name: 'Ayu' };
const budi = { id: 'u-budi', name: 'Budi' };
const citra = { id: 'u-citra', name: 'Citra' };

let t: TestEngine;
let c: Conversation;

const createPoll = (options: Record<string, string | number | boolean>, who: object = ayu, at = 10) => c.command(at, who, 'poll', options);
const tallyFields = (a: Action) =>
  a.type === 'message.edit' || a.type === 'message.send' || a.type === 'reply.ephemeral' ? (a.message.fields ?? []).map((f) => `${f.name}: ${f.value.split('\n')[0]}`) : [];

describe('polls', () => {
  beforeEach(async () => {
    t = await createTestEngine('pglite');
    c = new Conversation(t);
    for (const [i, m] of [mod, ayu, budi, citra].entries()) await c.join(i + 1, m);
  });
  afterEach(async () => t.dispose());

  it('posts the question with one button per choice and tells its author how to close it', async () => {
    const actions = await createPoll({ question: 'Tea or coffee?', choices: 'Tea; Coffee ;Water', duration: '2h' });
    const post = ofType(actions, 'message.send')[0]!;
    expect(post).toMatchObject({ channel: 'general', key: 'poll:1' });
    expect(post.message.text).toContain('**Poll #1**: Tea or coffee?');
    expect(post.message.text).toContain('closes 2 Nov 2026, 11:00 (UTC)');
    expect(post.message.buttons?.map((b) => b.label)).toEqual(['Tea', 'Coffee', 'Water']);
    expect(post.message.buttons?.[0]?.id).toMatch(/^poll:\d+:1:[0-9a-f]{12}$/);
    expect(ephemeralTexts(actions)).toEqual([expect.stringContaining('Poll #1 is up')]);
  });

  it('counts one vote per member, lets a member change it, and says so privately', async () => {
    const [tea, coffee] = buttonsOf(await createPoll({ question: 'Tea or coffee?', choices: 'Tea;Coffee' }), 'poll:1');
    expect(ephemeralTexts(await c.press(20, budi, tea!.id))).toEqual([expect.stringContaining('Your vote for **Tea** in poll #1 is counted')]);
    expect(ephemeralTexts(await c.press(21, budi, tea!.id))).toEqual(['You already voted for **Tea** in poll #1.']);
    expect(ephemeralTexts(await c.press(22, budi, coffee!.id))).toEqual(['Your vote in poll #1 moved from **Tea** to **Coffee**.']);
    await c.press(23, citra, coffee!.id);
    const results = await c.command(30, ayu, 'poll', { text: 'results 1' });
    expect(tallyFields(results[0]!)).toEqual(['Tea: ▱▱▱▱▱▱▱▱▱▱ 0 votes (0%)', 'Coffee: ▰▰▰▰▰▰▰▰▰▰ 2 votes (100%)']);
    expect(results[0]!.type === 'reply.ephemeral' && results[0].message.fields?.[1]?.value).toContain('Budi, Citra');
    expect(await t.database.prisma.pollVote.count()).toBe(2);
  });

  it('lets a member pick several choices in a multiple-choice poll, and take one back', async () => {
    const [a, b, cc] = buttonsOf(await createPoll({ question: 'Which days?', choices: 'Mon;Tue;Wed', multi: true }), 'poll:1');
    await c.press(20, budi, a!.id);
    expect(ephemeralTexts(await c.press(21, budi, cc!.id))).toEqual(['Added **Wed** to your votes in poll #1. Your choices: **Mon**, **Wed**.']);
    expect(ephemeralTexts(await c.press(22, budi, a!.id))).toEqual(['Took back your vote for **Mon** in poll #1. Your choices: **Wed**.']);
    await c.press(23, citra, b!.id);
    await c.press(24, citra, cc!.id);
    const results = await c.command(30, ayu, 'poll results', { poll: 1 });
    expect(tallyFields(results[0]!)).toEqual(['Mon: ▱▱▱▱▱▱▱▱▱▱ 0 votes (0%)', 'Tue: ▰▰▰▰▰▱▱▱▱▱ 1 vote (33%)', 'Wed: ▰▰▰▰▰▰▰▰▰▰ 2 votes (67%)']);
    expect(results[0]!.type === 'reply.ephemeral' && results[0].message.text).toContain('2 members voted.');
  });

  it('hides the tally until the close when asked, except from its author and moderators', async () => {
    const [yes] = buttonsOf(await createPoll({ question: 'Ship it?', choices: 'Yes;No', results: 'close', anonymous: true }), 'poll:1');
    await c.press(20, budi, yes!.id);
    const edits = await c.runUntil(60);
    expect(ofType(edits, 'message.edit')).toHaveLength(1);
    expect(ofType(edits, 'message.edit')[0]!.message.fields).toBeUndefined();
    expect(ofType(edits, 'message.edit')[0]!.message.text).toContain('1 member voted.');
    expect(ephemeralTexts(await c.command(61, citra, 'poll', { text: 'results 1' }))).toEqual(['The results of poll #1 are shown when it closes.']);
    const forAuthor = await c.command(62, ayu, 'poll', { text: 'results 1' });
    expect(tallyFields(forAuthor[0]!)[0]).toBe('Yes: ▰▰▰▰▰▰▰▰▰▰ 1 vote (100%)');
    // Anonymous: no names.
    expect(forAuthor[0]!.type === 'reply.ephemeral' && forAuthor[0].message.fields?.[0]?.value).not.toContain('Budi');
  });

  it('closes at its deadline through the scheduler: final edit without buttons, one results message with a chart', async () => {
    const [tea] = buttonsOf(await createPoll({ question: 'Tea or coffee?', choices: 'Tea;Coffee', duration: '30m' }), 'poll:1');
    await c.press(20, budi, tea!.id);
    const closing = await c.runUntil(10 + 30 * 60);
    const final = ofType(closing, 'message.edit').at(-1)!;
    expect(final).toMatchObject({ key: 'poll:1', cause: expect.stringMatching(/^job:.*poll-close:/) });
    expect(final.message.buttons).toBeUndefined();
    const results = ofType(closing, 'message.send');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ channel: 'general', key: 'poll-results:1' });
    expect(results[0]!.message.text).toContain('Most votes: **Tea**');
    expect(results[0]!.message.image).toMatchObject({ name: 'poll-1.png', contentType: 'image/png', storedImageId: expect.any(Number) });
    const stored = await t.database.prisma.storedImage.findUniqueOrThrow({ where: { id: results[0]!.message.image!.storedImageId as number } });
    expect(Buffer.from(stored.bytes).subarray(1, 4).toString()).toBe('PNG');
    expect((await t.database.prisma.poll.findFirstOrThrow()).closedAt).toEqual(c.at(10 + 30 * 60));
  });

  it('closes early with /poll close by its author or a moderator only, once', async () => {
    await createPoll({ question: 'Tea or coffee?', choices: 'Tea;Coffee' });
    expect(ephemeralTexts(await c.command(20, budi, 'poll', { text: 'close 1' }))).toEqual(['Only the author of poll #1 or a moderator can close it.']);
    const closed = await c.command(21, mod, 'poll close', { poll: '#1' });
    expect(ofType(closed, 'message.send')).toHaveLength(1);
    expect(ephemeralTexts(closed)).toEqual(['Poll #1 is closed; its results are posted.']);
    expect(ephemeralTexts(await c.command(22, ayu, 'poll', { text: 'close 1' }))).toEqual(['Poll #1 is already closed.']);
    expect(ephemeralTexts(await c.command(23, mod, 'poll close', { poll: '#2' }))).toEqual(['There is no poll #2.']);
    // Past PostgreSQL's integers: no poll, rather than a failed lookup.
    expect(ephemeralTexts(await c.command(24, mod, 'poll', { text: 'results 99999999999999999999' }))).toEqual(['There is no poll #99999999999999999999.']);
    // The deadline job was cancelled: nothing more happens at the deadline.
    expect(await c.runUntil(3 * 86_400)).toEqual([]);
  });

  it('posts results in polls.resultsChannel when configured, and asks recurring polls on their cron in the community time zone', async () => {
    await t.dispose();
    t = await createTestEngine('pglite', {
      configFiles: {
        'communities/g1.yaml': [
          'community: g1',
          'timeZone: Asia/Jakarta',
          'polls:',
          '  resultsChannel: announcements',
          '  recurring:',
          '    - { id: pulse, question: "How was your week?", choices: [Great, Good, Meh], cron: "0 10 * * 1", channel: general, duration: 1d }',
        ].join('\n'),
      },
    });
    c = new Conversation(t, Date.UTC(2026, 10, 1, 0, 0, 0)); // Sunday
    await c.join(1, ayu);
    // Monday 10:00 in Jakarta is 03:00 UTC.
    const asked = await c.runUntil(27 * 3600 + 60);
    const post = ofType(asked, 'message.send')[0]!;
    expect(post).toMatchObject({ key: 'poll:1', channel: 'general' });
    expect(post.message.text).toContain('How was your week?');
    expect(post.message.text).toContain('anonymous');
    expect(post.message.text).toContain('closes 3 Nov 2026, 10:00 (Asia/Jakarta)');
    const closed = await c.runUntil(2 * 86_400 + 3 * 3600 + 60);
    expect(ofType(closed, 'message.send').map((a) => a.channel)).toEqual(['announcements']);
    // …and again the next Monday.
    expect(ofType(await c.runUntil(8 * 86_400 + 3 * 3600 + 60), 'message.send').map((a) => a.key)).toEqual(['poll:2']);
  });

  it('coalesces tally edits: a burst of votes makes one edit per tally interval', async () => {
    const buttons = buttonsOf(await createPoll({ question: 'Pick', choices: 'A;B;C' }), 'poll:1');
    const voters = Array.from({ length: 40 }, (_, i) => ({ id: `u-v${i}`, name: `Voter ${i}` }));
    for (const [i, v] of voters.entries()) await c.join(11 + i * 0.001, v);
    // 40 votes within 3 seconds (default tallyInterval 5s, windows aligned on the clock).
    for (const [i, v] of voters.entries()) await c.press(61 + i * 0.075, v, buttons[i % 3]!.id);
    const edits = ofType(await c.runUntil(120), 'message.edit');
    expect(edits).toHaveLength(1);
    expect(edits[0]!.message.text).toContain('40 members voted.');
    expect(tallyFields(edits[0]!)).toEqual(['A: ▰▰▰▰▰▰▰▰▰▰ 14 votes (35%)', 'B: ▰▰▰▰▰▰▰▰▰▱ 13 votes (33%)', 'C: ▰▰▰▰▰▰▰▰▰▱ 13 votes (33%)']);
    // A vote every second for 20 seconds: one edit per 5-second window, not one per vote.
    const before = c.jobActions.length;
    for (let i = 0; i < 20; i++) await c.press(200 + i, voters[i]!, buttons[(i + 1) % 3]!.id);
    await c.runUntil(300);
    expect(ofType(c.jobActions.slice(before), 'message.edit').map((a) => a.cause.replace(/^.*@/, ''))).toEqual(
      [205, 210, 215, 220].map((s) => c.at(s).toISOString()),
    );
  });

  describe('refuses bad input with a private answer and changes nothing', () => {
    const refusals: [string, Record<string, string | number | boolean>, string][] = [
      ['one choice', { question: 'Q?', choices: 'Only' }, 'A poll needs 2 to 10 choices; you gave 1.'],
      ['eleven choices', { question: 'Q?', choices: 'a;b;c;d;e;f;g;h;i;j;k' }, 'A poll needs 2 to 10 choices; you gave 11.'],
      ['duplicate choices', { question: 'Q?', choices: 'Tea; coffee; TEA ' }, 'The choice "TEA" is there twice; every choice must differ.'],
      ['no choices', { question: 'Q?' }, 'A poll needs choices, separated by semicolons: choices:"tea; coffee; water".'],
      ['no question', { choices: 'a;b' }, 'A poll needs a question.'],
      ['a closing time in the past', { question: 'Q?', choices: 'a;b', closes: '2026-11-01T12:00:00Z' }, 'The closing time 2026-11-01T12:00:00Z has already passed.'],
      ['a duration that is not one', { question: 'Q?', choices: 'a;b', duration: 'soon' }, '"soon" is neither a duration (30m, 2h, 3d) nor a closing time (2026-12-01T17:00).'],
      ['a duration beyond the maximum', { question: 'Q?', choices: 'a;b', duration: '60d' }, 'A poll may stay open for at most 30 days (60d is too far).'],
      ['an unknown results mode', { question: 'Q?', choices: 'a;b', results: 'sometimes' }, 'results is live (the tally shows while voting) or close (only when the poll closes), not "sometimes".'],
    ];
    for (const [what, options, answer] of refusals) {
      it(`a poll with ${what}`, async () => {
        const actions = await createPoll(options);
        expect(actions).toHaveLength(1);
        expect(ephemeralTexts(actions)[0]).toBe(`${answer}\n${ephemeralTexts(actions)[0]!.split('\n')[1]}`);
        expect(ephemeralTexts(actions)[0]).toContain('Usage: /poll');
        expect(await t.database.prisma.poll.count()).toBe(0);
      });
    }

    it('a closing time given in the community time zone is accepted when it is ahead', async () => {
      const actions = await createPoll({ question: 'Q?', choices: 'a;b', closes: '2026-11-02 18:30' });
      expect(ofType(actions, 'message.send')[0]!.message.text).toContain('closes 2 Nov 2026, 18:30 (UTC)');
    });

    it('a vote on a closed poll, a late click after the deadline and a vote from a member who left', async () => {
      const [tea] = buttonsOf(await createPoll({ question: 'Q?', choices: 'Tea;Coffee', duration: '10m' }), 'poll:1');
      await c.press(20, budi, tea!.id);
      await c.leave(30, citra);
      expect(ephemeralTexts(await c.press(40, citra, tea!.id))).toEqual(['You are no longer a member of this community, so your vote cannot be counted.']);
      await c.runUntil(10 + 600);
      expect(ephemeralTexts(await c.press(700, ayu, tea!.id))).toEqual(['Poll #1 is closed; votes are no longer counted.']);
      expect(await t.database.prisma.pollVote.count()).toBe(1);
    });

    it('a forged, malformed or stale button id, or one of another community', async () => {
      const [tea] = buttonsOf(await createPoll({ question: 'Q?', choices: 'Tea;Coffee' }), 'poll:1');
      const forged = tea!.id.replace(/[0-9a-f]{12}$/, '000000000000');
      const otherChoice = tea!.id.replace(':1:', ':7:');
      for (const id of [forged, otherChoice, 'poll:999:1:abcdefabcdef', 'poll:garbage']) {
        expect(ephemeralTexts(await c.press(20, budi, id))).toEqual(['This button does not belong to a poll here (it may be outdated). Nothing was changed.']);
      }
      const elsewhere = new Conversation(t, Date.UTC(2026, 10, 2, 9, 0, 0), 'g2', 'g2ev', false);
      await elsewhere.join(50, budi);
      expect(ephemeralTexts(await elsewhere.press(51, budi, tea!.id))).toEqual(['This button does not belong to a poll here (it may be outdated). Nothing was changed.']);
      expect(await t.database.prisma.pollVote.count()).toBe(0);
    });
  });
});

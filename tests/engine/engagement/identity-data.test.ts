import { afterEach, describe, expect, it } from 'vitest';
import { Community, member, minutes } from './harness.js';

const start = new Date('2026-11-02T08:00:00Z');
const ayuDiscord = member('ayu-d', { name: 'Ayu' });
const ayuSlack = member('U-AYU', { name: 'ayu' });
const budi = member('budi');
const mod = member('mod', { roles: ['moderator'] });

let c: Community;
afterEach(async () => c?.dispose());

describe('linked identities and member data, on PostgreSQL', () => {
  it('links a Discord and a Slack account with a one-time code, shares the score, exports and forgets the data', async () => {
    c = await Community.open('postgres', { start });
    const slack = c.on('slack', 'T1');
    // On Discord, Ayu answers Budi's question and Budi accepts it.
    await c.say(start, budi, 'How do I change my avatar?', {}, 'q1');
    await c.say(minutes(start, 1), ayuDiscord, 'Click your name, then Edit profile.', { replyTo: 'q1' }, 'a1');
    await c.send(minutes(start, 2), { type: 'reaction.added', channel: 'general', member: budi, messageId: 'a1', emoji: '✅' });
    await c.command(minutes(start, 3), mod, 'warn', { member: 'ayu-d', reason: 'off topic' });
    await slack.say(minutes(start, 3), ayuSlack, 'hello from slack');

    expect(Community.answer(await slack.command(minutes(start, 4), ayuSlack, 'rank'))).not.toContain('answers accepted');
    const codeReply = Community.answer(await slack.command(minutes(start, 4), ayuSlack, 'link'));
    const code = /`([0-9A-F]{8})`/.exec(codeReply)![1]!;
    expect(Community.answer(await slack.command(minutes(start, 5), ayuSlack, 'link', { code }))).toBe('Confirm the code on your other platform, not on slack.');
    expect(Community.answer(await c.command(minutes(start, 5), budi, 'link', { code: 'DEADBEEF' }))).toMatch(/^That code is unknown, used or expired/);
    expect(Community.answer(await c.command(minutes(start, 5), ayuDiscord, 'link', { code: code.toLowerCase() }))).toBe('Linked: this account and your slack account are now one person for guyub.');
    expect(Community.answer(await c.command(minutes(start, 6), budi, 'link', { code }))).toMatch(/^That code is unknown, used or expired/);

    const prisma = c.t.database.prisma;
    const [d, s] = await Promise.all([prisma.member.findFirstOrThrow({ where: { externalId: 'ayu-d' } }), prisma.member.findFirstOrThrow({ where: { externalId: 'U-AYU' } })]);
    expect(d.personId).not.toBeNull();
    expect(s.personId).toBe(d.personId);
    // The Slack account's standing now includes the answer given on Discord.
    const rank = Community.answer(await slack.command(minutes(start, 7), ayuSlack, 'rank'));
    expect(rank).toContain('answers accepted: 1 →');
    expect(rank).toContain('Includes the activity of 1 linked account(s).');

    // Export: a DM with the JSON of what is stored.
    const exported = await c.command(minutes(start, 8), ayuDiscord, 'mydata');
    const dm = exported.find((a) => a.type === 'message.send')! as { attachment?: { name: string; text: string } };
    expect(dm.attachment?.name).toBe('guyub-data.json');
    const data = JSON.parse(dm.attachment!.text);
    expect(data.account).toMatchObject({ id: 'ayu-d', name: 'Ayu' });
    expect(data.messages.map((m: { id: string }) => m.id)).toContain('a1');
    expect(data.linkedAccounts).toEqual([{ platform: 'slack', community: 'T1', name: 'ayu' }]);
    expect(data.moderationCases).toHaveLength(1);

    // Forget: asks for confirmation first, then deletes everything but the moderation case.
    expect(Community.answer(await c.command(minutes(start, 9), ayuDiscord, 'forgetme'))).toMatch(/Run `\/forgetme confirm`/);
    expect(Community.answer(await c.command(minutes(start, 9), ayuDiscord, 'forgetme', { confirm: 'confirm' }))).toMatch(/^Your data in .* is deleted/);
    expect(await prisma.member.findFirst({ where: { externalId: 'ayu-d' } })).toBeNull();
    expect(await prisma.message.count({ where: { externalId: 'a1' } })).toBe(0);
    const anchor = await prisma.member.findFirstOrThrow({ where: { externalId: { startsWith: 'forgotten:' } } });
    expect(anchor).toMatchObject({ name: 'forgotten', personId: null });
    expect(anchor.externalId).not.toContain('ayu');
    expect(await prisma.moderationCase.count({ where: { memberId: anchor.id } })).toBe(1);
    // The Slack account is no longer linked to anything.
    expect((await prisma.member.findFirstOrThrow({ where: { externalId: 'U-AYU' } })).personId).toBeNull();

    // Coming back does not escape the ladder: the case returns to the account.
    await c.say(minutes(start, 20), ayuDiscord, 'I am back');
    const back = await prisma.member.findFirstOrThrow({ where: { externalId: 'ayu-d' } });
    expect(await prisma.moderationCase.count({ where: { memberId: back.id } })).toBe(1);
  });

  it('unlinks', async () => {
    c = await Community.open('postgres', { start });
    const slack = c.on('slack', 'T1');
    const code = /`([0-9A-F]{8})`/.exec(Community.answer(await slack.command(start, ayuSlack, 'link')))![1]!;
    await c.command(minutes(start, 1), ayuDiscord, 'link', { code });
    expect(Community.answer(await slack.command(minutes(start, 2), ayuSlack, 'unlink'))).toBe('This account is no longer linked to your other accounts.');
    expect(Community.answer(await c.command(minutes(start, 3), ayuDiscord, 'unlink'))).toBe('This account is not linked to any other.');
    expect(await c.t.database.prisma.person.count()).toBe(0);
  });
});

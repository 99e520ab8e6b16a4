import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import { MODERATOR_COMMANDS } from '../../../src/engine/moderation/commands.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';

const mod = { id: 'u-mod', name: 'Mod', roles: ['moderator'] };
const ayu = { id: 'u-ayu', name: 'Ayu' };
const budi = { id: 'u-budi', name: 'Budi', roles: ['member'] };

let seconds = 0;
let t: TestEngine;
let seq = 0;

/** Sends an event at the test's clock, which moves forward by `advance` seconds first. */
async function send(body: Record<string, unknown>, advance = 1): Promise<Action[]> {
  seconds += advance;
  const at = new Date(Date.UTC(2026, 10, 1) + seconds * 1000);
  t.clock.advanceTo(at);
  const outcome = await t.engine.handle({ id: `ev-${++seq}`, platform: 'discord', community: 'g1', at: at.toISOString(), ...body });
  if (outcome.status !== 'processed') throw new Error(`event was ${outcome.status}: ${JSON.stringify(outcome)}`);
  return outcome.actions;
}
const command = (member: object, name: string, options: Record<string, string | number | boolean> = {}, advance = 1) =>
  send({ type: 'command.invoked', channel: 'c-general', channelName: 'general', member, command: name, options }, advance);
const say = (author: object, text: string, extra: Record<string, unknown> = {}, advance = 1) =>
  send({ type: 'message.created', channel: 'c-general', channelName: 'general', author, text, ...extra }, advance);
const ofType = <T extends Action['type']>(actions: Action[], type: T) => actions.filter((a): a is Extract<Action, { type: T }> => a.type === type);
const modLog = (actions: Action[]) => ofType(actions, 'message.send').filter((a) => a.channel === 'mod-log');
const ephemeral = (actions: Action[]) => ofType(actions, 'reply.ephemeral').map((a) => a.message.text);

describe('moderation on PostgreSQL', () => {
  beforeEach(async () => {
    seconds = 0;
    t = await createTestEngine('postgres');
    await send({ type: 'member.joined', member: mod });
    await send({ type: 'member.joined', member: ayu });
    await send({ type: 'member.joined', member: budi });
  });
  afterEach(async () => t.dispose());

  it('times a member out on the third warning', async () => {
    await command(mod, 'warn', { member: 'u-ayu', reason: 'off topic' }, 3600);
    await command(mod, 'warn', { member: 'u-ayu', reason: 'off topic again' }, 3600);
    const third = await command(mod, 'warn', { member: 'u-ayu', reason: 'still off topic' }, 3600);
    expect(ofType(third, 'member.timeout')).toEqual([expect.objectContaining({ member: 'u-ayu', seconds: 600 })]);
    expect(modLog(third).map((a) => a.message.text)).toEqual(['**Case #3** · Warning', '**Case #4** · Timeout']);
    expect(modLog(third)[1]?.message.fields).toEqual(expect.arrayContaining([{ name: 'By', value: 'escalation ladder' }, { name: 'Reason', value: 'reached 3 points (threshold 3)' }]));
  });

  it('counts the warnings of linked accounts together: the third, on the other platform, times out', async () => {
    await command(mod, 'warn', { member: 'u-ayu' }, 3600);
    await command(mod, 'warn', { member: 'u-ayu' }, 3600);
    const slack = (body: Record<string, unknown>) => {
      seconds += 60;
      return t.engine.handle({ id: `slack-${++seq}`, platform: 'slack', community: 'T1', at: new Date(Date.UTC(2026, 10, 1) + seconds * 1000).toISOString(), ...body });
    };
    await slack({ type: 'member.joined', member: { id: 'U-AYU', name: 'Ayu' } });
    const { prisma } = t.database;
    const person = await prisma.person.create({ data: {} });
    await prisma.member.updateMany({ where: { externalId: { in: ['u-ayu', 'U-AYU'] } }, data: { personId: person.id } });
    const third = await slack({ type: 'command.invoked', channel: 'C1', member: { id: 'U-MOD', name: 'Mod', roles: ['moderator'] }, command: 'warn', options: { member: 'U-AYU' } });
    expect(ofType(third.actions, 'member.timeout')).toEqual([expect.objectContaining({ platform: 'slack', member: 'U-AYU', seconds: 600 })]);
  });

  it('lets points expire after the decay window', async () => {
    await command(mod, 'warn', { member: 'u-ayu' });
    await command(mod, 'warn', { member: 'u-ayu' }, 20 * 86_400);
    const third = await command(mod, 'warn', { member: 'u-ayu' }, 11 * 86_400);
    expect(ofType(third, 'member.timeout')).toEqual([]);
    expect(modLog(third).at(-1)?.message.fields).toEqual(expect.arrayContaining([{ name: 'Active points', value: '2' }]));
  });

  it('stops counting a pardoned case but keeps it in the history', async () => {
    await command(mod, 'warn', { member: 'u-ayu' }, 3600);
    await command(mod, 'warn', { member: 'u-ayu' }, 3600);
    const pardon = await command(mod, 'pardon', { case: 1, reason: 'my mistake' });
    expect(ephemeral(pardon)).toEqual(['Case #1 pardoned: its 1 points no longer count. It stays in the history.']);
    expect(modLog(pardon).map((a) => a.message.text)).toEqual(['**Case #1 pardoned** by <@u-mod>: my mistake']);
    expect(ofType(await command(mod, 'warn', { member: 'u-ayu' }, 3600), 'member.timeout')).toEqual([]);
    expect(ephemeral(await command(mod, 'pardon', { case: 1 }))).toEqual(['Case #1 was already pardoned.']);
    const list = ephemeral(await command(mod, 'infractions', { member: 'u-ayu' }))[0]!;
    expect(list).toContain('#1 · Warning · <@u-ayu> · <@u-mod> · no reason given (pardoned)');
    expect(list).toContain('(2 active points)');
  });

  it('times out on three infractions within ten minutes, whatever their points, once', async () => {
    await t.dispose();
    t = await createTestEngine('postgres', { configFiles: { 'communities/g1.yaml': 'community: g1\nmoderation:\n  points: { warn: 0, timeout: 0, kick: 0, ban: 0 }\n' } });
    await send({ type: 'member.joined', member: mod });
    await send({ type: 'member.joined', member: ayu });
    await command(mod, 'warn', { member: 'u-ayu' }, 60);
    expect(ofType(await command(mod, 'warn', { member: 'u-ayu' }, 60), 'member.timeout')).toEqual([]);
    expect(ofType(await command(mod, 'warn', { member: 'u-ayu' }, 60), 'member.timeout')).toEqual([expect.objectContaining({ seconds: 3600, reason: '3 infractions within 10m' })]);
    expect(ofType(await command(mod, 'warn', { member: 'u-ayu' }, 60), 'member.timeout')).toEqual([]);
  });

  it.each(Object.keys(MODERATOR_COMMANDS))('refuses /%s to a member without a moderator role, opening no case', async (name) => {
    const actions = await command(budi, name, { member: 'u-ayu', reason: 'x', duration: '10m', count: 5, case: 1, number: 1, text: 'test hello' });
    expect(actions).toEqual([expect.objectContaining({ type: 'reply.ephemeral', member: 'u-budi', message: { text: `Only moderators can use /${name}.` } })]);
    expect(await t.database.prisma.moderationCase.count()).toBe(0);
  });

  it('numbers cases per community, posts each to the mod log and tells the member', async () => {
    const first = await command(mod, 'warn', { member: 'u-ayu', reason: 'spam' });
    expect(first).toEqual([
      expect.objectContaining({ type: 'reply.ephemeral', member: 'u-mod', message: { text: 'Case #1: <@u-ayu> warned.' } }),
      expect.objectContaining({ type: 'message.send', member: 'u-ayu', message: { text: 'A moderator action in g1: <@u-ayu> warned (case #1). Reason: spam' } }),
      expect.objectContaining({ type: 'message.send', channel: 'mod-log', message: expect.objectContaining({ text: '**Case #1** · Warning' }) }),
    ]);
    await command(mod, 'warn', { member: 'u-ayu' });
    const elsewhere = await t.engine.handle({ id: 'g2-1', platform: 'discord', community: 'g2', at: new Date(Date.UTC(2026, 10, 1) + 99_000).toISOString(), type: 'message.created', channel: 'x', author: ayu, text: 'hi' });
    expect(elsewhere.status).toBe('processed');
    const g2 = await t.engine.handle({ id: 'g2-2', platform: 'discord', community: 'g2', at: new Date(Date.UTC(2026, 10, 1) + 99_500).toISOString(), type: 'command.invoked', channel: 'x', member: mod, command: 'warn', options: { member: 'u-ayu' } });
    expect(ephemeral(g2.actions)).toEqual(['Case #1: <@u-ayu> warned.']);
    const stored = await t.database.prisma.moderationCase.findMany({ orderBy: { id: 'asc' }, select: { number: true, kind: true, community: { select: { externalId: true } } } });
    expect(stored.map((c) => `${c.community.externalId}#${c.number}`)).toEqual(['g1#1', 'g1#2', 'g2#1']);
  });

  it('never lets a reason or evidence ping anyone from the mod log', async () => {
    const actions = await command(mod, 'warn', { member: 'u-ayu', reason: 'pinged @everyone and <@u-budi> and <!channel>' });
    const reason = modLog(actions)[0]!.message.fields!.find((f) => f.name === 'Reason')!.value;
    expect(reason).not.toMatch(/@everyone|<@u-budi>|<!channel>/);
    expect(reason.replace(/\u200b/g, '')).toBe('pinged @everyone and <@u-budi> and <!channel>');
  });

  it('refuses bad input with an ephemeral answer and no case', async () => {
    expect(ephemeral(await command(mod, 'timeout', { member: 'u-ayu', duration: 'forever' }))).toEqual(['"forever" is not a duration: use 30s, 10m, 2h, 1d or 1w.']);
    expect(ephemeral(await command(mod, 'timeout', { member: 'u-ayu', duration: '60d' }))).toEqual(['"60d" is not a duration: use 30s, 10m, 2h, 1d or 1w.']);
    expect(ephemeral(await command(mod, 'warn', { member: 'nobody' }))).toEqual(['I don\'t know a member "nobody" in this community.']);
    expect(ephemeral(await command(mod, 'warn', {}))).toEqual(['/warn needs a member, e.g. /warn member:<member> reason:"…".']);
    expect(ephemeral(await command(mod, 'warn', { member: 'u-mod' }))).toEqual(['You cannot /warn yourself.']);
    expect(ephemeral(await command(mod, 'case', { number: 42 }))).toEqual(['There is no case #42.']);
    // Found by the command fuzz test: a number past PostgreSQL's integers broke the transaction.
    expect(ephemeral(await command(mod, 'pardon', { case: '99999999999999999999' }))).toEqual(['There is no case #99999999999999999999.']);
    expect(ephemeral(await command(mod, 'case', { number: '#2147483648' }))).toEqual(['There is no case #2147483648.']);
    expect(ephemeral(await command(mod, 'purge', { count: 0 }))).toEqual(['/purge needs a number of messages from 1 to 100.']);
    expect(await t.database.prisma.moderationCase.count()).toBe(0);
  });

  it('refuses to sanction another moderator', async () => {
    await send({ type: 'member.joined', member: { id: 'u-mod2', name: 'Mod2', roles: ['admin'] } });
    expect(ephemeral(await command(mod, 'ban', { member: 'u-mod2' }))).toEqual(['<@u-mod2> is a moderator: resolve it with the team instead of /ban.']);
  });

  it('carries out timeouts, kicks, bans and their reversals with the platform action', async () => {
    expect(ofType(await command(mod, 'timeout', { member: 'u-ayu', duration: '2h', reason: 'cool down' }), 'member.timeout')).toEqual([expect.objectContaining({ member: 'u-ayu', seconds: 7200, reason: 'cool down' })]);
    expect(ofType(await command(mod, 'untimeout', { member: 'u-ayu' }), 'member.untimeout')).toHaveLength(1);
    const kick = await command(mod, 'kick', { member: 'u-budi', reason: 'bye' });
    // The DM goes out before the kick, while the member can still receive it.
    expect(kick.map((a) => a.type)).toEqual(['reply.ephemeral', 'message.send', 'member.kick', 'message.send']);
    expect(ofType(await command(mod, 'ban', { member: 'u-budi' }), 'member.ban')).toHaveLength(1);
    expect(ofType(await command(mod, 'unban', { member: 'u-budi' }), 'member.unban')).toHaveLength(1);
  });

  it('purges the last messages of one member in the channel', async () => {
    await say(ayu, 'one');
    await say(budi, 'two');
    await say(ayu, 'three');
    await say(ayu, 'four');
    const actions = await command(mod, 'purge', { count: 2, member: 'u-ayu' });
    const deleted = ofType(actions, 'message.delete').map((a) => a.messageId);
    const texts = await t.database.prisma.message.findMany({ where: { externalId: { in: deleted } }, select: { text: true } });
    expect(texts.map((m) => m.text).sort()).toEqual(['four', 'three']);
    expect(ephemeral(actions)).toEqual(['Case #1: 2 messages deleted in <#c-general>.']);
  });

  it('lists members with active points when /infractions names nobody', async () => {
    await command(mod, 'warn', { member: 'u-ayu' });
    await command(mod, 'warn', { member: 'u-budi' });
    await command(mod, 'warn', { member: 'u-ayu' });
    const text = ephemeral(await command(mod, 'infractions'))[0]!;
    expect(text).toMatch(/Members with active points:\n- <@u-ayu>: 2 points, 2 cases\n- <@u-budi>: 1 points, 1 cases\nLatest cases:/);
  });

  it('deletes a banned word hidden with zero-width characters and opens an automod case', async () => {
    const actions = await say(ayu, 'you f\u200bu\u200bc\u200bk\u200bi\u200bn\u200bg idiot');
    expect(ofType(actions, 'message.delete')).toHaveLength(1);
    expect(modLog(actions)[0]?.message).toMatchObject({ text: '**Case #1** · Automod', fields: expect.arrayContaining([{ name: 'Rules', value: 'bannedWords' }]) });
    const [stored] = await t.database.prisma.moderationCase.findMany();
    expect(stored).toMatchObject({ kind: 'automod', rules: ['bannedWords'], points: 2, moderatorId: null });
  });

  it('says which rules would fire on a text, only to the moderator', async () => {
    const actions = await command(mod, 'automod test', { text: 'join my server discord.gg/abcdef' });
    expect(actions).toHaveLength(1);
    expect(ephemeral(actions)[0]).toMatch(/^These rules would fire:\n- \*\*invites\*\*/);
    expect(await t.database.prisma.moderationCase.count()).toBe(0);
  });
});


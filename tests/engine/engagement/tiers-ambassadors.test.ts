import { afterEach, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import { Community, days, member, minutes } from './harness.js';

const helper = member('helper');
const budi = member('budi');
const mod = member('mod', { roles: ['moderator'] });
const start = new Date('2026-11-01T00:00:00Z');
// Tiers daily at midnight so a month runs quickly; no introductions in this test.
const config = `
engagement:
  tiers: { schedule: "0 0 * * *" }
  intros: { enabled: false }
`;

let c: Community;
afterEach(async () => c?.dispose());

const roles = (actions: Action[], type: 'role.add' | 'role.remove', who: string) => actions.flatMap((a) => (a.type === type && a.member === who ? [a.role] : []));

describe('a month of activity', () => {
  it('promotes members up the tiers with role actions, nominates the helper, and a moderator’s Approve gives the ambassador role', async () => {
    c = await Community.open('pglite', { config, start });
    for (let d = 0; d < 30; d++) {
      for (let k = 0; k < 2; k++) {
        const asker = member(`asker${(2 * d + k) % 10}`);
        const at = minutes(days(start, d), 9 * 60 + k * 30);
        await c.say(at, asker, `How can I export report ${d}-${k} as a spreadsheet?`, {}, `q-${d}-${k}`);
        await c.say(minutes(at, 4), helper, `Use the export menu of the report and pick CSV.`, { replyTo: `q-${d}-${k}` }, `a-${d}-${k}`);
        await c.send(minutes(at, 8), { type: 'reaction.added', channel: 'general', member: asker, messageId: `a-${d}-${k}`, emoji: '✅' });
      }
      await c.say(minutes(days(start, d), 11 * 60), budi, 'Thanks for sharing, that helped me too.', { replyTo: `q-${d}-0` });
    }
    await c.until(days(start, 30));

    expect(roles(c.actions, 'role.add', 'helper')).toEqual(['member', 'regular', 'champion']);
    expect(roles(c.actions, 'role.remove', 'helper')).toEqual(['member', 'regular']);
    expect(roles(c.actions, 'role.add', 'budi')).toEqual(['member', 'regular']);
    const announcements = c.actions.flatMap((a) => (a.type === 'message.send' && a.channel === 'general' ? [a.message.text] : []));
    expect(announcements).toContain('🎉 <@helper> is now **champion**! Thank you for helping this community.');
    const tierCauses = c.actions.filter((a) => a.type === 'role.add').map((a) => a.cause);
    expect(tierCauses.every((cause) => cause.startsWith('job:discord:g1:engagement:tiers@'))).toBe(true);

    // Sunday scans: active 21 days by Nov 22, with a clean record and plenty of help.
    const cards = c.actions.filter((a): a is Extract<Action, { type: 'message.send' }> => a.type === 'message.send' && a.channel === 'mod-log' && !!a.message.buttons);
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(card.cause).toBe('job:discord:g1:engagement:ambassadors@2026-11-22T12:00:00.000Z');
    expect(card.message.text).toBe('**Ambassador nomination:** <@helper> (found by the weekly scan)');
    expect(card.message.fields?.map((f) => f.name)).toEqual(['Score and tier', 'Helpful (30 days)', 'Moderation cases (30d)', 'Active since']);
    const [approve, decline] = card.message.buttons!;
    expect(approve!.id).toMatch(/^amb:\d+:[0-9a-f]{12}:approve$/);
    const press = (who: typeof mod, componentId: string) => c.send(days(start, 30), { type: 'component.used', channel: 'mod-log', member: who, componentId });

    expect(Community.answer(await press(mod, approve!.id.replace(/:([0-9a-f]{12}):/, ':000000000000:')))).toBe('This button is not valid (unknown or outdated nomination).');
    expect(Community.answer(await press(mod, 'amb:999:0123456789ab:approve'))).toBe('This button is not valid (unknown or outdated nomination).');
    expect(Community.answer(await press(budi, approve!.id))).toBe('Only moderators can decide nominations.');
    const approved = await press(mod, approve!.id);
    expect(approved.map((a) => a.type)).toEqual(['message.edit', 'role.add', 'message.send', 'reply.ephemeral']);
    expect(approved[1]).toMatchObject({ type: 'role.add', member: 'helper', role: 'ambassador' });
    expect(approved[0]).toMatchObject({ key: card.key, message: { text: '**Ambassador nomination:** <@helper>: approved by <@mod>.' } });
    expect(Community.answer(await press(mod, decline!.id))).toBe('This nomination was already approved.');
    // No second nomination of an ambassador.
    expect(Community.answer(await c.command(days(start, 30), budi, 'ambassador', { text: 'nominate helper' }))).toBe('<@helper> is already an ambassador.');
  });

  it('takes /ambassador nominate from members; a decline starts the cooldown', async () => {
    c = await Community.open('pglite', { config, start });
    await c.say(start, helper, 'hello');
    const nominated = await c.command(minutes(start, 1), budi, 'ambassador', { text: 'nominate @helper' });
    expect(nominated.map((a) => a.type)).toEqual(['message.send', 'reply.ephemeral']);
    const card = nominated[0] as Extract<Action, { type: 'message.send' }>;
    expect(card.message.text).toBe('**Ambassador nomination:** <@helper> (nominated by <@budi>)');
    expect(Community.answer(await c.command(minutes(start, 2), budi, 'ambassador', { text: 'nominate helper' }))).toBe('<@helper> already has a nomination waiting for the moderators.');
    expect(Community.answer(await c.command(minutes(start, 2), budi, 'ambassador', { text: 'nominate budi' }))).toBe('You cannot nominate yourself.');
    const declined = await c.send(minutes(start, 3), { type: 'component.used', channel: 'mod-log', member: mod, componentId: card.message.buttons![1]!.id });
    expect(Community.answer(declined)).toBe('Declined; <@helper> will not be nominated again before 2026-12-31.');
    expect(Community.answer(await c.command(minutes(start, 4), budi, 'ambassador', { text: 'nominate helper' }))).toBe('<@helper> was declined recently; nominations open again on 2026-12-31.');
  });
});

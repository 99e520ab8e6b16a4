import { afterEach, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import { Community, days, member, minutes } from './harness.js';

const ayu = member('ayu');
const budi = member('budi');
const citra = member('citra');
const dewi = member('dewi');
const eko = member('eko');
const start = new Date('2026-11-01T08:00:00Z');
const config = `
engagement:
  ambassadors: { enabled: false }
`;

let c: Community;
afterEach(async () => c?.dispose());

const intros = (actions: Action[]) =>
  actions.flatMap((a) => (a.type === 'message.send' && a.channel === 'introductions' ? [{ at: a.cause.replace(/^.*@/, ''), text: a.message.text }] : []));

describe('introductions', () => {
  it('pair members by shared interests, never repeat a pair, skip those who opted out, and later ask whether they met', async () => {
    c = await Community.open('pglite', { config, start });
    const set = async (who: typeof ayu, interests: string) => Community.answer(await c.command(start, who, 'interests', { text: interests }));
    expect(await set(ayu, 'design, data')).toBe('Your interests are now: design, data.');
    await set(budi, 'design');
    await set(citra, 'data');
    await set(dewi, 'design data');
    await set(eko, 'music');
    expect(await set(eko, 'knitting')).toMatch(/^Unknown interest: knitting\. Choose from: design, /);
    expect(Community.answer(await c.command(start, dewi, 'intros', { text: 'off' }))).toBe('You will not be included in introductions any more. `/intros on` to come back.');
    // Everyone stays active: a message each week.
    for (let week = 0; week < 3; week++) for (const who of [ayu, budi, citra, dewi, eko]) await c.say(minutes(days(start, 7 * week), 1), who, `hi from ${who.name}`);
    await c.until(days(start, 22));

    const made = intros(c.actions);
    // Mondays at 10:00: Ayu can meet Budi (design) and Citra (data); Budi and Citra share nothing; Dewi opted out; Eko shares nothing.
    expect(made.map((m) => m.at)).toEqual(['2026-11-02T10:00:00.000Z', '2026-11-09T10:00:00.000Z']);
    const pairs = made.map((m) => [...m.text.matchAll(/<@(\w+)>/g)].map((x) => x[1]).sort().join('+'));
    expect(new Set(pairs)).toEqual(new Set(['ayu+budi', 'ayu+citra']));
    for (const m of made) expect(m.text).toMatch(/You both like \*\*(design|data)\*\*/);
    expect(made.some((m) => m.text.includes('dewi') || m.text.includes('eko'))).toBe(false);

    // Three days later each member of the first pair is asked, with Yes / Not yet buttons.
    const followUps = c.actions.filter((a): a is Extract<Action, { type: 'message.send' }> => a.type === 'message.send' && !!a.member && !!a.message.buttons);
    expect(followUps.length).toBe(4);
    expect(followUps[0]!.cause).toMatch(/^job:discord:g1:engagement:intro-followup:\d+@2026-11-05T10:00:00.000Z$/);
    const first = followUps[0]!;
    const other = followUps.find((f) => f.cause === first.cause && f.member !== first.member)!;
    const yes = first.message.buttons![0]!.id;
    const press = (who: string, componentId: string) => c.send(days(start, 22), { type: 'component.used', channel: 'dm', member: member(who), componentId });
    expect(Community.answer(await press('eko', yes))).toBe('This question was for the two members of that introduction.');
    expect(Community.answer(await press(first.member!, yes))).toBe('Great to hear! 🎉');
    expect(Community.answer(await press(other.member!, other.message.buttons![1]!.id))).toBe('Thanks, we already have your answer.');
    expect(Community.answer(await press(first.member!, yes.replace(/:[0-9a-f]{12}:/, ':ffffffffffff:')))).toBe('This button is not valid (unknown or outdated introduction).');
  });

  it('sends new members the onboarding checklist when enabled, and notes their introduction', async () => {
    c = await Community.open('pglite', { config: `${config}  onboarding: { enabled: true }\n`, start });
    const joined = await c.send(start, { type: 'member.joined', member: ayu });
    const dm = joined.find((a) => a.type === 'message.send' && a.member === 'ayu' && a.message.text.includes('/interests'));
    expect(dm).toBeDefined();
    const intro = await c.send(minutes(start, 5), { type: 'message.created', channel: 'introductions', author: ayu, text: 'Hi! I am Ayu, a designer from Bandung.' });
    expect(Community.answer(intro)).toContain('Thanks for introducing yourself');
    const profile = await c.t.database.prisma.engagementProfile.findFirstOrThrow();
    expect(profile.introducedAt?.toISOString()).toBe('2026-11-01T08:05:00.000Z');
  });
});

// The Slack traffic the benchmarks send: Events API envelopes built with the fake's payload
// builders (Bolt's and @slack/types' shapes), from a seeded generator (the same mix as Discord's).
import type { EnvelopedEvent, types as SlackTypes } from '@slack/bolt';
import { envelope, messageEvent } from '../../tests/support/fake-slack/payloads.js';
import { seeded } from './discord-workload.js';

export const SLACK_TEAM = { id: 'T0BENCH', name: 'Kopi Bench', botToken: 'xoxb-bench-bot', botUserId: 'U0BOT', botId: 'B0BOT' };
export const SLACK_SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const SLACK_CHANNELS = ['general', 'rules', 'introductions', 'mod-log', 'feedback', 'questions', 'help', 'random', 'dev'].map((name, i) => ({ id: `C0BENCH${i}`, name }));
const TALK = new Set(['general', 'questions', 'help', 'random', 'dev']);
export const slackUserIds = (count: number): string[] => Array.from({ length: count }, (_, i) => `U0M${String(i).padStart(5, '0')}`);

const CHATTER = [
  'good morning everyone, the new roastery on Jalan Braga is worth a visit',
  'I tried the V60 recipe from last week and it came out much sweeter',
  'thanks for sharing, that helped a lot',
  'has anyone compared the Kalita wave with the origami dripper',
  'the meetup slides are in the drive folder now',
  'selamat pagi semua, ada yang ikut cupping hari sabtu',
  'lol same here',
  'we should do a latte art session next month',
];
const QUESTIONS = [
  'how do I dial in espresso for a light roast?',
  'does anyone know where to buy a used Comandante in Jakarta?',
  'apakah ada yang tahu cara membersihkan mesin espresso?',
  'can someone explain the difference between washed and natural process?',
];

/**
 * `total` message events in one workspace: chatter, thread replies (26 %), mentions (15 %),
 * questions (10 %), abuse (4 %: a banned word, an invite, <!channel>, shouting) and floods (a
 * member posting seven messages in a row, about 1 % of the time). Timestamps 50 ms apart.
 */
export function* slackMessages(total: number, users: string[], options: { seed?: number; startMs: number }): Generator<EnvelopedEvent<SlackTypes.GenericMessageEvent>> {
  const random = seeded(options.seed ?? 12);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const talk = SLACK_CHANNELS.filter((c) => TALK.has(c.name)).map((c) => c.id);
  const recent = new Map<string, string[]>();
  let flood: { user: string; channel: string; left: number } | undefined;
  for (let i = 0; i < total; i++) {
    const ms = options.startMs + i * 50;
    const ts = `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + (i % 1000)).padStart(6, '0')}`;
    let user: string;
    let channel: string;
    let text: string;
    let threadTs: string | undefined;
    if (flood) {
      ({ user, channel } = flood);
      text = `spam spam spam ${flood.left}`;
      if (--flood.left === 0) flood = undefined;
    } else {
      user = pick(users);
      channel = pick(talk);
      const roll = random();
      if (roll < 0.04) {
        text = ['this is fucking ridiculous', 'join my server discord.gg/freenitro99', '<!channel> look at this', 'WHY DOES NOBODY ANSWER MY QUESTIONS IN HERE'][i % 4]!;
      } else if (roll < 0.05) {
        flood = { user, channel, left: 6 };
        text = 'spam spam spam 7';
      } else if (roll < 0.31 && recent.get(channel)?.length) {
        threadTs = pick(recent.get(channel)!);
        text = `replying: ${pick(CHATTER)}`;
      } else if (roll < 0.46) {
        text = `<@${pick(users)}> ${pick(CHATTER)}`;
      } else if (roll < 0.56) {
        text = pick(QUESTIONS);
      } else {
        text = `${pick(CHATTER)} (${i})`;
      }
    }
    if (!threadTs) {
      const list = recent.get(channel) ?? [];
      list.push(ts);
      if (list.length > 20) list.shift();
      recent.set(channel, list);
    }
    yield envelope(SLACK_TEAM.id, messageEvent({ channel, user, text, ts, team: SLACK_TEAM.id, ...(threadTs && { thread_ts: threadTs }) }), `EvB${String(i).padStart(9, '0')}`);
  }
}

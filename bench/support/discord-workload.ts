// The Discord traffic the benchmarks stream: gateway dispatches built with the fake's payload
// builders (discord-api-types shapes), from a seeded generator so every run sends the same mix.
import { GatewayDispatchEvents, type APIGuildMember, type APIUser, type GatewayGuildCreateDispatchData } from 'discord.js';
import { member, memberAdd, message, user } from '../../tests/support/fake-discord/payloads.js';

/** mulberry32: a small seeded generator, so the mix is the same in every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Dispatch {
  t: string;
  d: unknown;
}

type Author = APIGuildMember & { user: APIUser };

const CHATTER = [
  'good morning everyone, the new roastery on Jalan Braga is worth a visit',
  'I tried the V60 recipe from last week and it came out much sweeter',
  'thanks for sharing, that helped a lot',
  'has anyone compared the Kalita wave with the origami dripper',
  'the meetup slides are in the drive folder now',
  'selamat pagi semua, ada yang ikut cupping hari sabtu',
  'my grinder finally arrived, burr alignment looks fine',
  'lol same here',
  'we should do a latte art session next month',
  'I can bring beans from Gayo for the tasting',
];
const QUESTIONS = [
  'how do I dial in espresso for a light roast?',
  'does anyone know where to buy a used Comandante in Jakarta?',
  'apakah ada yang tahu cara membersihkan mesin espresso?',
  'what water hardness do you use for pour over?',
  'can someone explain the difference between washed and natural process?',
];
/** Abuse the standard automod preset should catch: a banned word, an invite, a mass mention, shouting. */
const ABUSE = ['banned', 'invite', 'mentions', 'caps'] as const;

export interface IngestGuild {
  guild: GatewayGuildCreateDispatchData;
  /** Text channels and threads where members talk. */
  talkChannels: string[];
  authors: Author[];
}

/** Members who post in the ingest benchmark's guilds (authors come with each MESSAGE_CREATE; the lean cache keeps none). */
export function ingestAuthors(guildIndex: number, count: number): Author[] {
  return Array.from({ length: count }, (_, i) => {
    const who = user(`member${guildIndex}x${i}`, { createdAt: new Date(Date.UTC(2021, 0, 1) + i * 3_600_000) });
    return { ...member(who, [], new Date('2025-06-01T00:00:00Z')), user: who };
  });
}

/**
 * `total` MESSAGE_CREATE dispatches across the guilds: plain chatter, replies to recent
 * messages (about 26 %), mentions (15 %), questions (10 %), messages in threads (10 %),
 * abuse (4 %: a banned word, a server invite, a mass mention, shouting) and floods (about 1 %
 * of the time a member posts seven messages in a row). Timestamps are `spacingMs` apart from `startMs`.
 */
export function* ingestMessages(guilds: IngestGuild[], total: number, options: { seed?: number; startMs: number; spacingMs?: number }): Generator<Dispatch> {
  const random = seeded(options.seed ?? 10);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const spacing = options.spacingMs ?? 50;
  const recent = guilds.map(() => new Map<string, string[]>());
  let flood: { guild: number; author: Author; channel: string; left: number } | undefined;
  for (let i = 0; i < total; i++) {
    const at = new Date(options.startMs + i * spacing);
    let g = i % guilds.length;
    let author: Author;
    let channelId: string;
    let content: string;
    let replyTo: string | undefined;
    let mentions: APIUser[] | undefined;
    if (flood) {
      ({ guild: g, author, channel: channelId } = flood);
      content = `spam spam spam ${flood.left}`;
      if (--flood.left === 0) flood = undefined;
    } else {
      const { talkChannels, authors } = guilds[g]!;
      author = pick(authors);
      channelId = pick(talkChannels);
      const roll = random();
      if (roll < 0.04) {
        const kind = ABUSE[i % ABUSE.length]!;
        if (kind === 'banned') content = 'this is fucking ridiculous';
        else if (kind === 'invite') content = 'join my server discord.gg/freenitro99';
        else if (kind === 'caps') content = 'WHY DOES NOBODY ANSWER MY QUESTIONS IN HERE';
        else {
          mentions = Array.from({ length: 8 }, () => pick(authors).user);
          content = `look ${mentions.map((m) => `<@${m.id}>`).join(' ')}`;
        }
      } else if (roll < 0.05) {
        flood = { guild: g, author, channel: channelId, left: 6 };
        content = 'spam spam spam 7';
      } else if (roll < 0.31 && recent[g]!.get(channelId)?.length) {
        replyTo = pick(recent[g]!.get(channelId)!);
        content = `replying: ${pick(CHATTER)}`;
      } else if (roll < 0.46) {
        const other = pick(authors).user;
        mentions = [other];
        content = `<@${other.id}> ${pick(CHATTER)}`;
      } else if (roll < 0.56) {
        content = pick(QUESTIONS);
      } else {
        content = `${pick(CHATTER)} (${i})`;
      }
    }
    const payload = message({ guildId: guilds[g]!.guild.id, channelId, author, content, at, ...(replyTo && { replyTo }), ...(mentions && { mentions }) });
    const list = recent[g]!.get(channelId) ?? [];
    list.push(payload.id);
    if (list.length > 20) list.shift();
    recent[g]!.set(channelId, list);
    yield { t: GatewayDispatchEvents.MessageCreate, d: payload };
  }
}

/**
 * An hour of a big guild, compressed: `joins` GUILD_MEMBER_ADD (new accounts), then `messages`
 * MESSAGE_CREATE from those members across every channel, a fifth of them replies.
 */
export function* bigGuildTraffic(guild: GatewayGuildCreateDispatchData, joins: number, messages: number, options: { seed?: number; startMs: number }): Generator<Dispatch> {
  const random = seeded(options.seed ?? 11);
  const channels = guild.channels.map((c) => c.id);
  const ids: string[] = [];
  const span = 3_600_000;
  const total = joins + messages;
  const authorOf = (id: string, index: number): Author => {
    const who = user(`joiner${index}`, { id });
    return { ...member(who, [], new Date(options.startMs)), user: who };
  };
  for (let i = 0; i < joins; i++) {
    const at = new Date(options.startMs + Math.floor((i * span) / total));
    const who = user(`joiner${i}`, { createdAt: new Date(at.getTime() - 86_400_000 * (1 + (i % 900))) });
    ids.push(who.id);
    yield { t: GatewayDispatchEvents.GuildMemberAdd, d: memberAdd(guild.id, { ...member(who, [], at), user: who }) };
  }
  const recent: string[] = [];
  for (let i = 0; i < messages; i++) {
    const at = new Date(options.startMs + Math.floor(((joins + i) * span) / total));
    const index = Math.floor(random() * ids.length);
    const replyTo = recent.length && random() < 0.2 ? recent[Math.floor(random() * recent.length)] : undefined;
    const channelId = channels[Math.floor(random() * channels.length)]!;
    const payload = message({ guildId: guild.id, channelId, author: authorOf(ids[index]!, index), content: `${CHATTER[i % CHATTER.length]} (${i})`, at, ...(replyTo && { replyTo }) });
    recent.push(payload.id);
    if (recent.length > 100) recent.shift();
    yield { t: GatewayDispatchEvents.MessageCreate, d: payload };
  }
}

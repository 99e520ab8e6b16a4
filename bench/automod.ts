import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  AutomodConfigSchema,
  evaluateMessage,
  InMemoryRateCounters,
  resolveAutomodRules,
  type MessageInput,
} from '../src/engine/moderation/automod/index.js';

export interface AutomodBenchResult {
  messagesPerSecond: number;
  p50us: number;
  p99us: number;
  messages: number;
}

/** Deterministic pseudo-random numbers, so every run sees the same mix. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EN = 'the a to and of in is it you that for on with this was are have be at but not we they what so can about just like if do all my your there will one out up our how when more some time get would people now thanks help please question release build config server deploy bug issue great idea meeting tomorrow today weekend project docs'.split(' ');
const ID = 'saya kamu yang dan di ke dari ini itu untuk dengan tidak ada akan bisa sudah juga kita mereka apa kalau tapi jadi lagi sama nanti besok hari kerja rapat terima kasih tolong bantu pertanyaan proyek kode server acara teman semua masuk kelas'.split(' ');
const EMOJI = ['😀', '🔥', '👍', '🎉', '❤️', '🙏', '😂', '🤔', '✅', '🚀'];

/**
 * A realistic mix: about 80% ordinary messages in English and Indonesian of various lengths (some with
 * allowed links, emoji, mentions, a few 1.5–4 KB pastes), about 10% abuse (obfuscated banned words,
 * invites, IP loggers, unknown links, shouting, zalgo, mass mentions), about 10% floods and repeats.
 */
function buildMessages(count: number, seed: number): MessageInput[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const sentence = (words: number) => {
    const dict = rnd() < 0.6 ? EN : ID;
    const out: string[] = [];
    for (let i = 0; i < words; i++) out.push(pick(dict));
    const s = out.join(' ');
    return s.charAt(0).toUpperCase() + s.slice(1) + pick(['.', '!', '?', '', ' ' + pick(EMOJI)]);
  };
  const abuse = [
    () => `${sentence(4)} f\u200bu\u200bc\u200bk this`,
    () => `you are such a sh1t ${sentence(3)}`,
    () => `dasar anjing ${sentence(3)}`,
    () => `k 0 n t 0 l ${sentence(2)}`,
    () => `join my server discord.gg/${Math.floor(rnd() * 1e6).toString(36)}`,
    () => `free stuff https://grabify.link/${Math.floor(rnd() * 1e6).toString(36)}`,
    () => `look at https://random-site-${Math.floor(rnd() * 1000)}.xyz/page`,
    () => `${sentence(8).toUpperCase()}`,
    () => 'h̷̢̧̛̛̗̲̼̹̱̭̖̗̙̤e̸̡̛̼͉͇̭͎̣̝̗̥̲l̸l̸o̸ ' + sentence(3),
    () => `@everyone free nitro ${sentence(2)}`,
    () => Array.from({ length: 8 }, (_, i) => `<@${1000 + i}>`).join(' ') + ' look',
    () => `wh4t th3 ƒυ¢κ ${sentence(3)}`,
  ];
  const messages: MessageInput[] = [];
  const start = Date.UTC(2026, 10, 1);
  for (let i = 0; i < count; i++) {
    const at = start + i * 10;
    const r = rnd();
    let memberId = `u${Math.floor(rnd() * 2000)}`;
    let text: string;
    let mentions: string[] = [];
    if (r < 0.55) text = sentence(3 + Math.floor(rnd() * 25));
    else if (r < 0.65) text = `${sentence(4)} https://${pick(['github.com', 'youtube.com', 'docs.google.com', 'en.wikipedia.org'])}/${Math.floor(rnd() * 1e6)} ${sentence(3)}`;
    else if (r < 0.7) text = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick(EMOJI)).join('');
    else if (r < 0.76) {
      text = `<@${Math.floor(rnd() * 2000)}> ${sentence(6)}`;
      mentions = [String(Math.floor(rnd() * 2000))];
    } else if (r < 0.78) text = Array.from({ length: 20 + Math.floor(rnd() * 40) }, () => sentence(12)).join('\n');
    else if (r < 0.8) text = `Café résumé naïve — ${sentence(10)} ✨ «ok»`;
    else if (r < 0.9) text = pick(abuse)();
    else {
      // A handful of spammers posting the same thing, or bursts of emoji.
      memberId = `spammer${Math.floor(rnd() * 20)}`;
      text = rnd() < 0.5 ? 'Buy cheap followers now, best price in town!!' : pick(EMOJI).repeat(3);
    }
    messages.push({ communityKey: 'discord:bench', eventId: `m${seed}-${i}`, memberId, memberRoles: ['member'], channelName: 'general', text, mentions, isBot: false, at });
  }
  return messages;
}

/** Evaluates the mix one message at a time with the strict preset and in-memory counters. */
export async function measureAutomod(count = Number(process.env.BENCH_AUTOMOD_MESSAGES ?? 100_000)): Promise<AutomodBenchResult> {
  const rules = resolveAutomodRules(AutomodConfigSchema.parse({ preset: 'strict' }), 'general');
  const warmup = buildMessages(10_000, 7);
  const warmCounters = new InMemoryRateCounters();
  for (const m of warmup) await evaluateMessage(m, rules, warmCounters);

  const messages = buildMessages(count, 42);
  const counters = new InMemoryRateCounters();
  const durations = new Float64Array(messages.length);
  const begin = performance.now();
  for (let i = 0; i < messages.length; i++) {
    const t0 = performance.now();
    await evaluateMessage(messages[i]!, rules, counters);
    durations[i] = performance.now() - t0;
  }
  const elapsed = performance.now() - begin;
  durations.sort();
  const q = (p: number) => durations[Math.min(durations.length - 1, Math.floor(p * durations.length))]! * 1000;
  return { messagesPerSecond: (messages.length / elapsed) * 1000, p50us: q(0.5), p99us: q(0.99), messages: messages.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await measureAutomod();
  console.log('| automod, strict preset, in-memory counters | messages | messages/s | p50 µs | p99 µs |');
  console.log('|---|---|---|---|---|');
  console.log(`| evaluateMessage, one core | ${r.messages} | ${Math.round(r.messagesPerSecond)} | ${r.p50us.toFixed(1)} | ${r.p99us.toFixed(1)} |`);
}

import type { LinksRule } from '../config.js';
import type { RuleHit } from '../evaluate.js';
import { MAX_STRUCTURE_CHARS, foldForWords, normalizeForMatching, safeEcho, type MessageView } from '../normalize.js';
import { INVITE_PATTERN, MAYBE_INVITE } from './invites.js';

/*
 * Links: every domain in the message (with a scheme, `www.`, or bare with a common top-level domain)
 * is judged against the allow and deny lists (a listed domain covers its subdomains; allow wins).
 * Known IP loggers and look-alikes of Discord and Steam (`dlscord.com`, `discord-nitro.gift`,
 * `steamcommunlty.com`, Cyrillic `dіscord.com`) are flagged in every mode. Invites are left to the
 * invites rule.
 */

/** IP loggers and link grabbers: following one leaks the reader's address. */
export const KNOWN_BAD_DOMAINS: readonly string[] = [
  'grabify.link',
  'iplogger.org',
  'iplogger.com',
  'iplogger.ru',
  'iplogger.co',
  'iplogger.info',
  'iplis.ru',
  '2no.co',
  'yip.su',
  'blasze.com',
  'blasze.tk',
  'ps3cfw.com',
  'bmwforum.co',
  'leancoding.co',
  'spottyfly.com',
  'stopify.co',
  'quickmessage.us',
  'screenshare.host',
  'headshot.monster',
  'gaming-at-my.best',
  'progaming.monster',
  'joinmy.site',
  'catsnthing.com',
  'curiouscat.club',
  'trulove.guru',
  'lovebird.guru',
  'dateing.club',
  'shrekis.life',
  'otherhalf.life',
];
const KNOWN_BAD = new Set(KNOWN_BAD_DOMAINS);

const TLDS =
  'com|net|org|io|gg|co|me|ly|xyz|info|biz|ru|id|to|tk|ml|ga|cf|gq|app|dev|site|online|shop|store|live|link|click|top|club|vip|pro|icu|fun|win|cc|tv|us|uk|de|fr|nl|jp|cn|in|br|su|ws|pw|one|art|lol|gift|gifts|best|monster|guru|life|host|space|website|tech|ai|my|sg';
const URL_HOST = /\b(?:https?:\/\/|www\.)([^\s/?#<>|"'`()[\]{}\\,;]+)/g;
const BARE_HOST = new RegExp(
  `(?<![\\w@./:\\-\\u00a1-\\uffff])((?:[a-z0-9\\u00a1-\\uffff](?:[a-z0-9\\u00a1-\\uffff-]{0,61}[a-z0-9\\u00a1-\\uffff])?\\.){1,6}(?:${TLDS}))(?![\\w\\u00a1-\\uffff-]|\\.[a-z0-9])`,
  'g',
);
/** Cheap test: a bare domain needs a top-level domain after a dot. */
const TLD_AFTER_DOT = new RegExp(`\\.(?:${TLDS})(?![\\w\\u00a1-\\uffff-])`);
const MAX_HOSTS = 50;

function cleanHost(raw: string): string {
  let h = raw.slice(raw.lastIndexOf('@') + 1).replace(/:\d*$/, '').replace(/\.+$/, '');
  if (h.startsWith('www.')) h = h.slice(4);
  return h;
}

/** Domains linked to in the text (lower-cased), without invite links; at most MAX_HOSTS. */
export function extractDomains(view: MessageView): string[] {
  let text = view.plain;
  if (!text.includes('.')) return [];
  if (text.length > MAX_STRUCTURE_CHARS) text = text.slice(0, MAX_STRUCTURE_CHARS);
  if (MAYBE_INVITE.test(text)) text = text.replace(INVITE_PATTERN, ' ');
  const hosts = new Set<string>();
  const scanners: RegExp[] = [];
  if (text.includes('http') || text.includes('www.')) scanners.push(URL_HOST);
  if (TLD_AFTER_DOT.test(text)) scanners.push(BARE_HOST);
  for (const re of scanners) {
    for (const m of text.matchAll(re)) {
      const h = cleanHost(m[1] ?? '');
      if (h.includes('.') && h.length <= 253) hosts.add(h);
      if (hosts.size >= MAX_HOSTS) break;
    }
  }
  return [...hosts];
}

/** Whether `host` is one of `domains` or a subdomain of one. */
function listed(host: string, domains: ReadonlySet<string>): boolean {
  if (domains.size === 0) return false;
  for (let h = host; ; ) {
    if (domains.has(h)) return true;
    const dot = h.indexOf('.');
    if (dot === -1) return false;
    h = h.slice(dot + 1);
  }
}

export interface LinkPolicy {
  readonly allow: ReadonlySet<string>;
  readonly deny: ReadonlySet<string>;
}

export function compileLinkPolicy(rule: Pick<LinksRule, 'allow' | 'deny'>): LinkPolicy {
  return { allow: new Set(rule.allow), deny: new Set(rule.deny) };
}

/** Optimal string alignment distance, giving up above `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev2.length = 0;
    prev2.push(...prev);
    prev = cur;
  }
  return prev[b.length]!;
}

const BRANDS: ReadonlyArray<{ label: string; shown: string; official: ReadonlySet<string> }> = [
  {
    label: 'discord',
    shown: 'discord.com',
    official: new Set(['discord.com', 'discord.gg', 'discord.gift', 'discord.media', 'discord.new', 'discord.dev', 'discord.co', 'discord.store', 'discord.design']),
  },
  { label: 'discordapp', shown: 'discord.com', official: new Set(['discordapp.com', 'discordapp.net']) },
  { label: 'steamcommunity', shown: 'steamcommunity.com', official: new Set(['steamcommunity.com']) },
  { label: 'steampowered', shown: 'steampowered.com', official: new Set(['steampowered.com']) },
];
const SECOND_LEVEL = new Set(['com', 'net', 'org', 'co', 'ac', 'go', 'or', 'gov', 'edu', 'web', 'my', 'biz', 'sch']);
const BAIT = /nitro|gift|free|airdrop|giveaway|promo|claim/;

const BRAND_SKELETONS = BRANDS.map((b) => ({ ...b, skeleton: foldForWords(b.label) }));
const lookalikeCache = new Map<string, string | null>();

/** The well-known site `host` imitates, if it looks like a phishing look-alike. */
export function lookalikeOf(host: string): string | undefined {
  let found = lookalikeCache.get(host);
  if (found === undefined) {
    found = judgeLookalike(host) ?? null;
    if (lookalikeCache.size >= 5000) lookalikeCache.clear();
    lookalikeCache.set(host, found);
  }
  return found ?? undefined;
}

function judgeLookalike(host: string): string | undefined {
  const labels = host.split('.');
  if (labels.length < 2) return undefined;
  let i = labels.length - 2;
  if (i > 0 && SECOND_LEVEL.has(labels[i]!)) i--;
  const label = labels[i]!;
  const skeleton = foldForWords(normalizeForMatching(label));
  for (const brand of BRAND_SKELETONS) {
    if (label === brand.label) {
      if (!brand.official.has(host) && ![...brand.official].some((o) => host.endsWith('.' + o))) return brand.shown;
      continue;
    }
    if (skeleton === brand.skeleton) return brand.shown;
    if (skeleton.includes(brand.skeleton)) {
      if (BAIT.test(skeleton)) return brand.shown;
      continue;
    }
    const max = brand.skeleton.length >= 10 ? 2 : 1;
    if (editDistance(skeleton, brand.skeleton, max) <= max) return brand.shown;
  }
  return undefined;
}

/** A link to a denied, unknown (strict mode) or dangerous domain. */
export function checkLinks(view: MessageView, rule: LinksRule, policy: LinkPolicy): RuleHit | undefined {
  if (!rule.enabled) return undefined;
  const domains = extractDomains(view);
  for (const host of domains) {
    if (listed(host, policy.allow)) continue;
    if (listed(host, KNOWN_BAD)) return hit(rule, `link to a known IP logger (${safeEcho(host, 60)})`, host);
    if (listed(host, policy.deny)) return hit(rule, `link to a denied domain (${safeEcho(host, 60)})`, host);
    const brand = lookalikeOf(host);
    if (brand) return hit(rule, `link to a look-alike of ${brand} (${safeEcho(host, 60)})`, host);
    if (rule.mode === 'all-but-allowed') return hit(rule, `link to a domain not on the allow list (${safeEcho(host, 60)})`, host);
  }
  return undefined;
}

function hit(rule: LinksRule, reason: string, evidence: string): RuleHit {
  return { rule: 'links', points: rule.points, deleteMessage: rule.delete, reason, evidence: safeEcho(evidence) };
}

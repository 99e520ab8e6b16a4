import { randomBytes } from 'node:crypto';
import type { ResolvedAutomodRules } from './config.js';
import { MessageView } from './normalize.js';
import type { RateCounters } from './rate-counters.js';
import { checkBannedWords } from './rules/banned-words.js';
import { checkCaps } from './rules/caps.js';
import { floodHit, floodKey, floodReportedKey } from './rules/flood.js';
import { checkInvites } from './rules/invites.js';
import { checkLinks } from './rules/links.js';
import { checkMentions } from './rules/mentions.js';
import { BASELINE_WINDOWS_MS, isNewAccount, judgeRaid, raidBaselineKey, raidJoinsKey, raidNewKey, raidReportedKey } from './rules/raid.js';
import { countSimilar, fingerprint, repeatsHit, repeatsKeep, repeatsKey, repeatsReportedKey } from './rules/repeats.js';
import { checkZalgo } from './rules/zalgo.js';

/** The automatic rules. */
export type RuleName = 'flood' | 'repeats' | 'links' | 'invites' | 'mentions' | 'caps' | 'bannedWords' | 'zalgo' | 'raid';

/** One rule a message broke. */
export interface RuleHit {
  rule: RuleName;
  /** Points for the escalation ladder (0 for a rate rule's later hits within one window). */
  points: number;
  /** Whether the message should be deleted. */
  deleteMessage: boolean;
  /** Short human English, safe to post: words censored, mentions and markup neutralized. */
  reason: string;
  /** What matched, made safe the same way (at most ~80 characters). */
  evidence?: string;
}

export interface MessageInput {
  /**
   * The event's id (CommunityEvent `id`): judging the same event again, as the engine does after a
   * transient failure, then counts it once in the rate rules. Without it every call is a new event.
   */
  eventId?: string;
  /** Platform and community id, e.g. `discord:123`: scopes the rate counters. */
  communityKey: string;
  memberId: string;
  /** Role names of the author. */
  memberRoles: string[];
  channelName: string;
  text: string;
  /** Ids mentioned, as the platform reports them. */
  mentions: string[];
  isBot: boolean;
  /** When the message was sent, epoch ms. */
  at: number;
}

export interface JoinInput {
  /** The event's id, as in MessageInput. */
  eventId?: string;
  communityKey: string;
  memberId: string;
  /** When the member joined, epoch ms. */
  at: number;
  /** When the account was created, epoch ms, if the platform says. */
  accountCreatedAt?: number;
}

export type JoinVerdict = { raid: false } | { raid: true; action: 'alert' | 'slow' | 'lock'; reason: string; joinsInWindow: number };

/** Tells apart the calls without an event id (unique across processes sharing Redis). */
const ANONYMOUS_PREFIX = `anonymous:${randomBytes(6).toString('hex')}:`;
let anonymousCount = 0;
const occurrenceId = (input: { eventId?: string | undefined }) => input.eventId ?? `${ANONYMOUS_PREFIX}${++anonymousCount}`;

function isExempt(roles: readonly string[], rules: ResolvedAutomodRules): boolean {
  if (rules.exemptRoles.size === 0) return false;
  for (const r of roles) if (rules.exemptRoles.has(r.trim().toLowerCase())) return true;
  return false;
}

function statelessHits(view: MessageView, rules: ResolvedAutomodRules, mentions: readonly string[]): RuleHit[] {
  const hits: RuleHit[] = [];
  const c = rules.compiled;
  let h: RuleHit | undefined;
  if ((h = checkBannedWords(view, rules.bannedWords, c.bannedWords))) hits.push(h);
  if ((h = checkInvites(view, rules.invites, c.invites))) hits.push(h);
  if ((h = checkLinks(view, rules.links, c.links))) hits.push(h);
  if ((h = checkMentions(view, rules.mentions, mentions))) hits.push(h);
  if ((h = checkCaps(view, rules.caps))) hits.push(h);
  if ((h = checkZalgo(view, rules.zalgo, c.zalgo))) hits.push(h);
  return hits;
}

/** The stateless rules only (no counters, no exemptions): for `/automod test <text>`. */
export function testText(text: string, rules: ResolvedAutomodRules): RuleHit[] {
  return statelessHits(new MessageView(text), rules, []);
}

/**
 * Judges one message. Bots, members with an exempt role and exempt or disabled channels get [].
 * Stateless rules first, then the rate rules (flood, repeats) through `counters`.
 */
export async function evaluateMessage(input: MessageInput, rules: ResolvedAutomodRules, counters: RateCounters): Promise<RuleHit[]> {
  if (!rules.channelEnabled || input.isBot || isExempt(input.memberRoles, rules)) return [];
  const view = new MessageView(input.text);
  const hits = statelessHits(view, rules, input.mentions);

  const { flood, repeats } = rules;
  const { communityKey, memberId, at } = input;
  const id = occurrenceId(input);
  // Start both rate lookups before awaiting either (two round trips in parallel with Redis).
  const floodWindow = flood.seconds * 1000;
  const counted = flood.enabled ? counters.hit(floodKey(communityKey, memberId), id, at, floodWindow) : undefined;
  const print = repeats.enabled ? fingerprint(view.normalized) : undefined;
  const repeatsWindow = repeats.seconds * 1000;
  const previous = print !== undefined ? counters.recent(repeatsKey(communityKey, memberId), id, print, at, repeatsWindow, repeatsKeep(repeats)) : undefined;
  if (counted === undefined && previous === undefined) return hits;
  const [count, earlier] = await Promise.all([counted, previous]);
  if (count !== undefined && count > flood.messages) {
    hits.push(floodHit(count, flood, await counters.once(floodReportedKey(communityKey, memberId), id, at, floodWindow)));
  }
  if (earlier !== undefined && print !== undefined) {
    const similar = countSimilar(print, earlier, repeats.similarity);
    if (similar + 1 >= repeats.count) {
      hits.push(repeatsHit(similar, repeats, await counters.once(repeatsReportedKey(communityKey, memberId), id, at, repeatsWindow)));
    }
  }
  return hits;
}

/**
 * Counts a join. A raid (too many joins in the window, adjusted to the community's usual rate, or too
 * many new accounts) is reported once per window; the joins after it in the same window return
 * `{ raid: false }`.
 */
export async function evaluateJoin(input: JoinInput, rules: ResolvedAutomodRules, counters: RateCounters): Promise<JoinVerdict> {
  const rule = rules.raid;
  if (!rules.communityEnabled || !rule.enabled) return { raid: false };
  const { communityKey, at } = input;
  const id = occurrenceId(input);
  const windowMs = rule.seconds * 1000;
  const [joins, newJoins, ...baselineJoins] = await Promise.all([
    counters.hit(raidJoinsKey(communityKey), id, at, windowMs),
    isNewAccount(at, input.accountCreatedAt, rule) ? counters.hit(raidNewKey(communityKey), id, at, windowMs) : 0,
    ...BASELINE_WINDOWS_MS.map((w) => counters.hit(raidBaselineKey(communityKey, w), id, at, w)),
  ]);
  const baselines = BASELINE_WINDOWS_MS.map((w, i) => ({ joins: baselineJoins[i] ?? 0, windowMs: w }));
  const reason = judgeRaid(rule, joins, newJoins, baselines);
  if (reason === undefined || !(await counters.once(raidReportedKey(communityKey), id, at, windowMs))) return { raid: false };
  return { raid: true, action: rule.action, reason, joinsInWindow: joins };
}

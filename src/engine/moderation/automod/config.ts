import { z } from 'zod';
import { compileBannedWords, type BannedWordMatcher } from './rules/banned-words.js';
import { compileLinkPolicy, type LinkPolicy } from './rules/links.js';
import { compileInvitePolicy, type InvitePolicy } from './rules/invites.js';
import { zalgoPattern } from './rules/zalgo.js';

/*
 * Automod configuration: a preset (relaxed, standard, strict) gives every rule its settings;
 * the community's `rules` override any of them, field by field; `channels.<name>.rules`
 * override again for one channel. Lists (domains, words) replace, they do not extend.
 */

const points = z.number().int().min(0).max(1000);
const seconds = z.number().positive().max(86_400);

/** Lower-cases a domain and drops a scheme, `www.`, a path and trailing dots: `https://www.YouTube.com/x` → `youtube.com`. */
export function normalizeDomain(raw: string): string {
  let d = raw.trim().toLowerCase();
  d = d.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  d = d.replace(/[/?#].*$/, '').replace(/:\d+$/, '').replace(/\.+$/, '');
  if (d.startsWith('www.')) d = d.slice(4);
  return d;
}
const domain = z
  .string()
  .min(1)
  .max(253)
  .transform(normalizeDomain)
  .refine((d) => /^[^\s/@]+\.[^\s/@.]+$/.test(d), 'a domain such as example.com');

/** Settings every rule has. */
const common = {
  /** Whether the rule runs. */
  enabled: z.boolean(),
  /** Points added to the member's escalation ladder for a hit (0: none). */
  points,
  /** Whether the offending message is deleted. */
  delete: z.boolean(),
};

export const FloodRuleSchema = z.strictObject({
  ...common,
  /** More than this many messages by one member… */
  messages: z.number().int().min(2).max(1000),
  /** …within this many seconds (anywhere in the community) is a flood. */
  seconds,
});

export const RepeatsRuleSchema = z.strictObject({
  ...common,
  /** This many identical or near-identical messages by one member… */
  count: z.number().int().min(2).max(100),
  /** …within this many seconds (in any channels) is a hit. */
  seconds,
  /** 0.5–1: how alike two messages must be (1: identical after normalization). */
  similarity: z.number().min(0.5).max(1),
});

export const LinksRuleSchema = z.strictObject({
  ...common,
  /** Domains (and their subdomains) always allowed. */
  allow: z.array(domain).max(1000),
  /** Domains (and their subdomains) always flagged. Known IP loggers and Discord look-alikes are flagged anyway. */
  deny: z.array(domain).max(1000),
  /** `deny-listed`: flag only denied domains; `all-but-allowed`: flag every domain not allowed. */
  mode: z.enum(['deny-listed', 'all-but-allowed']),
});

export const InvitesRuleSchema = z.strictObject({
  ...common,
  /** The community's own invites, which are allowed: invite codes, Slack workspace names or full invite links. */
  allowOwn: z.array(z.string().min(1).max(200)).max(100).optional(),
});

export const MentionsRuleSchema = z.strictObject({
  ...common,
  /** More than this many distinct members or roles mentioned in one message is a hit. */
  max: z.number().int().min(1).max(100),
  /** Whether @everyone / @here (Slack: <!channel>, <!here>, <!everyone>) by a member is a hit. */
  everyone: z.boolean(),
});

export const CapsRuleSchema = z.strictObject({
  ...common,
  /** Messages with fewer letters than this are never judged. */
  minLength: z.number().int().min(1).max(10_000),
  /** 0.5–1: share of upper-case letters from which a message is shouting. */
  ratio: z.number().min(0.5).max(1),
});

const bannedTerm = z.string().trim().min(1).max(100);
export const BannedWordsRuleSchema = z.strictObject({
  ...common,
  /** Extra words; each matches at the start of a word, so suffixes (-nya, -ing) are caught too. */
  words: z.array(bannedTerm).max(2000),
  /** Extra phrases of several words, matched the same way. */
  phrases: z.array(bannedTerm).max(2000),
  /** Use the built-in English (obscenity's dataset) and Indonesian lists. */
  useBuiltInLists: z.boolean(),
  /** Words or phrases never flagged even when a banned word matches inside them (e.g. `semen` for cement). */
  allow: z.array(bannedTerm).max(2000).optional(),
});

export const ZalgoRuleSchema = z.strictObject({
  ...common,
  /** More than this many combining marks stacked on one character is zalgo. */
  maxCombiningPerChar: z.number().int().min(1).max(50),
});

export const RaidRuleSchema = z.strictObject({
  ...common,
  /** More than this many joins… (raised automatically to 5× the community's usual rate for the window, from the last hour and day) */
  joins: z.number().int().min(2).max(100_000),
  /** …within this many seconds is a raid. */
  seconds,
  /** Accounts younger than this many days are new. */
  newAccountDays: z.number().min(0).max(3650),
  /** More than this many new accounts joining within the window is a raid too. */
  newAccountJoins: z.number().int().min(1).max(100_000),
  /** What to do: alert moderators only, also slow the entry (verification/slow mode), or lock it. */
  action: z.enum(['alert', 'slow', 'lock']),
});

/** Every rule with all of its settings: what a preset defines and what resolution produces. */
export const AutomodRuleSetSchema = z.strictObject({
  flood: FloodRuleSchema,
  repeats: RepeatsRuleSchema,
  links: LinksRuleSchema,
  invites: InvitesRuleSchema,
  mentions: MentionsRuleSchema,
  caps: CapsRuleSchema,
  bannedWords: BannedWordsRuleSchema,
  zalgo: ZalgoRuleSchema,
  raid: RaidRuleSchema,
});

/** Overrides: any rule, any setting; what is not given comes from the preset (or the community for a channel). */
export const AutomodRuleOverridesSchema = z.strictObject({
  flood: FloodRuleSchema.partial().optional(),
  repeats: RepeatsRuleSchema.partial().optional(),
  links: LinksRuleSchema.partial().optional(),
  invites: InvitesRuleSchema.partial().optional(),
  mentions: MentionsRuleSchema.partial().optional(),
  caps: CapsRuleSchema.partial().optional(),
  bannedWords: BannedWordsRuleSchema.partial().optional(),
  zalgo: ZalgoRuleSchema.partial().optional(),
  raid: RaidRuleSchema.partial().optional(),
});

const channelKey = (name: string) => name.trim().replace(/^#/, '').toLowerCase();

export const AutomodChannelSchema = z.strictObject({
  /** false: automod does not look at this channel at all. */
  enabled: z.boolean().optional(),
  /** Rule overrides for this channel, over the community's. */
  rules: AutomodRuleOverridesSchema.optional(),
});

export const AutomodPresetSchema = z.enum(['relaxed', 'standard', 'strict']);

export const AutomodConfigSchema = z.strictObject({
  /** Master switch for automatic moderation in the community. */
  enabled: z.boolean().default(true),
  /** Starting point for every rule's settings. */
  preset: AutomodPresetSchema.default('standard'),
  /** Members with any of these roles (by name, case-insensitive) are never judged. */
  exemptRoles: z.array(z.string().min(1)).default(['moderator', 'admin']),
  /** Channels (by name) automod ignores. */
  exemptChannels: z.array(z.string().min(1).transform(channelKey)).default([]),
  /** Community-wide overrides of the preset. */
  rules: AutomodRuleOverridesSchema.default({}),
  /** Per-channel switches and overrides, by channel name. */
  channels: z
    .record(z.string().min(1), AutomodChannelSchema)
    .transform((record) => Object.fromEntries(Object.entries(record).map(([name, c]) => [channelKey(name), c])))
    .default({}),
});

export type AutomodConfig = z.infer<typeof AutomodConfigSchema>;
export type AutomodConfigInput = z.input<typeof AutomodConfigSchema>;
export type AutomodPreset = z.infer<typeof AutomodPresetSchema>;
export type AutomodRuleSet = z.infer<typeof AutomodRuleSetSchema>;
export type AutomodRuleOverrides = z.infer<typeof AutomodRuleOverridesSchema>;
export type AutomodChannelConfig = z.infer<typeof AutomodChannelSchema>;
export type FloodRule = z.infer<typeof FloodRuleSchema>;
export type RepeatsRule = z.infer<typeof RepeatsRuleSchema>;
export type LinksRule = z.infer<typeof LinksRuleSchema>;
export type InvitesRule = z.infer<typeof InvitesRuleSchema>;
export type MentionsRule = z.infer<typeof MentionsRuleSchema>;
export type CapsRule = z.infer<typeof CapsRuleSchema>;
export type BannedWordsRule = z.infer<typeof BannedWordsRuleSchema>;
export type ZalgoRule = z.infer<typeof ZalgoRuleSchema>;
export type RaidRule = z.infer<typeof RaidRuleSchema>;

/** Links most communities share without trouble; the strict preset allows only these. */
export const COMMON_SAFE_DOMAINS: readonly string[] = [
  'youtube.com',
  'youtu.be',
  'github.com',
  'gitlab.com',
  'wikipedia.org',
  'google.com',
  'stackoverflow.com',
  'tenor.com',
  'giphy.com',
  'imgur.com',
  'discord.com',
  'discordapp.com',
  'discordapp.net',
  'slack.com',
  'twitter.com',
  'x.com',
  'reddit.com',
  'medium.com',
  'npmjs.com',
  'spotify.com',
];

/** The presets, as data. `standard` is the default: it protects a community out of the box without much noise. */
export const AUTOMOD_PRESETS: Readonly<Record<AutomodPreset, AutomodRuleSet>> = deepFreeze({
  relaxed: {
    flood: { enabled: true, points: 1, delete: true, messages: 10, seconds: 10 },
    repeats: { enabled: true, points: 1, delete: true, count: 5, seconds: 60, similarity: 0.95 },
    links: { enabled: true, points: 2, delete: true, allow: [], deny: [], mode: 'deny-listed' },
    invites: { enabled: false, points: 1, delete: true, allowOwn: [] },
    mentions: { enabled: true, points: 2, delete: true, max: 10, everyone: true },
    caps: { enabled: false, points: 0, delete: false, minLength: 30, ratio: 0.9 },
    bannedWords: { enabled: true, points: 1, delete: true, words: [], phrases: [], useBuiltInLists: true, allow: [] },
    zalgo: { enabled: true, points: 1, delete: true, maxCombiningPerChar: 8 },
    raid: { enabled: true, points: 0, delete: false, joins: 20, seconds: 60, newAccountDays: 3, newAccountJoins: 10, action: 'alert' },
  },
  standard: {
    flood: { enabled: true, points: 1, delete: true, messages: 6, seconds: 8 },
    repeats: { enabled: true, points: 1, delete: true, count: 3, seconds: 60, similarity: 0.9 },
    links: { enabled: true, points: 2, delete: true, allow: [], deny: [], mode: 'deny-listed' },
    invites: { enabled: true, points: 2, delete: true, allowOwn: [] },
    mentions: { enabled: true, points: 2, delete: true, max: 6, everyone: true },
    caps: { enabled: true, points: 0, delete: true, minLength: 15, ratio: 0.8 },
    bannedWords: { enabled: true, points: 2, delete: true, words: [], phrases: [], useBuiltInLists: true, allow: [] },
    zalgo: { enabled: true, points: 1, delete: true, maxCombiningPerChar: 4 },
    raid: { enabled: true, points: 0, delete: false, joins: 10, seconds: 60, newAccountDays: 7, newAccountJoins: 5, action: 'alert' },
  },
  strict: {
    flood: { enabled: true, points: 2, delete: true, messages: 5, seconds: 10 },
    repeats: { enabled: true, points: 2, delete: true, count: 3, seconds: 120, similarity: 0.8 },
    links: { enabled: true, points: 2, delete: true, allow: [...COMMON_SAFE_DOMAINS], deny: [], mode: 'all-but-allowed' },
    invites: { enabled: true, points: 3, delete: true, allowOwn: [] },
    mentions: { enabled: true, points: 3, delete: true, max: 4, everyone: true },
    caps: { enabled: true, points: 1, delete: true, minLength: 10, ratio: 0.7 },
    bannedWords: { enabled: true, points: 3, delete: true, words: [], phrases: [], useBuiltInLists: true, allow: [] },
    zalgo: { enabled: true, points: 2, delete: true, maxCombiningPerChar: 2 },
    raid: { enabled: true, points: 0, delete: false, joins: 6, seconds: 60, newAccountDays: 14, newAccountJoins: 3, action: 'slow' },
  },
});

/** What config/default.yaml should hold under `automod:`. */
export const DEFAULT_AUTOMOD_CONFIG: AutomodConfig = deepFreeze({
  enabled: true,
  preset: 'standard',
  exemptRoles: ['moderator', 'admin'],
  exemptChannels: [],
  rules: {},
  channels: {},
});

/** Rule settings for one channel, with what the hot path needs compiled once. */
export interface ResolvedAutomodRules extends AutomodRuleSet {
  /** Channel these rules are for (lower-case, without `#`); '' for community-level use (joins). */
  readonly channelName: string;
  /** Automod is on for the community. */
  readonly communityEnabled: boolean;
  /** Automod looks at messages in this channel (community on, channel neither exempt nor disabled). */
  readonly channelEnabled: boolean;
  /** Lower-cased exempt role names. */
  readonly exemptRoles: ReadonlySet<string>;
  readonly compiled: {
    readonly bannedWords: BannedWordMatcher;
    readonly links: LinkPolicy;
    readonly invites: InvitePolicy;
    readonly zalgo: RegExp;
  };
}

const RULE_NAMES = ['flood', 'repeats', 'links', 'invites', 'mentions', 'caps', 'bannedWords', 'zalgo', 'raid'] as const;

function applyOverrides(base: AutomodRuleSet, overrides: AutomodRuleOverrides | undefined): AutomodRuleSet {
  if (!overrides) return base;
  const out: Record<string, unknown> = { ...base };
  for (const name of RULE_NAMES) {
    const o = overrides[name];
    if (!o) continue;
    const merged: Record<string, unknown> = { ...base[name] };
    for (const [k, v] of Object.entries(o)) if (v !== undefined) merged[k] = v;
    out[name] = merged;
  }
  return out as unknown as AutomodRuleSet;
}

const resolvedCache = new WeakMap<object, Map<string, ResolvedAutomodRules>>();
const MAX_CHANNELS_CACHED = 2000;

/**
 * The rules in force in one channel: preset ← community overrides ← channel overrides.
 * Cached per (config object, channel): treat a parsed config as immutable.
 */
export function resolveAutomodRules(config: AutomodConfig, channelName: string): ResolvedAutomodRules {
  let perConfig = resolvedCache.get(config);
  if (!perConfig) {
    perConfig = new Map();
    resolvedCache.set(config, perConfig);
  }
  const hit = perConfig.get(channelName);
  if (hit) return hit;
  const key = channelKey(channelName);
  const cached = perConfig.get(key);
  if (cached) {
    perConfig.set(channelName, cached);
    return cached;
  }

  const preset = AUTOMOD_PRESETS[config.preset] ?? AUTOMOD_PRESETS.standard;
  const channel = key ? (config.channels[key] ?? config.channels[channelName]) : undefined;
  const set = applyOverrides(applyOverrides(preset, config.rules), channel?.rules);
  const exemptChannel = key !== '' && config.exemptChannels.some((c) => channelKey(c) === key);
  const resolved: ResolvedAutomodRules = Object.freeze({
    ...set,
    channelName: key,
    communityEnabled: config.enabled,
    channelEnabled: config.enabled && !exemptChannel && channel?.enabled !== false,
    exemptRoles: new Set(config.exemptRoles.map((r) => r.trim().toLowerCase())),
    compiled: Object.freeze({
      bannedWords: compileBannedWords(set.bannedWords),
      links: compileLinkPolicy(set.links),
      invites: compileInvitePolicy(set.invites),
      zalgo: zalgoPattern(set.zalgo.maxCombiningPerChar),
    }),
  });
  if (perConfig.size >= MAX_CHANNELS_CACHED) perConfig.clear();
  perConfig.set(key, resolved);
  perConfig.set(channelName, resolved);
  return resolved;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

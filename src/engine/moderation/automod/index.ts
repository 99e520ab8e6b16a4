/**
 * Automatic moderation rules: pure, fast checks of messages and joins. The moderation capability
 * decides what to do with the hits (infractions, ladder points, deletions, mod log).
 *
 *   const rules = resolveAutomodRules(community.automod, channelName); // cached per config and channel
 *   const hits = await evaluateMessage({ eventId, ... }, rules, counters); // RuleHit[]
 *   const verdict = await evaluateJoin({ eventId, ... }, rules, counters); // raid once per window
 *
 * Use RedisRateCounters when REDIS_URL is set (several processes judge a member together), else
 * InMemoryRateCounters. Pass the event's id: an event judged again (the engine retries one whose
 * transaction failed) then counts once, and still reports what its first attempt would have.
 */

/** Rule names, hits, inputs; evaluateMessage (all rules), testText (stateless rules, for `/automod test`), evaluateJoin (raids). */
export { evaluateJoin, evaluateMessage, testText } from './evaluate.js';
export type { JoinInput, JoinVerdict, MessageInput, RuleHit, RuleName } from './evaluate.js';

/** Counters for the rate-based rules: in process, or shared through Redis. */
export { InMemoryRateCounters, RedisRateCounters } from './rate-counters.js';
export type { InMemoryRateCountersOptions, RateCounters } from './rate-counters.js';

/** Configuration: schema, presets, the default, and resolution of the rules in force in a channel. */
export {
  AUTOMOD_PRESETS,
  AutomodConfigSchema,
  AutomodPresetSchema,
  AutomodRuleOverridesSchema,
  COMMON_SAFE_DOMAINS,
  DEFAULT_AUTOMOD_CONFIG,
  resolveAutomodRules,
} from './config.js';
export type {
  AutomodConfig,
  AutomodConfigInput,
  AutomodPreset,
  AutomodRuleOverrides,
  AutomodRuleSet,
  BannedWordsRule,
  CapsRule,
  FloodRule,
  InvitesRule,
  LinksRule,
  MentionsRule,
  RaidRule,
  RepeatsRule,
  ResolvedAutomodRules,
  ZalgoRule,
} from './config.js';

/** For showing user text safely (mod log, command replies). */
export { censorWord, safeEcho } from './normalize.js';

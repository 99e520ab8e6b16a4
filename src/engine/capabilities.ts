import type { Capability } from './capability.js';
import type { RateCounters } from './moderation/automod/index.js';
import { digest } from './digest/index.js';
import { feedback } from './feedback/index.js';
import { engagement } from './engagement/index.js';
import { moderation } from './moderation/index.js';
import { polls } from './polls/index.js';
import { questions } from './questions/index.js';
import { welcome } from './welcome/index.js';

/** What capabilities need from the running process. */
export interface CapabilityDeps {
  /** Counters of the rate-based automod rules: Redis when processes share communities, else memory. */
  counters: RateCounters;
}

/** Every capability the engine runs, in the order their handlers see an event. */
export function createCapabilities(deps: CapabilityDeps): readonly Capability[] {
  return [moderation({ counters: deps.counters }), welcome, questions, polls, feedback, engagement, digest];
}

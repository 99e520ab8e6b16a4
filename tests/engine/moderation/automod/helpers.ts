import { AutomodConfigSchema, resolveAutomodRules, type AutomodConfigInput, type ResolvedAutomodRules } from '../../../../src/engine/moderation/automod/index.js';

/** The rules in force in `channel` for a community configured with `config` (parsed like the YAML). */
export function rulesFor(config: AutomodConfigInput = {}, channel = 'general'): ResolvedAutomodRules {
  return resolveAutomodRules(AutomodConfigSchema.parse(config), channel);
}

export const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

/** A message input with sensible defaults. */
export function message(text: string, overrides: Partial<{ memberId: string; memberRoles: string[]; channelName: string; mentions: string[]; isBot: boolean; at: number; communityKey: string }> = {}) {
  return {
    communityKey: 'discord:g1',
    memberId: 'u1',
    memberRoles: ['member'],
    channelName: 'general',
    text,
    mentions: [],
    isBot: false,
    at: T0,
    ...overrides,
  };
}

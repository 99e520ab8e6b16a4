import { z } from 'zod';
import { AutomodConfigSchema } from '../engine/moderation/automod/config.js';
import { DigestConfigSchema } from '../engine/digest/config.js';
import { EngagementConfigSchema } from '../engine/engagement/config.js';
import { ModerationConfigSchema } from '../engine/moderation/config.js';
import { FeedbackConfigSchema } from '../engine/feedback/config.js';
import { PollsConfigSchema } from '../engine/polls/config.js';
import { QuestionsConfigSchema } from '../engine/questions/config.js';
import { SlackConfigSchema } from '../adapters/slack/config.js';

export const LocaleSchema = z.enum(['en', 'id']);
export type Locale = z.infer<typeof LocaleSchema>;

/** A text in every supported locale; `en` is the fallback when the community's locale is missing. */
const LocalizedTextSchema = z.strictObject({ en: z.string().min(1), id: z.string().min(1).optional() });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** Variables a welcome template may use; anything else in `{{…}}` is a configuration error. */
export const WELCOME_TEMPLATE_VARIABLES = ['member', 'memberName', 'community', 'rules', 'introductions', 'general'] as const;

const templateVariables = (text: string): string[] => [...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1] ?? '');

const WelcomeTemplateSchema = LocalizedTextSchema.superRefine((texts, ctx) => {
  for (const [locale, text] of Object.entries(texts)) {
    if (text === undefined) continue;
    for (const name of templateVariables(text)) {
      if (!(WELCOME_TEMPLATE_VARIABLES as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [locale],
          message: `unknown template variable {{${name}}}; expected one of ${WELCOME_TEMPLATE_VARIABLES.join(', ')}`,
        });
      }
    }
  }
});

const channelName = z.string().min(1).regex(/^[^\s#]+$/, 'a channel name without "#" or spaces');
const roleName = z.string().min(1);

export const CommunityConfigSchema = z.strictObject({
  /** Display name used in messages; when null, the name the platform reports, else the id. */
  name: z.string().min(1).nullable(),
  locale: LocaleSchema,
  /** IANA time zone for schedules and digests. */
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as UTC or Asia/Jakarta'),
  /** Role names (as configured on the platform) that hold each permission. */
  roles: z.strictObject({
    moderator: z.array(roleName).min(1),
    manager: z.array(roleName),
  }),
  /** Well-known channels by purpose, mapped to the community's channel names. */
  channels: z.strictObject({
    general: channelName,
    rules: channelName,
    introductions: channelName,
    modLog: channelName,
    feedback: channelName,
    questions: channelName,
  }),
  welcome: z.strictObject({
    enabled: z.boolean(),
    /** Channel name where the welcome is posted. */
    channel: channelName,
    message: WelcomeTemplateSchema,
    dm: z.strictObject({
      enabled: z.boolean(),
      message: WelcomeTemplateSchema,
    }),
    /** Role name given to every new member, or null. */
    autoRole: roleName.nullable(),
    /** Whether a member who left and comes back is welcomed again (as "welcome back"). */
    welcomeBack: z.boolean(),
    welcomeBackMessage: WelcomeTemplateSchema,
  }),
  /** Cases, the escalation ladder and moderator commands. */
  moderation: ModerationConfigSchema,
  /** Automatic rules: a preset, then community-wide and per-channel overrides. */
  automod: AutomodConfigSchema,
  /** /poll: limits, coalesced tally edits, result charts, recurring polls. */
  polls: PollsConfigSchema,
  /** /feedback: categories routed to their teams' channels, who may change a status. */
  feedback: FeedbackConfigSchema,
  /** Question detection, answer tracking, topic routing and escalation. */
  questions: QuestionsConfigSchema,
  /** Onboarding, introductions, the involvement score, tiers, ambassadors and linked identities. */
  engagement: EngagementConfigSchema,
  /** The managers' daily digest, /digest and /summarize. */
  digest: DigestConfigSchema,
  /** Slack only: which user groups hold which roles, and an optional channel whose joiners join the community. */
  slack: SlackConfigSchema,
});

export type CommunityConfig = z.infer<typeof CommunityConfigSchema>;

/** A per-community file in config/communities/: which community, then any overrides. */
export const CommunityOverrideHeaderSchema = z.object({
  community: z
    .union([z.string().min(1), z.number()], { error: 'the id of the community this file configures (a Discord guild id or a Slack team id)' })
    .transform(String),
  platform: z.enum(['discord', 'slack', 'shell']).optional(),
});

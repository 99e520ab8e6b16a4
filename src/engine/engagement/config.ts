import { z } from 'zod';
import { parseDuration } from '../../core/duration.js';

const duration = z.string().refine((text) => parseDuration(text) !== undefined, 'a duration such as 30m, 2h or 1d');
const cron = z.string().regex(/^\S+(\s+\S+){4}$/, 'a cron pattern of five fields, such as "0 10 * * 1"');
const weight = z.number().min(0);

/** How much each kind of involvement is worth (see README "Engagement"). */
export const WeightsSchema = z.strictObject({
  /** A message of the member that someone else replied to (once per message). */
  conversationStarted: weight,
  /** A reply to (or in the thread of) another member's message. */
  reply: weight,
  /** Each distinct member talked with (replied to, or who replied to the member). */
  distinctMember: weight,
  /** An answer the asker marked as the helpful one (questions). */
  answerAccepted: weight,
  /** A reaction from another member on one of the member's messages. */
  reactionReceived: weight,
  /** Each day (in the community's time zone) with at least one counted message. */
  activeDay: weight,
  /** Each minute of activity sessions (messages less than `sessionGap` apart). */
  sessionMinute: weight,
});
export type Weights = z.infer<typeof WeightsSchema>;

const TierSchema = z.strictObject({
  name: z.string().min(1).regex(/^[a-z0-9-]+$/, 'a lower-case name'),
  /** The score from which a member holds this tier. */
  threshold: z.number().min(0),
  /** Role (by name) given while the member holds the tier; null: none. */
  role: z.string().min(1).nullable(),
});

export const EngagementConfigSchema = z
  .strictObject({
    enabled: z.boolean(),
    score: z.strictObject({
      weights: WeightsSchema,
      /** Half-life of every contribution: a contribution this old counts half. null: no decay. */
      halfLife: duration.nullable(),
      /** A gap longer than this between two messages ends an activity session. */
      sessionGap: duration,
      /** The longest session counted, in minutes, so an all-day flood of chatter cannot pile up time. */
      maxSessionMinutes: z.number().int().min(1),
    }),
    onboarding: z.strictObject({
      /** DM new members a checklist (rules, introduction, interests). */
      enabled: z.boolean(),
    }),
    /** The interests members may pick with /interests (lower-case words). */
    interests: z.array(z.string().min(1).regex(/^[a-z0-9-]+$/, 'a lower-case word')).min(1),
    intros: z.strictObject({
      enabled: z.boolean(),
      /** When the introductions job runs (cron, in the community's time zone). */
      schedule: cron,
      /** Channel (by name) where pairs are introduced; each introduction asks for a thread. */
      channel: z.string().min(1),
      /** Most pairs introduced in one run. */
      maxPairs: z.number().int().min(1),
      /** Only members seen within this time are paired. */
      activeWithin: duration,
      /** Members who exchanged this many replies or more already know each other. */
      metThreshold: z.number().int().min(1),
      /** When to ask the pair whether they met; null: never. */
      followUpAfter: duration.nullable(),
    }),
    tiers: z.strictObject({
      /** When tiers are re-evaluated (cron, community time zone). */
      schedule: cron,
      /** Channel (by name) where promotions are announced; null: no announcement. */
      announceChannel: z.string().min(1).nullable(),
      /** The ladder, lowest first; the first tier's threshold is 0. */
      ladder: z.array(TierSchema).min(1),
      /**
       * A member steps down only when their score falls this fraction below their tier's
       * threshold, so a score hovering at a threshold does not flap between tiers every run.
       */
      demotionMargin: z.number().min(0).max(0.9),
    }),
    ambassadors: z.strictObject({
      enabled: z.boolean(),
      /** When the scan for candidates runs (cron, community time zone). */
      schedule: cron,
      /** Role (by name) given on approval. */
      role: z.string().min(1),
      /** Channel (by name) where moderators get nomination cards. */
      channel: z.string().min(1),
      /** Helpfulness: the least of replies to others plus accepted answers (last 30 days, undecayed). */
      minHelpful: z.number().int().min(0),
      /** No moderation cases (unpardoned) within this time. */
      cleanFor: duration,
      /** Active (first counted message) at least this long ago. */
      activeFor: duration,
      /** After a decline, no new nomination of the member for this long. */
      cooldown: duration,
      /** Most candidates one scan nominates. */
      maxPerScan: z.number().int().min(1),
    }),
    link: z.strictObject({
      /** How long a /link code may be confirmed. */
      codeTtl: duration,
    }),
  })
  .superRefine((config, ctx) => {
    const ladder = config.tiers.ladder;
    if (ladder[0] && ladder[0].threshold !== 0) ctx.addIssue({ code: 'custom', path: ['tiers', 'ladder', 0, 'threshold'], message: 'the first tier starts at 0' });
    ladder.forEach((tier, i) => {
      if (i > 0 && tier.threshold <= ladder[i - 1]!.threshold) ctx.addIssue({ code: 'custom', path: ['tiers', 'ladder', i, 'threshold'], message: 'thresholds must increase' });
      if (ladder.findIndex((t) => t.name === tier.name) !== i) ctx.addIssue({ code: 'custom', path: ['tiers', 'ladder', i, 'name'], message: `tier "${tier.name}" appears twice` });
    });
  });
export type EngagementConfig = z.infer<typeof EngagementConfigSchema>;

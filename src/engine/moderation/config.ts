import { z } from 'zod';
import { parseDuration } from '../../core/duration.js';

const duration = z.string().refine((text) => parseDuration(text) !== undefined, 'a duration such as 30s, 10m, 2h, 1d or 1w');

/** What the ladder does when a threshold is crossed. */
const SanctionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('warn') }),
  z.strictObject({ action: z.literal('timeout'), duration }),
  z.strictObject({ action: z.literal('kick') }),
  z.strictObject({ action: z.literal('ban') }),
]);
export type Sanction = z.infer<typeof SanctionSchema>;

const StepSchema = z.intersection(z.strictObject({ points: z.number().int().positive() }).passthrough(), SanctionSchema);

export const ModerationConfigSchema = z.strictObject({
  enabled: z.boolean(),
  /** DM the member about each case against them (with its number and reason). */
  dmMember: z.boolean(),
  /** Points a moderator's command adds to the ladder. */
  points: z.strictObject({
    warn: z.number().int().nonnegative(),
    timeout: z.number().int().nonnegative(),
    kick: z.number().int().nonnegative(),
    ban: z.number().int().nonnegative(),
  }),
  /** Points count for this long after their case, then expire. */
  decay: duration,
  /** Thresholds of active points, lowest first; crossing one applies its action. */
  ladder: z.array(StepSchema).refine((steps) => steps.every((s, i) => i === 0 || s.points > steps[i - 1]!.points), 'steps in increasing order of points'),
  /** "N infractions within M": bursts of cases trigger an action whatever the points. */
  bursts: z.array(
    z.intersection(z.strictObject({ infractions: z.number().int().min(2), within: duration }).passthrough(), SanctionSchema),
  ),
  /** Most messages /purge deletes at once. */
  purgeLimit: z.number().int().min(1).max(1000),
});
export type ModerationConfig = z.infer<typeof ModerationConfigSchema>;
export type LadderStep = ModerationConfig['ladder'][number];
export type BurstTrigger = ModerationConfig['bursts'][number];

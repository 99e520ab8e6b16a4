import { z } from 'zod';

const channelName = z.string().min(1).regex(/^[^\s#]+$/, 'a channel name without "#" or spaces');

/** Words /feedback understands as subcommands, so no category may be named like them. */
export const FEEDBACK_SUBCOMMANDS = ['status', 'top', 'show'] as const;

const CategorySchema = z.strictObject({
  /** The team's channel (by name) where items of this category are posted; null: channels.feedback. */
  channel: channelName.nullable().default(null),
  /** Role names of the team that owns the category; they may change its items' status (as may feedback.teamRoles). */
  teamRoles: z.array(z.string().min(1)).default([]),
});

export const FeedbackConfigSchema = z.strictObject({
  enabled: z.boolean(),
  /** Categories by name (lower case), with the team that owns each; `null` removes a default category. */
  categories: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case category name'), CategorySchema.nullable())
    .transform((categories) => Object.fromEntries(Object.entries(categories).filter((entry): entry is [string, z.infer<typeof CategorySchema>] => entry[1] !== null)))
    .refine((c) => Object.keys(c).length > 0, 'at least one category')
    .refine((c) => !Object.keys(c).some((name) => (FEEDBACK_SUBCOMMANDS as readonly string[]).includes(name)), {
      message: `a category may not be named ${FEEDBACK_SUBCOMMANDS.join(', ')} (they are /feedback subcommands)`,
    }),
  /** Role names that may change the status of items of every category. */
  teamRoles: z.array(z.string().min(1)),
  /** DM the submitter when their item's status changes. */
  notifySubmitter: z.boolean(),
  /** How many items /feedback top lists. */
  topLimit: z.number().int().min(1).max(25),
  /** Longest feedback text accepted, in characters. */
  maxLength: z.number().int().min(20).max(4000),
});
export type FeedbackConfig = z.infer<typeof FeedbackConfigSchema>;

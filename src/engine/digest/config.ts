import { z } from 'zod';

const channelName = z.string().min(1).regex(/^[^\s#]+$/, 'a channel name without "#" or spaces');

/** The managers' daily digest and channel summaries. */
export const DigestConfigSchema = z.strictObject({
  enabled: z.boolean(),
  /** Local time of day (community's time zone) the digest of the previous day is sent, `HH:MM`. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 08:00'),
  /** DM the digest to every member holding one of `roles.manager`. */
  dmManagers: z.boolean(),
  /** Also post it in this channel (by name); null: no channel. */
  channel: channelName.nullable(),
  /** Attach the chart of the last 14 days' activity. */
  chart: z.boolean(),
  /** How many leaders, unanswered questions, trending topics and busiest threads to list. */
  limits: z.strictObject({
    leaders: z.number().int().min(1).max(25),
    unanswered: z.number().int().min(0).max(50),
    topics: z.number().int().min(0).max(25),
    threads: z.number().int().min(0).max(10),
  }),
  /** /summarize: what counts as a busy conversation and how much of it is quoted. */
  summaries: z.strictObject({
    enabled: z.boolean(),
    /** Replies a conversation needs to be summarized. */
    minReplies: z.number().int().min(1),
    /** Conversations per summary, and key messages quoted per conversation. */
    maxConversations: z.number().int().min(1).max(20),
    keyMessages: z.number().int().min(1).max(10),
    /** Period summarized when /summarize gives no `since`. */
    defaultSince: z.string().regex(/^\d+\s*[mhdw]$/, 'a duration such as 24h or 3d'),
  }),
});
export type DigestConfig = z.infer<typeof DigestConfigSchema>;

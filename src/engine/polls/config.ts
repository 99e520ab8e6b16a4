import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { parseDuration } from '../../core/duration.js';

const duration = z.string().refine((text) => parseDuration(text) !== undefined, 'a duration such as 30s, 10m, 2h, 1d or 1w');
const channelName = z.string().min(1).regex(/^[^\s#]+$/, 'a channel name without "#" or spaces');

export const MIN_CHOICES = 2;
export const MAX_CHOICES = 10;

/** A poll the bot asks by itself on a schedule, e.g. a weekly pulse question. */
const RecurringPollSchema = z
  .strictObject({
    /** Stable name of this recurring poll (its job id; polls it asked remember it). */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    question: z.string().min(1).max(300),
    choices: z.array(z.string().min(1).max(80)).min(MIN_CHOICES).max(MAX_CHOICES),
    /** Five-field cron pattern in the community's time zone, e.g. "0 10 * * 1" (Mondays 10:00). */
    cron: z.string().refine((cron) => {
      try {
        CronExpressionParser.parse(cron);
        return cron.trim().split(/\s+/).length === 5;
      } catch {
        return false;
      }
    }, 'a five-field cron pattern such as "0 10 * * 1"'),
    /** Channel (by name) the poll is posted in. */
    channel: channelName,
    /** How long each poll stays open. */
    duration,
    multi: z.boolean().default(false),
    anonymous: z.boolean().default(true),
    liveResults: z.boolean().default(true),
  })
  .refine((poll) => new Set(poll.choices.map((c) => c.trim().toLowerCase())).size === poll.choices.length, {
    message: 'choices must differ from each other',
    path: ['choices'],
  });
export type RecurringPoll = z.infer<typeof RecurringPollSchema>;

export const PollsConfigSchema = z.strictObject({
  enabled: z.boolean(),
  /** Role names whose members may start polls; [] lets every member. Moderators always may. */
  createRoles: z.array(z.string().min(1)),
  /** How long a poll stays open when /poll gives no duration or closing time. */
  defaultDuration: duration,
  /** The longest a poll may stay open. */
  maxDuration: duration,
  /**
   * The live tally is edited at most once per interval: votes within it are coalesced into one
   * edit, so a busy poll stays far below the platforms' rate limits.
   */
  tallyInterval: duration,
  /** Channel (by name) for results when a poll closes; null: the poll's own channel. */
  resultsChannel: channelName.nullable(),
  /** Attach a bar chart (PNG) to the results. */
  chart: z.boolean(),
  /** Polls the bot asks on a schedule. */
  recurring: z.array(RecurringPollSchema).refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'recurring poll ids must be unique'),
});
export type PollsConfig = z.infer<typeof PollsConfigSchema>;

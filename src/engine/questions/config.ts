import { z } from 'zod';
import { parseDuration } from '../../core/duration.js';

const duration = z.string().refine((text) => parseDuration(text) !== undefined, 'a duration such as 30m, 2h or 1d');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 09:00');
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** When a team is at work, in the community's time zone; deadlines only run inside these hours. */
export const WorkingHoursSchema = z.strictObject({
  days: z.array(weekday).min(1),
  start: clock,
  end: clock,
}).refine((hours) => hours.start < hours.end, 'start before end');
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

const TeamSchema = z.strictObject({
  /** Role (by name) mentioned when a question is escalated to the team. */
  role: z.string().min(1),
  /** Channel (by name) where the team receives escalations. */
  channel: z.string().min(1),
  /** Null: deadlines run around the clock. */
  workingHours: WorkingHoursSchema.nullable().default(null),
});

const TopicSchema = z.strictObject({
  name: z.string().min(1),
  team: z.string().min(1),
  /** Words that put a question in this topic (matched as whole words, case-insensitive). */
  keywords: z.array(z.string().min(1)).default([]),
  /** Phrases that put a question in this topic (matched anywhere, case-insensitive). */
  phrases: z.array(z.string().min(1)).default([]),
  /** Channels (by name) whose questions belong to this topic. */
  channels: z.array(z.string().min(1)).default([]),
  /** Time to a first answer for this topic; default `answerDeadline`. */
  deadline: duration.optional(),
});

export const QuestionsConfigSchema = z
  .strictObject({
    enabled: z.boolean(),
    /** Channels (by name) whose questions are tracked; empty: every channel but `ignoreChannels`. */
    channels: z.array(z.string().min(1)),
    ignoreChannels: z.array(z.string().min(1)),
    /** Time to a first answer before the question goes to its team. */
    answerDeadline: duration,
    /** Deadline per channel (by name), over `answerDeadline`. */
    channelDeadlines: z.record(z.string().min(1), duration),
    /** After the team, how long until managers are told (also in working hours). */
    managerEscalationAfter: duration,
    /** Channel (by name) of the managers' escalation; the `roles.manager` roles are mentioned. */
    managersChannel: z.string().min(1),
    /** Reactions by the asker that mark a question (or an answer to it) as resolved. */
    resolveEmoji: z.array(z.string().min(1)).min(1),
    /** The team of questions that match no topic. */
    defaultTeam: z.string().min(1),
    teams: z.record(z.string().min(1), TeamSchema),
    topics: z.array(TopicSchema),
  })
  .superRefine((config, ctx) => {
    const teams = Object.keys(config.teams);
    if (!teams.includes(config.defaultTeam)) ctx.addIssue({ code: 'custom', path: ['defaultTeam'], message: `no team "${config.defaultTeam}" in questions.teams (${teams.join(', ') || 'none'})` });
    config.topics.forEach((topic, i) => {
      if (!teams.includes(topic.team)) ctx.addIssue({ code: 'custom', path: ['topics', i, 'team'], message: `no team "${topic.team}" in questions.teams` });
    });
  });
export type QuestionsConfig = z.infer<typeof QuestionsConfigSchema>;
export type TeamConfig = QuestionsConfig['teams'][string];

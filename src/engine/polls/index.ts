import { parseDuration } from '../../core/duration.js';
import type { Capability } from '../capability.js';
import { handlePollCommand } from './commands.js';
import { closePoll, closeJobId, JOB_CLOSE, JOB_RECURRING, JOB_TALLY, recurringJobId, refreshTally, startPoll } from './flow.js';
import { isPollComponent } from './ids.js';
import { findPollById, openPolls } from './store.js';
import { handleVote } from './votes.js';

export { PollsConfigSchema, type PollsConfig } from './config.js';
export { pollResultsBetween, pollResultsForDay, type PollResult } from './stats.js';

const pollIdOf = (payload: Record<string, unknown>): number => Number(payload.pollId);

/**
 * Polls: /poll with buttons, one vote per member (by the database), a live tally edited at
 * most once per `polls.tallyInterval`, closing at the deadline through the scheduler (re-armed
 * from the database after a restart), results with a bar chart, and recurring polls.
 */
export const polls: Capability = {
  name: 'polls',
  on: {
    'command.invoked': handlePollCommand,
    'component.used': async (event, ctx) => (ctx.config.polls.enabled && isPollComponent(event.componentId) ? handleVote(event, ctx) : []),
  },
  jobs: {
    [JOB_TALLY]: (ctx) => refreshTally(ctx, pollIdOf(ctx.job.payload)),
    [JOB_CLOSE]: async (ctx) => {
      const poll = await findPollById(ctx.tx, ctx.community.id, pollIdOf(ctx.job.payload));
      // A deadline job for a time that is not the poll's (an older schedule) does nothing.
      if (!poll || poll.closedAt || ctx.job.dueAt.getTime() < poll.closesAt.getTime()) return [];
      return closePoll(ctx, poll.id, poll.closesAt, null);
    },
    [JOB_RECURRING]: async (ctx) => {
      const recurring = ctx.config.polls.recurring.find((r) => r.id === ctx.job.payload.recurringId);
      if (!recurring || !ctx.config.polls.enabled) return [];
      const { actions } = await startPoll(ctx, {
        question: recurring.question,
        choices: recurring.choices,
        multi: recurring.multi,
        anonymous: recurring.anonymous,
        liveResults: recurring.liveResults,
        closesAt: new Date(ctx.job.dueAt.getTime() + parseDuration(recurring.duration)!),
        channelExternalId: await ctx.channelId(recurring.channel),
        authorId: null,
        recurringId: recurring.id,
        origin: `${ctx.job.id}@${ctx.job.dueAt.toISOString()}`,
      });
      return actions;
    },
  },
  /** After a restart: every open poll's deadline (a past one runs at once), and the recurring polls of the config. */
  async recover(ctx) {
    for (const poll of await openPolls(ctx.tx, ctx.community.id)) {
      ctx.schedule({ id: closeJobId(poll.id), name: JOB_CLOSE, runAt: poll.closesAt, payload: { pollId: poll.id } });
    }
    if (!ctx.config.polls.enabled) return;
    for (const recurring of ctx.config.polls.recurring) {
      ctx.repeat({ id: recurringJobId(recurring.id), name: JOB_RECURRING, cron: recurring.cron, payload: { recurringId: recurring.id } });
    }
  },
};

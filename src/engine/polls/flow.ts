import type { ActionDraft, NeutralMessage } from '../../contracts/index.js';
import { parseDuration } from '../../core/duration.js';
import type { CommunityContext } from '../capability.js';
import { renderBarChart } from './chart.js';
import { digest } from './ids.js';
import { pollMessage, pollMessageKey, resultsMessage } from './render.js';
import { createPoll, markClosed, nextPollNumber, storeImage, tallyPoll, votersByOption, findPollById, type PollWithOptions } from './store.js';

export const JOB_CLOSE = 'polls.close';
export const JOB_TALLY = 'polls.tally';
export const JOB_RECURRING = 'polls.recurring';

export const closeJobId = (pollId: number) => `poll-close:${pollId}`;
export const tallyJobId = (pollId: number) => `poll-tally:${pollId}`;
export const recurringJobId = (recurringId: string) => `poll-recurring:${recurringId}`;
export const resultsMessageKey = (poll: { number: number }) => `poll-results:${poll.number}`;
export const chartName = (poll: { number: number }) => `poll-${poll.number}.png`;

export interface NewPoll {
  question: string;
  choices: string[];
  multi: boolean;
  anonymous: boolean;
  liveResults: boolean;
  closesAt: Date;
  channelExternalId: string;
  authorId: number | null;
  recurringId: string | null;
  /** The id of the event or job that asks the poll: the seed of its nonce. */
  origin: string;
}

/** Stores a poll, posts its message and arms its closing. */
export async function startPoll(ctx: CommunityContext, spec: NewPoll): Promise<{ poll: PollWithOptions; actions: ActionDraft[] }> {
  const number = await nextPollNumber(ctx.tx, ctx.community.id);
  const { origin, ...fields } = spec;
  const poll = await createPoll(ctx.tx, {
    ...fields,
    communityId: ctx.community.id,
    number,
    nonce: digest('poll', ctx.community.platform, ctx.community.externalId, origin, number),
    createdAt: ctx.clock.now(),
  });
  ctx.schedule({ id: closeJobId(poll.id), name: JOB_CLOSE, runAt: poll.closesAt, payload: { pollId: poll.id } });
  const message = pollMessage(ctx, poll, { counts: poll.options.map((option) => ({ option, votes: 0 })), voters: 0 });
  return { poll, actions: [{ type: 'message.send', channel: poll.channelExternalId, key: pollMessageKey(poll), message }] };
}

/**
 * Asks for a refresh of the live tally at the end of the current `tallyInterval` window. Every
 * vote in the window schedules the same job id at the same time, which replaces rather than
 * adds: N votes in a window make one edit, and a steady stream of votes one edit per window.
 */
export function scheduleTally(ctx: CommunityContext, poll: PollWithOptions): void {
  const interval = parseDuration(ctx.config.polls.tallyInterval)!;
  const now = ctx.clock.now().getTime();
  const runAt = new Date((Math.floor(now / interval) + 1) * interval);
  if (runAt.getTime() >= poll.closesAt.getTime()) return; // the closing edit will show it
  ctx.schedule({ id: tallyJobId(poll.id), name: JOB_TALLY, runAt, payload: { pollId: poll.id } });
}

/** The live message edited to the current tally (nothing once the poll is closed: closing edits it). */
export async function refreshTally(ctx: CommunityContext, pollId: number): Promise<ActionDraft[]> {
  const poll = await findPollById(ctx.tx, ctx.community.id, pollId);
  if (!poll || poll.closedAt) return [];
  return [{ type: 'message.edit', key: pollMessageKey(poll), message: pollMessage(ctx, poll, await tallyPoll(ctx.tx, poll)) }];
}

/** The results chart, stored for the adapter; undefined (and a warning) if the canvas cannot render here. */
async function chartImage(ctx: CommunityContext, poll: PollWithOptions, counts: { label: string; votes: number }[]): Promise<NeutralMessage['image']> {
  try {
    const chart = await renderBarChart({ title: poll.question, labels: counts.map((c) => c.label), values: counts.map((c) => c.votes) });
    const name = chartName(poll);
    const id = await storeImage(ctx.tx, { communityId: ctx.community.id, name, contentType: 'image/png', bytes: chart.png, createdAt: ctx.clock.now() });
    return { name, contentType: 'image/png', storedImageId: id, width: chart.width, height: chart.height, bytes: chart.png.length };
  } catch (error) {
    ctx.logger.warn({ err: error, poll: poll.number }, 'poll chart could not be rendered; results posted without it');
    return undefined;
  }
}

/**
 * Closes a poll once: marks it closed (a poll already closed, by its deadline or by
 * /poll close, returns nothing), edits its message to the final tally without buttons, and
 * posts the results with the chart.
 */
export async function closePoll(ctx: CommunityContext, pollId: number, at: Date, byMemberId: number | null): Promise<ActionDraft[]> {
  if (!(await markClosed(ctx.tx, pollId, at, byMemberId))) return [];
  ctx.cancel(closeJobId(pollId));
  ctx.cancel(tallyJobId(pollId));
  const poll = (await findPollById(ctx.tx, ctx.community.id, pollId))!;
  const tally = await tallyPoll(ctx.tx, poll);
  const voters = poll.anonymous ? undefined : await votersByOption(ctx.tx, poll.id);
  const results = resultsMessage(ctx, poll, tally, { voters, final: true });
  if (ctx.config.polls.chart) {
    const image = await chartImage(ctx, poll, tally.counts.map((c) => ({ label: c.option.label, votes: c.votes })));
    if (image) results.image = image;
  }
  const channel = ctx.config.polls.resultsChannel ? await ctx.channelId(ctx.config.polls.resultsChannel) : poll.channelExternalId;
  return [
    { type: 'message.edit', key: pollMessageKey(poll), message: pollMessage(ctx, poll, tally) },
    { type: 'message.send', channel, key: resultsMessageKey(poll), message: results },
  ];
}

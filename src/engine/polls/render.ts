import type { Button, NeutralMessage } from '../../contracts/index.js';
import type { CommunityContext } from '../capability.js';
import { neutralizeMentions, truncate } from '../format/neutralize-mentions.js';
import { voteButtonId } from './ids.js';
import type { PollWithOptions, Tally } from './store.js';

const BAR_WIDTH = 10;

/** The message key of a poll's live message: `poll:<number>`, per community. */
export const pollMessageKey = (poll: { number: number }): string => `poll:${poll.number}`;

/** A time as members of the community read it: their locale and time zone, with the zone named. */
export function formatTime(ctx: CommunityContext, at: Date): string {
  const text = new Intl.DateTimeFormat(ctx.config.locale === 'id' ? 'id-ID' : 'en-GB', {
    timeZone: ctx.config.timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(at);
  return `${text} (${ctx.config.timeZone})`;
}

const percent = (votes: number, total: number) => (total === 0 ? 0 : Math.round((votes / total) * 100));
const bar = (votes: number, max: number) => {
  const filled = max === 0 ? 0 : Math.round((votes / max) * BAR_WIDTH);
  return `${'▰'.repeat(filled)}${'▱'.repeat(BAR_WIDTH - filled)}`;
};

function tallyFields(ctx: CommunityContext, tally: Tally): { name: string; value: string }[] {
  const totalVotes = tally.counts.reduce((sum, c) => sum + c.votes, 0);
  const max = Math.max(0, ...tally.counts.map((c) => c.votes));
  return tally.counts.map(({ option, votes }) => ({
    name: neutralizeMentions(option.label),
    value: `${bar(votes, max)} ${ctx.t('polls.votes', { count: votes })} (${percent(votes, totalVotes)}%)`,
  }));
}

/** The poll's own message: the question, how to vote, the live tally (if shown) and the buttons while open. */
export function pollMessage(ctx: CommunityContext, poll: PollWithOptions, tally: Tally): NeutralMessage {
  const open = poll.closedAt === null;
  const lines = [
    ctx.t('polls.header', { number: poll.number, question: neutralizeMentions(poll.question) }),
    [
      ctx.t(poll.multi ? 'polls.howMulti' : 'polls.howSingle'),
      ctx.t(poll.anonymous ? 'polls.anonymous' : 'polls.public'),
      open ? ctx.t('polls.closesAt', { time: formatTime(ctx, poll.closesAt) }) : ctx.t('polls.closedAt', { time: formatTime(ctx, poll.closedAt!) }),
    ].join(' · '),
  ];
  const showTally = poll.liveResults || !open;
  if (!showTally) lines.push(ctx.t('polls.hiddenUntilClose'));
  lines.push(ctx.t('polls.voters', { count: tally.voters }));
  if (!open) lines.push(ctx.t('polls.seeResults'));
  const message: NeutralMessage = { text: lines.join('\n') };
  if (showTally) message.fields = tallyFields(ctx, tally);
  if (open) {
    message.buttons = poll.options.map(
      (option): Button => ({ id: voteButtonId(poll.id, option.position, poll.nonce), label: truncate(option.label, 80), style: 'primary' }),
    );
  }
  return message;
}

/** The results: winner(s), every option's votes, who voted for what in an open poll, and the chart. */
export function resultsMessage(
  ctx: CommunityContext,
  poll: PollWithOptions,
  tally: Tally,
  extra: { voters?: Map<number, string[]>; final: boolean },
): NeutralMessage {
  const max = Math.max(0, ...tally.counts.map((c) => c.votes));
  const winners = max === 0 ? [] : tally.counts.filter((c) => c.votes === max).map((c) => `**${neutralizeMentions(c.option.label)}**`);
  const lines = [
    ctx.t(extra.final ? 'polls.resultsHeader' : 'polls.resultsSoFar', { number: poll.number, question: neutralizeMentions(poll.question) }),
    winners.length === 0 ? ctx.t('polls.noVotes') : ctx.t(winners.length === 1 ? 'polls.winner' : 'polls.tie', { choices: winners.join(', ') }),
    ctx.t('polls.voters', { count: tally.voters }),
  ];
  const fields = tallyFields(ctx, tally);
  if (extra.voters && !poll.anonymous) {
    for (const field of fields) {
      const option = tally.counts.find((c) => neutralizeMentions(c.option.label) === field.name)?.option;
      const names = option ? (extra.voters.get(option.id) ?? []) : [];
      if (names.length) field.value += `\n${truncate(names.map(neutralizeMentions).join(', '), 900)}`;
    }
  }
  return { text: lines.join('\n'), fields };
}

import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { EventContext } from '../capability.js';
import { neutralizeMentions } from '../format/neutralize-mentions.js';
import { scheduleTally } from './flow.js';
import { parseVoteButtonId } from './ids.js';
import { castSingleVote, findPollById, memberVotes, toggleMultiVote } from './store.js';

type Component = EventOfType<'component.used'>;

const reply = (event: Component, text: string): ActionDraft => ({ type: 'reply.ephemeral', member: event.member.id, message: { text } });

/**
 * A click on a poll's button: validated (the id must name a poll of this community, with its
 * nonce, and one of its choices), refused on a closed poll or from a member who left, then
 * stored (one vote per member, by the database) and answered privately. The live tally is
 * refreshed later, coalesced with the other votes of the same window.
 */
export async function handleVote(event: Component, ctx: EventContext): Promise<ActionDraft[]> {
  const ref = parseVoteButtonId(event.componentId);
  const poll = ref && (await findPollById(ctx.tx, ctx.community.id, ref.pollId));
  const option = poll && poll.nonce === ref.nonce ? poll.options.find((o) => o.position === ref.position) : undefined;
  if (!poll || !option) return [reply(event, ctx.t('polls.error.unknownButton'))];
  const now = ctx.clock.now();
  if (poll.closedAt || now.getTime() >= poll.closesAt.getTime()) return [reply(event, ctx.t('polls.error.closed', { number: poll.number }))];
  const member = ctx.member;
  if (!member || member.leftAt) return [reply(event, ctx.t('polls.error.memberLeft'))];
  if (member.isBot) return [];
  const label = (id: number) => `**${neutralizeMentions(poll.options.find((o) => o.id === id)?.label ?? '?')}**`;
  let text: string;
  if (poll.multi) {
    const result = await toggleMultiVote(ctx.tx, poll.id, option, member.id, now);
    const mine = await memberVotes(ctx.tx, poll.id, member.id);
    const key = result === 'added' ? 'polls.voteAdded' : 'polls.voteRemoved';
    text = `${ctx.t(key, { choice: label(option.id), number: poll.number })} ${mine.length ? ctx.t('polls.yourChoices', { choices: mine.map(label).join(', ') }) : ctx.t('polls.noChoicesLeft')}`;
  } else {
    const previous = await castSingleVote(ctx.tx, poll.id, option.id, member.id, now);
    if (previous === option.id) return [reply(event, ctx.t('polls.voteSame', { choice: label(option.id), number: poll.number }))];
    text =
      previous === null
        ? ctx.t('polls.voted', { choice: label(option.id), number: poll.number })
        : ctx.t('polls.voteChanged', { from: label(previous), choice: label(option.id), number: poll.number });
  }
  scheduleTally(ctx, poll);
  return [reply(event, text)];
}

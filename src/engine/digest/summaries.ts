import type { ActionDraft } from '../../contracts/index.js';
import type { JobContext } from '../capability.js';
import { busyConversations } from './conversations.js';

export const SUMMARIZE_JOB = 'summaries.summarize';

const clip = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return [...flat].length <= max ? flat : `${[...flat].slice(0, max - 1).join('')}…`;
};

/**
 * The summary job of /summarize: the busy conversations of a channel since a time, found and
 * ranked in SQL (see busyConversations). An overview goes to the channel, and each
 * conversation's summary (participants, key messages, open questions) into its own thread.
 */
export async function summarizeChannel(ctx: JobContext): Promise<ActionDraft[]> {
  const payload = ctx.job.payload as { channelId: number; since: string; until: string; requester: string };
  const config = ctx.config.digest.summaries;
  const channel = await ctx.tx.channel.findFirst({ where: { id: Number(payload.channelId), communityId: ctx.community.id } });
  if (!channel) return [];
  const since = new Date(payload.since);
  const sinceText = since.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const conversations = await busyConversations(ctx.tx, {
    communityId: ctx.community.id,
    channelId: channel.id,
    from: since,
    to: new Date(payload.until),
    minReplies: config.minReplies,
    limit: config.maxConversations,
    keyMessages: config.keyMessages,
  });
  if (!conversations.length) {
    return [{ type: 'message.send', member: payload.requester, message: { text: ctx.t('summaries.nothing', { channel: channel.name, since: sinceText, minReplies: config.minReplies }) } }];
  }
  const actions: ActionDraft[] = [
    {
      type: 'message.send',
      channel: channel.externalId,
      key: `summary:${ctx.job.id}`,
      message: {
        text: ctx.t('summaries.header', { channel: channel.name, since: sinceText, count: conversations.length }),
        fields: conversations.map((c, i) => ({ name: `${i + 1}. ${clip(c.text || c.keyMessages[0]?.text || c.root, 80)}`, value: `${c.replies} · ${c.participants.join(', ')}` })),
      },
    },
  ];
  for (const c of conversations) {
    const fields = [
      { name: ctx.t('summaries.participants'), value: c.participants.join(', ') },
      {
        name: ctx.t('summaries.keyMessages'),
        value: c.keyMessages.map((k) => `• ${ctx.t('summaries.keyLine', { author: k.author, text: clip(k.text, 160), replies: k.replies, reactions: k.reactions })}`).join('\n'),
      },
    ];
    if (c.openQuestions.length) fields.push({ name: ctx.t('summaries.openQuestions'), value: c.openQuestions.map((q) => `• ${q.asker}: “${clip(q.text, 160)}”`).join('\n') });
    actions.push({
      type: 'message.send',
      channel: c.channel,
      thread: c.root,
      message: {
        text: ctx.t('summaries.conversation', { text: clip(c.text || c.root, 80), starter: c.starter || '?', replies: c.replies, participants: c.participants.length }),
        fields,
      },
    });
  }
  return actions;
}

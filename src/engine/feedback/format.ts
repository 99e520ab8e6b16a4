import type { FeedbackStatus } from '../../generated/prisma/client.js';
import type { NeutralMessage } from '../../contracts/index.js';
import type { CommunityContext } from '../capability.js';
import { neutralizeMentions, truncate } from '../format/neutralize-mentions.js';
import { digest } from '../polls/ids.js';
import { OPEN_STATUSES, type FeedbackItem } from './store.js';

/** How members write a reference: `FB-12`. */
export const feedbackRef = (number: number): string => `FB-${number}`;

/** `FB-12`, `fb12`, `#12` or `12` → 12. */
export function parseFeedbackRef(raw: string | undefined): number | undefined {
  const match = /^\s*(?:fb-?|#)?(\d{1,9})\s*$/i.exec(raw ?? '');
  const number = match ? Number(match[1]) : NaN;
  return Number.isInteger(number) && number > 0 ? number : undefined;
}

/** What a team member types → the stored status. */
export function parseStatus(raw: string | undefined): FeedbackStatus | undefined {
  const text = (raw ?? '').trim().toLowerCase().replace(/[\s_]+/g, '-');
  const statuses: Record<string, FeedbackStatus> = {
    open: 'open',
    reopen: 'open',
    planned: 'planned',
    'in-progress': 'in_progress',
    inprogress: 'in_progress',
    progress: 'in_progress',
    done: 'done',
    declined: 'declined',
  };
  return statuses[text];
}

/** The message key of an item's card in its team's channel. */
export const feedbackMessageKey = (number: number): string => `feedback:${number}`;

/** A +1 button id: the item's number and a token derived from the item, which a member who cannot see it cannot guess. */
export const supportButtonId = (ctx: CommunityContext, item: { number: number; createdAt: Date; text: string }): string =>
  `feedback:+1:${item.number}:${supportToken(ctx, item)}`;

export const supportToken = (ctx: CommunityContext, item: { number: number; createdAt: Date; text: string }): string =>
  digest('feedback', ctx.community.platform, ctx.community.externalId, item.number, item.createdAt.toISOString(), item.text);

export function parseSupportButtonId(id: string): { number: number; token: string } | undefined {
  const match = /^feedback:\+1:(\d{1,9}):([0-9a-f]{12})$/.exec(id);
  return match ? { number: Number(match[1]), token: match[2]! } : undefined;
}

export const categoryLabel = (ctx: CommunityContext, category: string): string => {
  const label = ctx.t(`feedback.category.${category}`);
  return label === `feedback.category.${category}` ? category : label;
};

export const statusLabel = (ctx: CommunityContext, status: FeedbackStatus): string => ctx.t(`feedback.status.${status}`);

/** The item's card in its team's channel: who, what, its status and support, and the +1 button while it is open. */
export function feedbackCard(ctx: CommunityContext, item: FeedbackItem): NeutralMessage {
  const text = [
    ctx.t('feedback.cardHeader', {
      ref: feedbackRef(item.number),
      category: categoryLabel(ctx, item.category),
      author: item.author ? `<@${item.author.externalId}>` : ctx.t('feedback.unknownAuthor'),
    }),
    ...neutralizeMentions(item.text)
      .split('\n')
      .map((line) => `> ${line}`),
  ].join('\n');
  const fields = [
    { name: ctx.t('feedback.fieldStatus'), value: statusLabel(ctx, item.status) },
    { name: ctx.t('feedback.fieldSupport'), value: `+${item.supporters}` },
  ];
  if (item.statusNote) fields.push({ name: ctx.t('feedback.fieldNote'), value: neutralizeMentions(truncate(item.statusNote, 500)) });
  const message: NeutralMessage = { text, fields };
  if (OPEN_STATUSES.includes(item.status)) message.buttons = [{ id: supportButtonId(ctx, item), label: '+1', style: 'secondary' }];
  return message;
}

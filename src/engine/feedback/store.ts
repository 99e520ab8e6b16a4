import type { Feedback, FeedbackStatus, Member } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';

export type FeedbackItem = Feedback & { author: Member | null; supporters: number };

/** Statuses in which an item is still on the team's list (and can be supported). */
export const OPEN_STATUSES: FeedbackStatus[] = ['open', 'planned', 'in_progress'];

export async function nextFeedbackNumber(tx: Tx, communityId: number): Promise<number> {
  const { lastFeedbackNumber } = await tx.community.update({ where: { id: communityId }, data: { lastFeedbackNumber: { increment: 1 } }, select: { lastFeedbackNumber: true } });
  return lastFeedbackNumber;
}

export async function createFeedback(tx: Tx, data: { communityId: number; number: number; authorId: number | null; category: string; text: string; channelExternalId: string | null; createdAt: Date }): Promise<Feedback> {
  return tx.feedback.create({ data });
}

export async function findFeedback(tx: Tx, communityId: number, number: number): Promise<FeedbackItem | null> {
  const item = await tx.feedback.findUnique({ where: { communityId_number: { communityId, number } }, include: { author: true, _count: { select: { votes: true } } } });
  if (!item) return null;
  const { _count, ...rest } = item;
  return { ...rest, supporters: _count.votes };
}

/** A +1: false when the member had already given one (the unique key decides, even under concurrency). */
export async function addSupport(tx: Tx, feedbackId: number, memberId: number, at: Date): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "FeedbackVote" ("feedbackId", "memberId", "createdAt") VALUES (${feedbackId}, ${memberId}, ${at})
    ON CONFLICT ("feedbackId", "memberId") DO NOTHING`;
  return inserted === 1;
}

export async function changeStatus(tx: Tx, item: Feedback, status: FeedbackStatus, note: string | null, byId: number | null, at: Date): Promise<void> {
  await tx.feedback.update({ where: { id: item.id }, data: { status, statusNote: note, statusChangedAt: at } });
  await tx.feedbackStatusChange.create({ data: { feedbackId: item.id, status, note, byId, createdAt: at } });
}

/** The most supported items still open (open, planned, in progress), optionally of one category: one SQL query. */
export async function topFeedback(tx: Tx, communityId: number, category: string | null, limit: number): Promise<(Feedback & { supporters: number })[]> {
  const rows = await tx.$queryRaw<{ id: number; supporters: number }[]>`
    SELECT f."id", count(v."id")::int AS supporters
    FROM "Feedback" f LEFT JOIN "FeedbackVote" v ON v."feedbackId" = f."id"
    WHERE f."communityId" = ${communityId}
      AND f."status" IN ('open', 'planned', 'in_progress')
      AND (${category}::text IS NULL OR f."category" = ${category}::text)
    GROUP BY f."id"
    ORDER BY supporters DESC, f."number" ASC
    LIMIT ${limit}`;
  const items = await tx.feedback.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
  const byId = new Map(items.map((i) => [i.id, i]));
  return rows.map((r) => ({ ...byId.get(r.id)!, supporters: r.supporters }));
}

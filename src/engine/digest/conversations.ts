import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';

export interface BusyConversation {
  /** The platform id of the message that started it (the thread's parent, or the message replied to). */
  root: string;
  channel: string;
  channelName: string;
  starter: string;
  text: string;
  replies: number;
  participants: string[];
  keyMessages: { id: string; author: string; text: string; replies: number; reactions: number }[];
  openQuestions: { id: string; asker: string; text: string }[];
}

export interface ConversationQuery {
  communityId: number;
  from: Date;
  to: Date;
  /** Only this channel (Channel.id). */
  channelId?: number;
  minReplies: number;
  limit: number;
  keyMessages: number;
}

/**
 * The busiest conversations of a period, extractively: a conversation is a message and the
 * replies to it (in its thread or replying to it) by people, bots and deleted messages aside.
 * Ranked by replies in the period; each comes with its participants, its key messages (the
 * ones most replied to and reacted to) and its questions still without an answer. All in SQL.
 */
export async function busyConversations(db: PrismaClient | Tx, q: ConversationQuery): Promise<BusyConversation[]> {
  const channelFilter = q.channelId === undefined ? Prisma.empty : Prisma.sql`AND msg."channelId" = ${q.channelId}`;
  const rows = await db.$queryRaw<{ root: string; channel: string; channelName: string; starter: string | null; text: string | null; replies: number; participants: string[] }[]>`
    WITH replies AS (
      SELECT coalesce(msg."threadExternalId", msg."replyToExternalId") AS root, msg."channelId", msg."authorId", msg."sentAt"
      FROM "Message" msg JOIN "Member" a ON a."id" = msg."authorId"
      WHERE msg."communityId" = ${q.communityId} AND msg."sentAt" >= ${q.from} AND msg."sentAt" < ${q.to}
        AND msg."deletedAt" IS NULL AND NOT a."isBot" AND coalesce(msg."threadExternalId", msg."replyToExternalId") IS NOT NULL ${channelFilter}
    ),
    busy AS (
      SELECT r.root, min(r."channelId") AS "channelId", count(*)::int AS replies
      FROM replies r GROUP BY r.root HAVING count(*) >= ${q.minReplies}
      ORDER BY replies DESC, r.root LIMIT ${q.limit}
    )
    SELECT b.root, c."externalId" AS channel, c."name" AS "channelName", sa."name" AS starter, s."text", b.replies,
           (SELECT array_agg(p."name" ORDER BY p.first, p."name") FROM (
              SELECT m."name", min(x."sentAt") AS first FROM (
                SELECT r."authorId", r."sentAt" FROM replies r WHERE r.root = b.root
                UNION ALL SELECT s."authorId", s."sentAt" WHERE s."id" IS NOT NULL
              ) x JOIN "Member" m ON m."id" = x."authorId" GROUP BY m."id", m."name") p) AS participants
    FROM busy b
    JOIN "Channel" c ON c."id" = b."channelId"
    LEFT JOIN "Message" s ON s."communityId" = ${q.communityId} AND s."externalId" = b.root AND s."deletedAt" IS NULL
    LEFT JOIN "Member" sa ON sa."id" = s."authorId"
    ORDER BY b.replies DESC, b.root`;
  if (!rows.length) return [];
  const roots = rows.map((r) => r.root);
  // Replies to each message are counted in one pass over the community's messages (a subquery per
  // message would scan them once per message: there is no index on replyToExternalId).
  const keys = await db.$queryRaw<{ root: string; id: string; author: string; text: string; replies: number; reactions: number }[]>`
    WITH members AS (
      SELECT coalesce(msg."threadExternalId", msg."replyToExternalId", msg."externalId") AS root, msg."externalId" AS id, msg."authorId", msg."text"
      FROM "Message" msg JOIN "Member" a ON a."id" = msg."authorId"
      WHERE msg."communityId" = ${q.communityId} AND msg."deletedAt" IS NULL AND NOT a."isBot"
        AND coalesce(msg."threadExternalId", msg."replyToExternalId", msg."externalId") = ANY(${roots}::text[])
        AND msg."sentAt" < ${q.to}
    ),
    replied AS (
      SELECT r."replyToExternalId" AS id, count(*)::int AS n FROM "Message" r
      WHERE r."communityId" = ${q.communityId} AND r."deletedAt" IS NULL AND r."replyToExternalId" IN (SELECT id FROM members)
      GROUP BY r."replyToExternalId"
    ),
    scored AS (
      SELECT x.root, x.id, m."name" AS author, x."text", coalesce(rp.n, 0) AS replies,
             (SELECT count(*) FROM "Reaction" re WHERE re."communityId" = ${q.communityId} AND re."messageExternalId" = x.id AND re."memberId" <> x."authorId")::int AS reactions
      FROM members x JOIN "Member" m ON m."id" = x."authorId" LEFT JOIN replied rp ON rp.id = x.id
    ),
    ranked AS (
      SELECT s.*, row_number() OVER (PARTITION BY s.root ORDER BY s.replies + s.reactions DESC, length(s."text") DESC, s.id) AS n FROM scored s
    )
    SELECT root, id, author, "text", replies, reactions FROM ranked WHERE n <= ${q.keyMessages} ORDER BY root, n`;
  const open = await db.$queryRaw<{ root: string; id: string; asker: string; text: string }[]>`
    SELECT coalesce(qu."threadExternalId", qu."messageExternalId") AS root, qu."messageExternalId" AS id, m."name" AS asker, qu."text"
    FROM "Question" qu JOIN "Member" m ON m."id" = qu."askerId"
    WHERE qu."communityId" = ${q.communityId} AND qu."firstAnswerAt" IS NULL AND qu."status" IN ('open', 'escalated')
      AND qu."askedAt" < ${q.to} AND (qu."messageExternalId" = ANY(${roots}::text[]) OR qu."threadExternalId" = ANY(${roots}::text[]))
    ORDER BY qu."askedAt", qu."id"`;
  return rows.map((r) => ({
    root: r.root,
    channel: r.channel,
    channelName: r.channelName,
    starter: r.starter ?? '',
    text: r.text ?? '',
    replies: r.replies,
    participants: r.participants ?? [],
    keyMessages: keys.filter((k) => k.root === r.root).map(({ root: _root, ...k }) => k),
    openQuestions: open.filter((o) => o.root === r.root).map(({ root: _root, ...o }) => o),
  }));
}

import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';

export interface FeedbackSummary {
  total: number;
  byCategory: { category: string; count: number }[];
  byStatus: { status: string; count: number }[];
  /** Words that recur across items (in at least two), most frequent first: the themes of the period. */
  themes: { term: string; items: number }[];
}

/** Words too common in English or Indonesian feedback to be a theme (the digest's trending topics use them too). */
export const STOPWORDS = [
  'the', 'and', 'for', 'that', 'this', 'with', 'have', 'from', 'would', 'could', 'should', 'there', 'their', 'what', 'when', 'which', 'will', 'your',
  'about', 'into', 'more', 'some', 'than', 'then', 'them', 'they', 'very', 'really', 'just', 'like', 'also', 'please', 'thanks', 'thank', 'been', 'does',
  'dont', 'cant', 'make', 'much', 'many', 'only', 'other', 'where', 'while', 'after', 'before', 'because', 'being', 'every', 'here', 'still',
  'yang', 'untuk', 'dengan', 'tidak', 'bisa', 'juga', 'dari', 'pada', 'akan', 'sudah', 'saya', 'kami', 'kita', 'anda', 'mereka', 'lebih', 'sangat',
  'karena', 'adalah', 'atau', 'tapi', 'tetapi', 'kalau', 'jika', 'agar', 'supaya', 'sama', 'masih', 'belum', 'harus', 'tolong', 'mohon', 'terima', 'kasih',
];

/**
 * New feedback of a community in [from, to), for the daily digest: counts by category and
 * status, and the recurring themes (words of four letters or more that appear in two items
 * or more, stop words aside), all computed in SQL.
 */
export async function feedbackSummary(db: PrismaClient | Tx, communityId: number, from: Date, to: Date, themeLimit = 10): Promise<FeedbackSummary> {
  const byCategory = await db.$queryRaw<{ category: string; count: number }[]>`
    SELECT "category", count(*)::int AS count FROM "Feedback"
    WHERE "communityId" = ${communityId} AND "createdAt" >= ${from} AND "createdAt" < ${to}
    GROUP BY "category" ORDER BY count DESC, "category"`;
  const byStatus = await db.$queryRaw<{ status: string; count: number }[]>`
    SELECT "status"::text AS status, count(*)::int AS count FROM "Feedback"
    WHERE "communityId" = ${communityId} AND "createdAt" >= ${from} AND "createdAt" < ${to}
    GROUP BY "status" ORDER BY count DESC, status`;
  const themes = await db.$queryRaw<{ term: string; items: number }[]>`
    SELECT w.term, count(DISTINCT f."id")::int AS items
    FROM "Feedback" f, LATERAL regexp_split_to_table(lower(f."text"), '[^[:alnum:]]+') AS w(term)
    WHERE f."communityId" = ${communityId} AND f."createdAt" >= ${from} AND f."createdAt" < ${to}
      AND length(w.term) >= 4 AND w.term !~ '^[0-9]+$' AND NOT (w.term = ANY(${STOPWORDS}::text[]))
    GROUP BY w.term HAVING count(DISTINCT f."id") >= 2
    ORDER BY items DESC, w.term LIMIT ${themeLimit}`;
  return { total: byCategory.reduce((sum, c) => sum + c.count, 0), byCategory, byStatus, themes };
}

import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';

export interface QuestionStats {
  asked: number;
  answered: number;
  /** answered / asked, or null when nothing was asked. */
  answeredRate: number | null;
  /** Median seconds from question to first answer, of those answered. */
  medianSecondsToFirstAnswer: number | null;
  escalationsByTeam: { team: string; level: number; count: number }[];
  topHelpers: { memberId: string; name: string; answers: number; accepted: number }[];
}

/** The questions figures of one community over [from, to), for the daily digest. All in SQL. */
export async function questionStats(db: PrismaClient | Tx, communityId: number, from: Date, to: Date): Promise<QuestionStats> {
  const [totals] = await db.$queryRaw<{ asked: bigint; answered: bigint; median: number | null }[]>`
    SELECT count(*) AS asked,
           count("firstAnswerAt") AS answered,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "firstAnswerAt" - "askedAt")) AS median
    FROM "Question"
    WHERE "communityId" = ${communityId} AND "askedAt" >= ${from} AND "askedAt" < ${to}`;
  const escalations = await db.$queryRaw<{ team: string; level: number; count: bigint }[]>`
    SELECT e."team", e."level", count(*) AS count
    FROM "QuestionEscalation" e JOIN "Question" q ON q."id" = e."questionId"
    WHERE q."communityId" = ${communityId} AND e."at" >= ${from} AND e."at" < ${to}
    GROUP BY e."team", e."level" ORDER BY e."team", e."level"`;
  const helpers = await db.$queryRaw<{ memberId: string; name: string; answers: bigint; accepted: bigint }[]>`
    SELECT m."externalId" AS "memberId", m."name",
           count(*) FILTER (WHERE q."answeredById" = m."id") AS answers,
           count(*) FILTER (WHERE q."acceptedAnswerById" = m."id") AS accepted
    FROM "Question" q JOIN "Member" m ON m."id" IN (q."answeredById", q."acceptedAnswerById")
    WHERE q."communityId" = ${communityId} AND coalesce(q."firstAnswerAt", q."resolvedAt") >= ${from} AND coalesce(q."firstAnswerAt", q."resolvedAt") < ${to}
    GROUP BY m."id" ORDER BY accepted DESC, answers DESC, m."id" LIMIT 5`;
  const asked = Number(totals?.asked ?? 0);
  const answered = Number(totals?.answered ?? 0);
  return {
    asked,
    answered,
    answeredRate: asked ? answered / asked : null,
    medianSecondsToFirstAnswer: totals?.median === null || totals?.median === undefined ? null : Number(totals.median),
    escalationsByTeam: escalations.map((e) => ({ team: e.team, level: Number(e.level), count: Number(e.count) })),
    topHelpers: helpers.map((h) => ({ memberId: h.memberId, name: h.name, answers: Number(h.answers), accepted: Number(h.accepted) })),
  };
}

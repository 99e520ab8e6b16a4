import { Prisma } from '../../generated/prisma/client.js';
import { parseDuration } from '../../core/duration.js';
import type { Tx } from '../capability.js';
import type { EngagementConfig, Weights } from './config.js';

export const SCORE_KINDS = ['conversationStarted', 'reply', 'distinctMember', 'answerAccepted', 'reactionReceived', 'activeDay', 'sessionMinute'] as const satisfies readonly (keyof Weights)[];
export type ScoreKind = (typeof SCORE_KINDS)[number];

export interface ScorePart {
  kind: ScoreKind;
  /** How many contributions of this kind (minutes for sessions). */
  count: number;
  /** Their points: weight × count, each contribution decayed by its age. */
  points: number;
}

export interface MemberScore {
  /** Member.id in the community the score was asked for. */
  memberId: number;
  score: number;
  parts: ScorePart[];
}

export interface ScoreQuery {
  communityId: number;
  now: Date;
  /** Only contributions at or after this time. */
  since?: Date;
  /** Apply the configured half-life (the member's standing); false: plain sums (a leaderboard window). */
  decay: boolean;
  /** Only these members (Member.id of this community); default every member present. */
  memberIds?: number[];
  timeZone: string;
}

/**
 * The involvement score of the members of one community, computed in one SQL statement
 * (DESIGN §2). Every counted contribution is a row (subject, kind, time, quantity):
 * replies to other members, conversations started (own messages someone else replied to),
 * distinct members talked with, accepted answers, reactions from others (one per reactor and
 * message), active days in the community's time zone and activity-session minutes. Messages by
 * bots, messages automod or moderators deleted, and replies to oneself are not counted. A
 * member's contributions include those of every account linked to the same Person.
 * Weighting and decay happen in SQL too; the rows that come back are (member, kind) parts.
 *
 * With `top`, only the members who can be among the `top` best come back (see TOP_MARGIN): the
 * others' parts are not sent to Node (on 50,000 members, reading the tens of thousands of rows
 * that ranking() then dropped took a third of the query's time).
 */
export async function scoreParts(tx: Tx, config: EngagementConfig, query: ScoreQuery, top?: number): Promise<MemberScore[]> {
  const { weights } = config.score;
  const since = query.since ?? new Date(0);
  const halfLifeMs = query.decay && config.score.halfLife ? parseDuration(config.score.halfLife)! : 0;
  const gapSeconds = parseDuration(config.score.sessionGap)! / 1000;
  const subjectFilter = query.memberIds ? (query.memberIds.length ? Prisma.sql`AND m."id" IN (${Prisma.join(query.memberIds)})` : Prisma.sql`AND false`) : Prisma.empty;
  const weightRows = Prisma.join(SCORE_KINDS.map((kind) => Prisma.sql`(${kind}, ${weights[kind]}::float8)`));
  const rows = await tx.$queryRaw<{ subject_id: number; kind: ScoreKind; n: number; points: number }[]>`
    WITH subjects AS (
      SELECT m."id" AS subject_id, m."personId" AS person_id
      FROM "Member" m
      WHERE m."communityId" = ${query.communityId} AND NOT m."isBot" AND m."leftAt" IS NULL ${subjectFilter}
    ),
    owners AS (
      SELECT s.subject_id, s.subject_id AS member_id FROM subjects s
      UNION
      SELECT s.subject_id, o."id" FROM subjects s JOIN "Member" o ON o."personId" = s.person_id AND o."id" <> s.subject_id
    ),
    counted AS (
      SELECT msg."id", msg."authorId", msg."sentAt", p."id" AS parent_id, p."authorId" AS parent_author, pa."isBot" AS parent_bot
      FROM "Message" msg
      JOIN "Member" a ON a."id" = msg."authorId"
      LEFT JOIN "Message" p ON p."communityId" = msg."communityId" AND p."deletedAt" IS NULL
        AND p."externalId" = coalesce(msg."replyToExternalId", msg."threadExternalId")
      LEFT JOIN "Member" pa ON pa."id" = p."authorId"
      WHERE msg."communityId" = ${query.communityId} AND msg."deletedAt" IS NULL AND NOT a."isBot"
        AND msg."sentAt" >= ${since} AND msg."sentAt" <= ${query.now}
        AND (p."authorId" IS NULL OR p."authorId" <> msg."authorId")
    ),
    replies AS (
      SELECT c."id", c."authorId" AS replier, c.parent_author, c.parent_id, c."sentAt" AS at
      FROM counted c
      WHERE c.parent_author IS NOT NULL AND NOT c.parent_bot
    ),
    own AS (
      SELECT o.subject_id, c."sentAt" AS at FROM counted c JOIN owners o ON o.member_id = c."authorId"
    ),
    sessions AS (
      SELECT subject_id, at, sum(starts) OVER (PARTITION BY subject_id ORDER BY at) AS session
      FROM (
        SELECT subject_id, at,
               CASE WHEN extract(epoch FROM at - lag(at) OVER (PARTITION BY subject_id ORDER BY at)) <= ${gapSeconds}::float8 THEN 0 ELSE 1 END AS starts
        FROM own
      ) marked
    ),
    contributions AS (
      SELECT o.subject_id, 'reply' AS kind, r.at, 1::float8 AS qty FROM replies r JOIN owners o ON o.member_id = r.replier
      UNION ALL
      SELECT o.subject_id, 'conversationStarted', min(r.at), 1 FROM replies r JOIN owners o ON o.member_id = r.parent_author GROUP BY o.subject_id, r.parent_id
      UNION ALL
      SELECT subject_id, 'distinctMember', min(at), 1 FROM (
        SELECT o.subject_id, r.parent_author AS other, r.at FROM replies r JOIN owners o ON o.member_id = r.replier
        UNION ALL
        SELECT o.subject_id, r.replier AS other, r.at FROM replies r JOIN owners o ON o.member_id = r.parent_author
      ) talked GROUP BY subject_id, other
      UNION ALL
      SELECT o.subject_id, 'answerAccepted', coalesce(q."resolvedAt", q."askedAt"), 1
      FROM "Question" q JOIN owners o ON o.member_id = q."acceptedAnswerById"
      WHERE q."acceptedAnswerById" <> q."askerId"
        AND coalesce(q."resolvedAt", q."askedAt") >= ${since} AND coalesce(q."resolvedAt", q."askedAt") <= ${query.now}
      UNION ALL
      SELECT o.subject_id, 'reactionReceived', min(x."at"), 1
      FROM "Reaction" x
      JOIN "Message" msg ON msg."communityId" = x."communityId" AND msg."externalId" = x."messageExternalId" AND msg."deletedAt" IS NULL
      JOIN owners o ON o.member_id = msg."authorId"
      JOIN "Member" rm ON rm."id" = x."memberId"
      WHERE x."memberId" <> msg."authorId" AND NOT rm."isBot" AND x."at" >= ${since} AND x."at" <= ${query.now}
      GROUP BY o.subject_id, x."memberId", msg."id"
      UNION ALL
      SELECT subject_id, 'activeDay', min(at), 1 FROM own GROUP BY subject_id, (at AT TIME ZONE 'UTC' AT TIME ZONE ${query.timeZone})::date
      UNION ALL
      SELECT subject_id, 'sessionMinute', min(at),
             least(${config.score.maxSessionMinutes}::float8, greatest(1, extract(epoch FROM max(at) - min(at)) / 60))
      FROM sessions GROUP BY subject_id, session
    ),
    parts AS (
      SELECT c.subject_id, c.kind, sum(c.qty)::float8 AS n,
             (w.weight * sum(c.qty * CASE WHEN ${halfLifeMs}::float8 = 0 THEN 1
                                          ELSE power(0.5, extract(epoch FROM ${query.now}::timestamp - c.at) * 1000 / ${halfLifeMs}::float8) END))::float8 AS points
      FROM contributions c JOIN (VALUES ${weightRows}) AS w(kind, weight) ON w.kind = c.kind
      GROUP BY c.subject_id, c.kind, w.weight
    )${top === undefined ? Prisma.empty : Prisma.sql`,
    totals AS (SELECT subject_id, sum(points) AS total FROM parts GROUP BY subject_id)`}
    SELECT subject_id, kind, n, points FROM parts
    ${top === undefined ? Prisma.empty : Prisma.sql`WHERE subject_id IN (
      SELECT subject_id FROM totals
      WHERE total >= coalesce((SELECT total FROM totals ORDER BY total DESC OFFSET ${top - 1} LIMIT 1), '-Infinity'::float8) - ${TOP_MARGIN}::float8
    )`}
    ORDER BY subject_id, kind`;
  const byMember = new Map<number, MemberScore>();
  for (const row of rows) {
    const entry = byMember.get(row.subject_id) ?? { memberId: row.subject_id, score: 0, parts: [] };
    entry.parts.push({ kind: row.kind, count: round(Number(row.n)), points: round(Number(row.points)) });
    entry.score = round(entry.score + Number(row.points));
    byMember.set(row.subject_id, entry);
  }
  for (const entry of byMember.values()) entry.parts.sort((a, b) => b.points - a.points || SCORE_KINDS.indexOf(a.kind) - SCORE_KINDS.indexOf(b.kind));
  return [...byMember.values()];
}

/** One member's score (zero with no parts when nothing counted). */
export async function memberScore(tx: Tx, config: EngagementConfig, query: Omit<ScoreQuery, 'memberIds'> & { memberId: number }): Promise<MemberScore> {
  const [score] = await scoreParts(tx, config, { ...query, memberIds: [query.memberId] });
  return score ?? { memberId: query.memberId, score: 0, parts: [] };
}

/** Members by score, best first (ties: lower id first), at most `limit`. */
export async function ranking(tx: Tx, config: EngagementConfig, query: ScoreQuery, limit?: number): Promise<MemberScore[]> {
  const all = await scoreParts(tx, config, query, limit === undefined || limit < 1 ? undefined : limit);
  all.sort((a, b) => b.score - a.score || a.memberId - b.memberId);
  return limit === undefined ? all : all.slice(0, limit);
}

const round = (n: number): number => Math.round(n * 100) / 100;

/**
 * A member's score is its parts' points added one by one, each running total rounded to 0.01
 * (round, above): at most 7 roundings of at most 0.005, so it is within 0.035 of the exact sum SQL
 * computes. A member whose exact sum is more than 0.07 below the `top`-th best exact sum therefore
 * scores strictly less than `top` other members, and cannot be among the best: scoreParts(…, top)
 * leaves out only those (with room to spare).
 */
const TOP_MARGIN = 0.1;

/** The tier a score earns: the highest whose threshold it reaches. */
export function tierFor(score: number, ladder: EngagementConfig['tiers']['ladder']): EngagementConfig['tiers']['ladder'][number] {
  let tier = ladder[0]!;
  for (const candidate of ladder) if (score >= candidate.threshold) tier = candidate;
  return tier;
}

import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';

export interface PollResult {
  number: number;
  question: string;
  channel: string;
  closedAt: Date;
  voters: number;
  options: { label: string; votes: number }[];
}

/**
 * Polls of a community that closed in [from, to) with their results, for the daily digest:
 * one SQL query (votes counted in the database), oldest first.
 */
export async function pollResultsBetween(db: PrismaClient | Tx, communityId: number, from: Date, to: Date): Promise<PollResult[]> {
  const rows = await db.$queryRaw<{ number: number; question: string; channel: string; closedAt: Date; voters: number; label: string; votes: number }[]>`
    SELECT p."number", p."question", p."channelExternalId" AS channel, p."closedAt",
           (SELECT count(DISTINCT v2."memberId")::int FROM "PollVote" v2 WHERE v2."pollId" = p."id") AS voters,
           o."label", count(v."id")::int AS votes
    FROM "Poll" p
    JOIN "PollOption" o ON o."pollId" = p."id"
    LEFT JOIN "PollVote" v ON v."optionId" = o."id"
    WHERE p."communityId" = ${communityId} AND p."closedAt" >= ${from} AND p."closedAt" < ${to}
    GROUP BY p."id", o."id"
    ORDER BY p."closedAt", p."number", o."position"`;
  const polls = new Map<number, PollResult>();
  for (const row of rows) {
    let poll = polls.get(row.number);
    if (!poll) {
      poll = { number: row.number, question: row.question, channel: row.channel, closedAt: row.closedAt, voters: row.voters, options: [] };
      polls.set(row.number, poll);
    }
    poll.options.push({ label: row.label, votes: row.votes });
  }
  return [...polls.values()];
}

/** The polls that closed on one day (a day in the community's time zone is [from, from + 24 h)). */
export function pollResultsForDay(db: PrismaClient | Tx, communityId: number, dayStart: Date): Promise<PollResult[]> {
  return pollResultsBetween(db, communityId, dayStart, new Date(dayStart.getTime() + 24 * 60 * 60 * 1000));
}

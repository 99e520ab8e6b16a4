import type { Poll, PollOption } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';

export type PollWithOptions = Poll & { options: PollOption[] };

export interface Tally {
  /** Votes per option, in option order. */
  counts: { option: PollOption; votes: number }[];
  /** Members who voted at all (in a multiple-choice poll, fewer than the votes). */
  voters: number;
}

/** The community's next poll number, taken in the poll's transaction. */
export async function nextPollNumber(tx: Tx, communityId: number): Promise<number> {
  const { lastPollNumber } = await tx.community.update({ where: { id: communityId }, data: { lastPollNumber: { increment: 1 } }, select: { lastPollNumber: true } });
  return lastPollNumber;
}

export async function createPoll(
  tx: Tx,
  data: Omit<Poll, 'id' | 'closedAt' | 'closedById'> & { choices: string[] },
): Promise<PollWithOptions> {
  const { choices, ...poll } = data;
  return tx.poll.create({
    data: { ...poll, options: { create: choices.map((label, i) => ({ position: i + 1, label })) } },
    include: { options: { orderBy: { position: 'asc' } } },
  });
}

export async function findPollByNumber(tx: Tx, communityId: number, number: number): Promise<PollWithOptions | null> {
  return tx.poll.findUnique({ where: { communityId_number: { communityId, number } }, include: { options: { orderBy: { position: 'asc' } } } });
}

export async function findPollById(tx: Tx, communityId: number, id: number): Promise<PollWithOptions | null> {
  return tx.poll.findFirst({ where: { id, communityId }, include: { options: { orderBy: { position: 'asc' } } } });
}

export async function tallyPoll(tx: Tx, poll: PollWithOptions): Promise<Tally> {
  const rows = await tx.pollVote.groupBy({ by: ['optionId'], where: { pollId: poll.id }, _count: { _all: true } });
  const byOption = new Map(rows.map((r) => [r.optionId, r._count._all]));
  const [{ voters }] = await tx.$queryRaw<[{ voters: number }]>`SELECT count(DISTINCT "memberId")::int AS voters FROM "PollVote" WHERE "pollId" = ${poll.id}`;
  return { counts: poll.options.map((option) => ({ option, votes: byOption.get(option.id) ?? 0 })), voters };
}

/** Names of who voted for each option (open polls only), in voting order. */
export async function votersByOption(tx: Tx, pollId: number): Promise<Map<number, string[]>> {
  const votes = await tx.pollVote.findMany({ where: { pollId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { optionId: true, member: { select: { name: true } } } });
  const map = new Map<number, string[]>();
  for (const vote of votes) map.set(vote.optionId, [...(map.get(vote.optionId) ?? []), vote.member.name]);
  return map;
}

/** The options a member voted for in a poll. */
export async function memberVotes(tx: Tx, pollId: number, memberId: number): Promise<number[]> {
  const votes = await tx.pollVote.findMany({ where: { pollId, memberId }, select: { optionId: true }, orderBy: { slot: 'asc' } });
  return votes.map((v) => v.optionId);
}

/**
 * A single-choice vote: one row per member and poll (slot 0), inserted or moved to the new
 * option in one statement, so concurrent clicks (even from several processes) leave one vote.
 * Returns the option voted for before, or null.
 */
export async function castSingleVote(tx: Tx, pollId: number, optionId: number, memberId: number, at: Date): Promise<number | null> {
  const [row] = await tx.$queryRaw<[{ previous: number | null }]>`
    WITH previous AS (SELECT "optionId" FROM "PollVote" WHERE "pollId" = ${pollId} AND "memberId" = ${memberId} AND "slot" = 0)
    INSERT INTO "PollVote" ("pollId", "optionId", "memberId", "slot", "createdAt", "updatedAt")
    VALUES (${pollId}, ${optionId}, ${memberId}, 0, ${at}, ${at})
    ON CONFLICT ("pollId", "memberId", "slot") DO UPDATE SET "optionId" = EXCLUDED."optionId", "updatedAt" = EXCLUDED."updatedAt"
    RETURNING (SELECT "optionId" FROM previous) AS previous`;
  return row.previous;
}

/** A multiple-choice click: adds the option to the member's votes, or takes it back if it was there. */
export async function toggleMultiVote(tx: Tx, pollId: number, option: PollOption, memberId: number, at: Date): Promise<'added' | 'removed'> {
  const removed = await tx.pollVote.deleteMany({ where: { pollId, optionId: option.id, memberId } });
  if (removed.count > 0) return 'removed';
  await tx.$executeRaw`
    INSERT INTO "PollVote" ("pollId", "optionId", "memberId", "slot", "createdAt", "updatedAt")
    VALUES (${pollId}, ${option.id}, ${memberId}, ${option.position}, ${at}, ${at})
    ON CONFLICT DO NOTHING`;
  return 'added';
}

/** Marks a poll closed; false when it already was (so its results are posted once). */
export async function markClosed(tx: Tx, pollId: number, at: Date, byId: number | null): Promise<boolean> {
  const { count } = await tx.poll.updateMany({ where: { id: pollId, closedAt: null }, data: { closedAt: at, closedById: byId } });
  return count === 1;
}

export async function openPolls(tx: Tx, communityId: number): Promise<{ id: number; closesAt: Date }[]> {
  return tx.poll.findMany({ where: { communityId, closedAt: null }, select: { id: true, closesAt: true }, orderBy: { id: 'asc' } });
}

/** Keeps rendered bytes (a chart) for the adapter to upload; actions carry only the id. */
export async function storeImage(tx: Tx, data: { communityId: number; name: string; contentType: string; bytes: Buffer; createdAt: Date }): Promise<number> {
  const row = await tx.storedImage.create({ data: { ...data, bytes: new Uint8Array(data.bytes) }, select: { id: true } });
  return row.id;
}

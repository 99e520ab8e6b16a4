import type { Member, ModerationCase, CaseKind } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';

export type { ModerationCase, CaseKind };

export interface NewCase {
  communityId: number;
  /** The member the case is about; none for a /purge of everyone's messages. */
  target: Member | null;
  moderator: Member | null;
  kind: CaseKind;
  rules?: string[];
  reason: string;
  points: number;
  durationSeconds?: number;
  evidence?: { messageId: string; channelId: string; text: string };
  /** The channel a case is about when it has no evidence message (a /purge). */
  channelId?: string;
  /** Messages deleted by a /purge. */
  affectedMessages?: number;
  escalatedFrom?: ModerationCase;
  at: Date;
}

/** Cases that count as infractions for bursts: not sanctions the ladder applied, not reversals. */
const INFRACTION_KINDS: CaseKind[] = ['warn', 'automod', 'timeout', 'kick', 'ban'];

/**
 * Opens the next numbered case of the community. The number comes from a counter on the
 * community row, incremented inside the event's transaction, so two processes never share one.
 */
export async function openCase(tx: Tx, input: NewCase): Promise<ModerationCase> {
  const { lastCaseNumber } = await tx.community.update({
    where: { id: input.communityId },
    data: { lastCaseNumber: { increment: 1 } },
    select: { lastCaseNumber: true },
  });
  return tx.moderationCase.create({
    data: {
      communityId: input.communityId,
      number: lastCaseNumber,
      memberId: input.target?.id ?? null,
      moderatorId: input.moderator?.id ?? null,
      kind: input.kind,
      rules: input.rules ?? [],
      reason: input.reason,
      points: input.points,
      durationSeconds: input.durationSeconds ?? null,
      evidenceMessageId: input.evidence?.messageId ?? null,
      evidenceChannelId: input.evidence?.channelId ?? input.channelId ?? null,
      evidenceText: input.evidence?.text ?? null,
      escalatedFromId: input.escalatedFrom?.id ?? null,
      affectedMessages: input.affectedMessages ?? null,
      createdAt: input.at,
    },
  });
}

/**
 * The cases that count for a member: theirs, and those of every account linked to the same
 * Person (`/link`), so that switching platforms does not reset the ladder.
 */
function casesOf(member: Member) {
  return member.personId === null ? { memberId: member.id } : { member: { personId: member.personId } };
}

/** The member's points (across linked accounts) from cases opened after `since` and not pardoned. */
export async function activePoints(tx: Tx, member: Member, since: Date): Promise<number> {
  const { _sum } = await tx.moderationCase.aggregate({
    where: { ...casesOf(member), pardonedAt: null, createdAt: { gt: since } },
    _sum: { points: true },
  });
  return _sum.points ?? 0;
}

/** How many infractions (not ladder sanctions) the member (across linked accounts) has had after `since`, not pardoned. */
export async function recentInfractions(tx: Tx, member: Member, since: Date): Promise<number> {
  return tx.moderationCase.count({
    where: { ...casesOf(member), pardonedAt: null, escalatedFromId: null, kind: { in: INFRACTION_KINDS }, createdAt: { gt: since } },
  });
}

export type CaseWithPeople = ModerationCase & { member: Member | null; moderator: Member | null };

export async function findCase(tx: Tx, communityId: number, number: number): Promise<CaseWithPeople | null> {
  return tx.moderationCase.findUnique({
    where: { communityId_number: { communityId, number } },
    include: { member: true, moderator: true },
  });
}

/** Newest first; of one member, or of the whole community. */
export async function listCases(tx: Tx, communityId: number, options: { memberId?: number; limit: number }): Promise<CaseWithPeople[]> {
  return tx.moderationCase.findMany({
    where: { communityId, ...(options.memberId !== undefined && { memberId: options.memberId }) },
    orderBy: { number: 'desc' },
    take: options.limit,
    include: { member: true, moderator: true },
  });
}

/** Community-wide: members with active points, most first (the "who was warned" list). */
export async function membersWithPoints(tx: Tx, communityId: number, since: Date, limit: number): Promise<{ member: Member; points: number; cases: number }[]> {
  const rows = await tx.moderationCase.groupBy({
    by: ['memberId'],
    where: { communityId, memberId: { not: null }, pardonedAt: null, createdAt: { gt: since } },
    _sum: { points: true },
    _count: { _all: true },
    orderBy: [{ _sum: { points: 'desc' } }, { memberId: 'asc' }],
    take: limit,
  });
  const members = await tx.member.findMany({ where: { id: { in: rows.flatMap((r) => (r.memberId === null ? [] : [r.memberId])) } } });
  const byId = new Map(members.map((m) => [m.id, m]));
  return rows.flatMap((r) => {
    const member = r.memberId === null ? undefined : byId.get(r.memberId);
    return member ? [{ member, points: r._sum.points ?? 0, cases: r._count._all }] : [];
  });
}

export async function pardonCase(tx: Tx, caseId: number, by: Member, reason: string, at: Date): Promise<ModerationCase> {
  return tx.moderationCase.update({ where: { id: caseId }, data: { pardonedAt: at, pardonedById: by.id, pardonReason: reason } });
}

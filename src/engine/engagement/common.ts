import { createHash } from 'node:crypto';
import type { ActionDraft } from '../../contracts/index.js';
import type { EngagementProfile, Member } from '../../generated/prisma/client.js';
import type { CommunityContext, Tx } from '../capability.js';
import { memberReference } from '../command-args.js';

/** A short hex digest of its parts: derived ids (button nonces, link codes) that replay reproduces. */
export const digest = (...parts: (string | number)[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex');

export const ephemeral = (member: string, text: string): ActionDraft => ({ type: 'reply.ephemeral', member, message: { text } });

export const mention = (member: Pick<Member, 'externalId'>): string => `<@${member.externalId}>`;

/** A member of the community by id, `<@id>` or name (case-insensitive). */
export async function findMember(ctx: CommunityContext, raw: string): Promise<Member | null> {
  const ref = memberReference(raw);
  const communityId = ctx.community.id;
  return (
    (await ctx.tx.member.findUnique({ where: { communityId_externalId: { communityId, externalId: ref } } })) ??
    (await ctx.tx.member.findFirst({ where: { communityId, name: { equals: ref, mode: 'insensitive' } }, orderBy: { id: 'asc' } }))
  );
}

export async function profileOf(tx: Tx, memberId: number): Promise<EngagementProfile> {
  return tx.engagementProfile.upsert({ where: { memberId }, create: { memberId, interests: [] }, update: {} });
}

/** The member's own id and those of every account linked to the same Person. */
export async function linkedMemberIds(tx: Tx, member: Pick<Member, 'id' | 'personId'>): Promise<number[]> {
  if (member.personId === null) return [member.id];
  const linked = await tx.member.findMany({ where: { personId: member.personId }, select: { id: true }, orderBy: { id: 'asc' } });
  return linked.map((m) => m.id);
}

/** `2026-11-30` in the community's time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

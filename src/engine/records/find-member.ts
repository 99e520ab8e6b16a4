import type { Member } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';
import { memberReference } from '../command-args.js';

/** A member named in a command: by platform id (`123`, `<@123>`) or, failing that, by name. */
export async function findMemberByReference(tx: Tx, communityId: number, raw: string): Promise<Member | null> {
  const ref = memberReference(raw);
  return (
    (await tx.member.findUnique({ where: { communityId_externalId: { communityId, externalId: ref } } })) ??
    (await tx.member.findFirst({ where: { communityId, name: { equals: ref, mode: 'insensitive' } }, orderBy: { id: 'asc' } }))
  );
}

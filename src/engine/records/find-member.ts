import type { Member } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';
import { memberReference } from '../command-args.js';

/**
 * Prisma runs a case-insensitive `equals` as ILIKE, where `%` and `_` are wildcards and a
 * trailing `\` is an error: escaped, so `/warn %` names nobody rather than the first member.
 */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A member named in a command: by platform id (`123`, `<@123>`) or, failing that, by name. */
export async function findMemberByReference(tx: Tx, communityId: number, raw: string): Promise<Member | null> {
  const ref = memberReference(raw);
  if (!ref) return null;
  return (
    (await tx.member.findUnique({ where: { communityId_externalId: { communityId, externalId: ref } } })) ??
    (await tx.member.findFirst({ where: { communityId, name: { equals: likeLiteral(ref), mode: 'insensitive' } }, orderBy: { id: 'asc' } }))
  );
}

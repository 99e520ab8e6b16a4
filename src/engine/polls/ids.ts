import { createHash } from 'node:crypto';

/**
 * Button ids. A poll's buttons carry its database id, the choice's position and the poll's
 * nonce; a +1 button carries the item's number and a token derived from the item. Ids that do
 * not parse, or name a poll or item of another community, or carry the wrong nonce or token
 * (forged or stale), change nothing. Nonces and tokens are derived, not random, so a replay
 * gives the same ids twice: a poll's from the id of the event or job that created it (not
 * visible to other members), a feedback item's from its text and time.
 */
export const digest = (...parts: (string | number)[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 12);

export function voteButtonId(pollId: number, position: number, nonce: string): string {
  return `poll:${pollId}:${position}:${nonce}`;
}

export function parseVoteButtonId(id: string): { pollId: number; position: number; nonce: string } | undefined {
  const match = /^poll:(\d{1,9}):(\d{1,2}):([0-9a-f]{12})$/.exec(id);
  if (!match) return undefined;
  return { pollId: Number(match[1]), position: Number(match[2]), nonce: match[3]! };
}

export function isPollComponent(id: string): boolean {
  return id.startsWith('poll:');
}

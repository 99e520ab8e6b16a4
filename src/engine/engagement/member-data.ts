import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { Community, Member } from '../../generated/prisma/client.js';
import type { EventContext, Tx } from '../capability.js';
import { commandArgs } from '../command-args.js';
import { digest, ephemeral } from './common.js';
import { secret } from './identity.js';

type Command = EventOfType<'command.invoked'>;
const FORGOTTEN = 'forgotten:';

/** The one-way hash under which a forgotten account's moderation cases are kept. */
export const forgottenId = (community: Pick<Community, 'platform' | 'externalId'>, externalId: string): string =>
  `${FORGOTTEN}${digest('forgotten', community.platform, community.externalId, externalId, secret()).slice(0, 32)}`;

/**
 * Called when accounts are first stored: any that once ran /forgetme here gets its moderation
 * cases (kept under the hash) back, so forgetting is no way around the escalation ladder.
 */
export async function reclaimForgottenCases(tx: Tx, community: Community, members: readonly Member[]): Promise<void> {
  if (!members.length) return;
  const byHash = new Map(members.map((member) => [forgottenId(community, member.externalId), member]));
  const forgotten = await tx.member.findMany({ where: { communityId: community.id, externalId: { in: [...byHash.keys()] } }, select: { id: true, externalId: true } });
  for (const { id, externalId } of forgotten) await tx.moderationCase.updateMany({ where: { memberId: id }, data: { memberId: byHash.get(externalId)!.id } });
}

/** Everything stored about one account, as plain JSON. */
async function exportData(tx: Tx, member: Member) {
  const [profile, messages, reactions, pairs, nominations, linked, questions, cases] = await Promise.all([
    tx.engagementProfile.findUnique({ where: { memberId: member.id } }),
    tx.message.findMany({ where: { authorId: member.id }, orderBy: { sentAt: 'asc' }, include: { channel: { select: { name: true } } } }),
    tx.reaction.findMany({ where: { memberId: member.id }, orderBy: { at: 'asc' } }),
    tx.introPair.findMany({ where: { OR: [{ memberAId: member.id }, { memberBId: member.id }] }, include: { memberA: { select: { name: true } }, memberB: { select: { name: true } } }, orderBy: { id: 'asc' } }),
    tx.ambassadorNomination.findMany({ where: { memberId: member.id }, orderBy: { id: 'asc' } }),
    member.personId === null ? [] : tx.member.findMany({ where: { personId: member.personId, id: { not: member.id } }, include: { community: true } }),
    tx.question.findMany({ where: { askerId: member.id }, orderBy: { askedAt: 'asc' } }),
    tx.moderationCase.findMany({ where: { memberId: member.id }, orderBy: { number: 'asc' } }),
  ]);
  return {
    account: { id: member.externalId, name: member.name, roles: member.roles, joinedAt: member.joinedAt, leftAt: member.leftAt, lastSeenAt: member.lastSeenAt },
    engagement: profile && { interests: profile.interests, introsOptOut: profile.introsOptOut, introducedAt: profile.introducedAt, tier: profile.tier, ambassadorAt: profile.ambassadorAt },
    linkedAccounts: linked.map((m) => ({ platform: m.community.platform, community: m.community.externalId, name: m.name })),
    messages: messages.map((m) => ({ id: m.externalId, channel: m.channel.name, text: m.text, sentAt: m.sentAt, replyTo: m.replyToExternalId, thread: m.threadExternalId, deletedAt: m.deletedAt })),
    reactions: reactions.map((r) => ({ message: r.messageExternalId, emoji: r.emoji, at: r.at })),
    introductions: pairs.map((p) => ({ with: p.memberAId === member.id ? p.memberB.name : p.memberA.name, interests: p.interests, at: p.createdAt, met: p.met })),
    ambassadorNominations: nominations.map((n) => ({ status: n.status, at: n.createdAt, decidedAt: n.decidedAt })),
    questions: questions.map((q) => ({ message: q.messageExternalId, text: q.text, status: q.status, askedAt: q.askedAt })),
    moderationCases: cases.map((c) => ({ number: c.number, kind: c.kind, reason: c.reason, points: c.points, at: c.createdAt, pardonedAt: c.pardonedAt })),
  };
}

/** `/mydata`: a DM with a JSON export (an `attachment` extra field: name, content type, text). */
export async function myData(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const data = await exportData(ctx.tx, ctx.member!);
  const community = ctx.config.name ?? ctx.community.name ?? ctx.community.externalId;
  const attachment: Record<string, unknown> = { attachment: { name: 'guyub-data.json', contentType: 'application/json', text: JSON.stringify(data, null, 2) } };
  return [
    { type: 'message.send', member: event.member.id, message: { text: ctx.t('engagement.data.export', { community }) }, ...attachment },
    ephemeral(event.member.id, ctx.t('engagement.data.exportReply')),
  ];
}

/**
 * `/forgetme confirm`: deletes the account's messages, reactions, engagement state,
 * introductions, nominations, link codes, questions and votes, and unlinks it. The member row
 * stays only as the anchor of its moderation cases, renamed and re-keyed to a one-way hash of
 * the account id (see reclaimForgottenCases).
 */
export async function forgetMe(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const community = ctx.config.name ?? ctx.community.name ?? ctx.community.externalId;
  if (commandArgs(event, ['confirm'] as const).confirm !== 'confirm') return [ephemeral(event.member.id, ctx.t('engagement.data.forgetConfirm', { community }))];
  const { tx } = ctx;
  const me = ctx.member!;
  const id = me.id;
  await tx.message.deleteMany({ where: { authorId: id } });
  await tx.reaction.deleteMany({ where: { memberId: id } });
  await tx.engagementProfile.deleteMany({ where: { memberId: id } });
  await tx.introPair.deleteMany({ where: { OR: [{ memberAId: id }, { memberBId: id }] } });
  await tx.ambassadorNomination.deleteMany({ where: { memberId: id } });
  await tx.ambassadorNomination.updateMany({ where: { nominatedById: id }, data: { nominatedById: null } });
  await tx.linkCode.deleteMany({ where: { memberId: id } });
  await tx.question.deleteMany({ where: { askerId: id } });
  await tx.pollVote.deleteMany({ where: { memberId: id } });
  await tx.feedbackVote.deleteMany({ where: { memberId: id } });
  await tx.feedback.deleteMany({ where: { authorId: id } });
  const forgotten = forgottenId(ctx.community, me.externalId);
  // Forgotten twice (the account came back and asked again): its cases join the older anchor.
  const older = await tx.member.findUnique({ where: { communityId_externalId: { communityId: ctx.community.id, externalId: forgotten } } });
  if (older) {
    await tx.moderationCase.updateMany({ where: { memberId: id }, data: { memberId: older.id } });
    await tx.member.delete({ where: { id } });
  } else {
    await tx.member.update({
      where: { id },
      data: { externalId: forgotten, name: 'forgotten', roles: [], personId: null, joinedAt: null, lastSeenAt: null },
    });
  }
  if (me.personId !== null) {
    const rest = await tx.member.findMany({ where: { personId: me.personId }, select: { id: true } });
    if (rest.length <= 1) {
      await tx.member.updateMany({ where: { personId: me.personId }, data: { personId: null } });
      await tx.person.delete({ where: { id: me.personId } });
    }
  }
  return [ephemeral(event.member.id, ctx.t('engagement.data.forgotten', { community }))];
}

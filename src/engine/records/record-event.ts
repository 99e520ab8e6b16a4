import type { CommunityEvent, MemberRef } from '../../contracts/index.js';
import type { Channel, Community, Member } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';
import { reclaimForgottenCases } from '../engagement/member-data.js';

/** The member an event is about: its author, joiner, invoker or reactor. */
export function actorOf(event: CommunityEvent): MemberRef | undefined {
  switch (event.type) {
    case 'member.joined':
    case 'member.left':
    case 'reaction.added':
    case 'command.invoked':
    case 'component.used':
      return event.member;
    case 'message.created':
    case 'message.edited':
      return event.author;
    case 'message.deleted':
      return undefined;
  }
}

async function upsertMember(tx: Tx, community: Community, ref: MemberRef, event: CommunityEvent): Promise<Member> {
  const at = new Date(event.at);
  const joining = event.type === 'member.joined';
  const leaving = event.type === 'member.left';
  const joinedAt = ref.joinedAt ? new Date(ref.joinedAt) : joining ? at : undefined;
  return tx.member.upsert({
    where: { communityId_externalId: { communityId: community.id, externalId: ref.id } },
    create: {
      communityId: community.id,
      externalId: ref.id,
      name: ref.name,
      isBot: ref.bot ?? false,
      roles: ref.roles ?? [],
      joinedAt: joinedAt ?? null,
      leftAt: leaving ? at : null,
      joinCount: joining ? 1 : 0,
      lastSeenAt: at,
    },
    update: {
      name: ref.name,
      ...(ref.bot !== undefined && { isBot: ref.bot }),
      ...(ref.roles !== undefined && { roles: ref.roles }),
      ...(joining && { joinedAt: joinedAt ?? at, leftAt: null, joinCount: { increment: 1 } }),
      ...(leaving && { leftAt: at }),
      lastSeenAt: at,
    },
  });
}

async function upsertChannel(tx: Tx, community: Community, externalId: string, name: string | undefined): Promise<Channel> {
  return tx.channel.upsert({
    where: { communityId_externalId: { communityId: community.id, externalId } },
    create: { communityId: community.id, externalId, name: name ?? externalId },
    update: name ? { name } : {},
  });
}

export interface RecordedEvent {
  member: Member | null;
  memberBefore: Member | null;
  /** The channel the event happened in, when it has one. */
  channel: Channel | null;
}

/**
 * Stores what the event tells about the community: the acting member, the channel and the
 * message. Adapters may add `channelName` to an event; without it the channel's id is its name.
 */
export async function recordEvent(tx: Tx, community: Community, event: CommunityEvent): Promise<RecordedEvent> {
  const ref = actorOf(event);
  const memberBefore = ref
    ? await tx.member.findUnique({ where: { communityId_externalId: { communityId: community.id, externalId: ref.id } } })
    : null;
  const member = ref ? await upsertMember(tx, community, ref, event) : null;
  // An account that ran /forgetme and came back gets its moderation cases back (engagement).
  if (member && !memberBefore) await reclaimForgottenCases(tx, community, [member]);
  const channelName = typeof event.channelName === 'string' ? event.channelName : undefined;
  const channel = event.type === 'member.joined' || event.type === 'member.left' ? null : await upsertChannel(tx, community, event.channel, channelName);

  switch (event.type) {
    case 'message.created': {
      await tx.message.createMany({
        data: [
          {
            communityId: community.id,
            channelId: channel!.id,
            authorId: member!.id,
            externalId: event.id,
            text: event.text,
            threadExternalId: event.thread ?? null,
            replyToExternalId: event.replyTo ?? null,
            mentions: event.mentions ?? [],
            attachments: event.attachments ?? 0,
            sentAt: new Date(event.at),
          },
        ],
        skipDuplicates: true,
      });
      break;
    }
    case 'message.edited':
      await tx.message.updateMany({
        where: { communityId: community.id, externalId: event.messageId },
        data: { text: event.text, editedAt: new Date(event.at) },
      });
      break;
    case 'message.deleted':
      await tx.message.updateMany({
        where: { communityId: community.id, externalId: event.messageId },
        data: { deletedAt: new Date(event.at) },
      });
      break;
    case 'reaction.added':
      // Reactions received from others count towards the involvement score (engagement).
      await tx.reaction.createMany({
        data: [{ communityId: community.id, messageExternalId: event.messageId, memberId: member!.id, emoji: event.emoji, at: new Date(event.at) }],
        skipDuplicates: true,
      });
      break;
    default:
      break;
  }
  return { member, memberBefore, channel };
}

import type { EventOfType } from '../../contracts/index.js';
import type { Channel, Community, Member } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';
import { reclaimForgottenCases } from '../engagement/member-data.js';
import type { RecordedEvent } from './record-event.js';

type MessageEvent = EventOfType<'message.created'>;

/**
 * Stores a run of one community's new messages with a handful of statements instead of a
 * handful per message: the same rows `recordEvent` would leave after storing them one by one,
 * in order. Returns, per event, what `recordEvent` would have returned for it, or null for an
 * event already processed (a retried delivery, or the same id twice in the run); and whether a
 * channel was added or renamed.
 */
export async function recordMessages(tx: Tx, community: Community, events: readonly MessageEvent[]): Promise<{ recorded: (RecordedEvent | null)[]; channelsChanged: boolean }> {
  // Raw statements with one JSON parameter: Prisma's createMany costs about a millisecond of CPU
  // per hundred values it binds, more than the rest of a message's handling.
  const inserted = await tx.$queryRaw<{ eventId: string }[]>`
    INSERT INTO "ProcessedEvent" ("communityId", "eventId", "type", "occurredAt")
    SELECT ${community.id}, e."eventId", e."type", e."occurredAt" AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(events.map((event) => ({ eventId: event.id, type: event.type, occurredAt: new Date(event.at).toISOString() })))}::jsonb)
      AS e("eventId" text, "type" text, "occurredAt" timestamptz)
    ON CONFLICT ("communityId", "eventId") DO NOTHING
    RETURNING "eventId"`;
  const unclaimed = new Set(inserted.map((row) => row.eventId));
  // The first of two deliveries of one id in the run is the one processed.
  const fresh = events.map((event) => unclaimed.delete(event.id));
  const freshEvents = events.filter((_, i) => fresh[i]);
  if (!freshEvents.length) return { recorded: events.map(() => null), channelsChanged: false };

  const memberStates = await recordAuthors(tx, community, freshEvents);
  const { states: channelStates, changed: channelsChanged } = await recordChannels(tx, community, freshEvents);
  await tx.$executeRaw`
    INSERT INTO "Message" ("communityId", "channelId", "authorId", "externalId", "text", "threadExternalId", "replyToExternalId", "mentions", "attachments", "sentAt")
    SELECT ${community.id}, m."channelId", m."authorId", m."externalId", m."text", m."thread", m."replyTo", m."mentions", m."attachments", m."sentAt" AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(
      freshEvents.map((event, i) => ({
        channelId: channelStates[i]!.id,
        authorId: memberStates[i]!.member.id,
        externalId: event.id,
        text: event.text,
        thread: event.thread ?? null,
        replyTo: event.replyTo ?? null,
        mentions: event.mentions ?? [],
        attachments: event.attachments ?? 0,
        sentAt: new Date(event.at).toISOString(),
      })),
    )}::jsonb)
      AS m("channelId" integer, "authorId" integer, "externalId" text, "text" text, "thread" text, "replyTo" text, "mentions" text[], "attachments" integer, "sentAt" timestamptz)
    ON CONFLICT ("communityId", "externalId") DO NOTHING`;

  let next = 0;
  const recorded = events.map((_, i) => {
    if (!fresh[i]) return null;
    const state = memberStates[next]!;
    const channel = channelStates[next]!;
    next++;
    return { member: state.member, memberBefore: state.before, channel };
  });
  return { recorded, channelsChanged };
}

/**
 * The authors' rows: created where new (as `recordEvent` creates them), then every author's
 * name, bot flag, roles and last-seen time set to what the run's last message of theirs says.
 * Returns each event's member as it stood after that event, and before it.
 */
async function recordAuthors(tx: Tx, community: Community, events: readonly MessageEvent[]): Promise<{ member: Member; before: Member | null }[]> {
  const ids = [...new Set(events.map((event) => event.author.id))];
  const stored = await tx.member.findMany({ where: { communityId: community.id, externalId: { in: ids } } });
  const current = new Map(stored.map((member) => [member.externalId, member]));
  const firstSeen = new Map<string, MessageEvent>();
  for (const event of events) if (!current.has(event.author.id) && !firstSeen.has(event.author.id)) firstSeen.set(event.author.id, event);
  const unknownBefore = new Set(firstSeen.keys());
  if (firstSeen.size) {
    const created = await tx.member.createManyAndReturn({
      data: [...firstSeen.values()].map(({ author, at }) => ({
        communityId: community.id,
        externalId: author.id,
        name: author.name,
        isBot: author.bot ?? false,
        roles: author.roles ?? [],
        joinedAt: author.joinedAt ? new Date(author.joinedAt) : null,
        joinCount: 0,
        lastSeenAt: new Date(at),
      })),
      skipDuplicates: true,
    });
    for (const member of created) current.set(member.externalId, member);
    // An account that ran /forgetme and came back gets its moderation cases back (engagement).
    await reclaimForgottenCases(tx, community, created);
    // Created meanwhile by another process: read rather than assumed.
    const missing = [...firstSeen.keys()].filter((id) => !current.has(id));
    if (missing.length) {
      for (const member of await tx.member.findMany({ where: { communityId: community.id, externalId: { in: missing } } })) {
        current.set(member.externalId, member);
        unknownBefore.delete(member.externalId);
      }
    }
  }

  const states = events.map((event) => {
    const previous = current.get(event.author.id)!;
    const created = unknownBefore.delete(event.author.id);
    const member: Member = {
      ...previous,
      name: event.author.name,
      ...(event.author.bot !== undefined && { isBot: event.author.bot }),
      ...(event.author.roles !== undefined && { roles: event.author.roles }),
      lastSeenAt: new Date(event.at),
    };
    current.set(event.author.id, member);
    return { member, before: created ? null : previous };
  });

  const finals = ids.map((id) => current.get(id)!);
  await tx.$executeRaw`
    UPDATE "Member" AS m
    SET "name" = u."name", "isBot" = u."isBot", "roles" = u."roles", "lastSeenAt" = u."lastSeenAt" AT TIME ZONE 'UTC', "updatedAt" = now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(
      finals.map((member) => ({ id: member.id, name: member.name, isBot: member.isBot, roles: member.roles, lastSeenAt: member.lastSeenAt!.toISOString() })),
    )}::jsonb) AS u("id" integer, "name" text, "isBot" boolean, "roles" text[], "lastSeenAt" timestamptz)
    WHERE m."id" = u."id"`;
  return states;
}

/** The channels' rows, created where new; a channel whose reported name changed is renamed. Returns each event's channel after it. */
async function recordChannels(tx: Tx, community: Community, events: readonly MessageEvent[]): Promise<{ states: Channel[]; changed: boolean }> {
  const nameOf = (event: MessageEvent) => (typeof event.channelName === 'string' ? event.channelName : undefined);
  const ids = [...new Set(events.map((event) => event.channel))];
  const stored = await tx.channel.findMany({ where: { communityId: community.id, externalId: { in: ids } } });
  const current = new Map(stored.map((channel) => [channel.externalId, channel]));
  const missing = new Map<string, string>();
  for (const event of events) if (!current.has(event.channel) && !missing.has(event.channel)) missing.set(event.channel, nameOf(event) ?? event.channel);
  if (missing.size) {
    await tx.channel.createMany({ data: [...missing].map(([externalId, name]) => ({ communityId: community.id, externalId, name })), skipDuplicates: true });
    for (const channel of await tx.channel.findMany({ where: { communityId: community.id, externalId: { in: [...missing.keys()] } } })) current.set(channel.externalId, channel);
  }
  const stateBefore = new Map(current);
  const states = events.map((event) => {
    const name = nameOf(event);
    const previous = current.get(event.channel)!;
    const channel = name && name !== previous.name ? { ...previous, name } : previous;
    current.set(event.channel, channel);
    return channel;
  });
  let changed = missing.size > 0;
  for (const [externalId, channel] of current) {
    if (stateBefore.get(externalId)!.name === channel.name) continue;
    await tx.channel.update({ where: { id: channel.id }, data: { name: channel.name } });
    changed = true;
  }
  return { states, changed };
}

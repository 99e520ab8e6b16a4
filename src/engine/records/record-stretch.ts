import type { CommunityEvent, EventOfType, MemberRef } from '../../contracts/index.js';
import type { Channel, Community, Member } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';
import { reclaimForgottenCases } from '../engagement/member-data.js';
import type { RecordedEvent } from './record-event.js';

type MessageEvent = EventOfType<'message.created'>;
/** What `recordStretch` stores in bulk: new messages, joins and leaves. */
export type StretchEvent = MessageEvent | EventOfType<'member.joined'> | EventOfType<'member.left'>;

export const isStretchEvent = (event: CommunityEvent): event is StretchEvent =>
  event.type === 'message.created' || event.type === 'member.joined' || event.type === 'member.left';

/**
 * The JSON parameter of a bulk statement. A lone UTF-16 surrogate, which PostgreSQL's jsonb
 * refuses, becomes U+FFFD: what the driver stores for it when it is bound on its own.
 */
const jsonParameter = (rows: unknown[]): string =>
  JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? value.replace(LONE_SURROGATE, '\ufffd') : value));
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The member an event of a stretch is about. */
const refOf = (event: StretchEvent): MemberRef => (event.type === 'message.created' ? event.author : event.member);

/**
 * Stores a stretch of one community's new messages, joins and leaves with a handful of
 * statements instead of a handful per event: the same rows `recordEvent` would leave after
 * storing them one by one, in order. Returns, per event, what `recordEvent` would have
 * returned for it, or null for an event already processed (a retried delivery, or the same id
 * twice in the run); and whether a channel was added or renamed.
 *
 * A handler may look a channel up by name, and must not see one that a later event brings:
 * so an event that adds or renames a channel starts a new stretch. Only the first `consumed`
 * events are stored; the caller runs their handlers, then stores the rest.
 */
export async function recordStretch(
  tx: Tx,
  community: Community,
  stretch: readonly StretchEvent[],
): Promise<{ consumed: number; recorded: (RecordedEvent | null)[]; channelsChanged: boolean }> {
  const channelIds = [...new Set(stretch.flatMap((event) => (event.type === 'message.created' ? [event.channel] : [])))];
  const storedChannels = channelIds.length ? await tx.channel.findMany({ where: { communityId: community.id, externalId: { in: channelIds } } }) : [];
  const events = stretch.slice(0, channelsStayUntil(stretch, new Map(storedChannels.map((channel) => [channel.externalId, channel.name]))));

  // Raw statements with one JSON parameter: Prisma's createMany costs about a millisecond of CPU
  // per hundred values it binds, more than the rest of a message's handling.
  const inserted = await tx.$queryRaw<{ eventId: string }[]>`
    INSERT INTO "ProcessedEvent" ("communityId", "eventId", "type", "occurredAt")
    SELECT ${community.id}, e."eventId", e."type", e."occurredAt" AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${jsonParameter(events.map((event) => ({ eventId: event.id, type: event.type, occurredAt: new Date(event.at).toISOString() })))}::jsonb)
      AS e("eventId" text, "type" text, "occurredAt" timestamptz)
    ON CONFLICT ("communityId", "eventId") DO NOTHING
    RETURNING "eventId"`;
  const unclaimed = new Set(inserted.map((row) => row.eventId));
  // The first of two deliveries of one id in the run is the one processed.
  const fresh = events.map((event) => unclaimed.delete(event.id));
  const freshEvents = events.filter((_, i) => fresh[i]);
  if (!freshEvents.length) return { consumed: events.length, recorded: events.map(() => null), channelsChanged: false };

  const memberStates = await recordMembers(tx, community, freshEvents);
  const messages = freshEvents.flatMap((event, i) => (event.type === 'message.created' ? [{ event, author: memberStates[i]!.member }] : []));
  const { states: channelStates, changed: channelsChanged } = await recordChannels(tx, community, messages.map(({ event }) => event), storedChannels);
  const channelOf = new Map(messages.map(({ event }, i) => [event, channelStates[i]!]));
  if (messages.length) await tx.$executeRaw`
    INSERT INTO "Message" ("communityId", "channelId", "authorId", "externalId", "text", "threadExternalId", "replyToExternalId", "mentions", "attachments", "sentAt")
    SELECT ${community.id}, m."channelId", m."authorId", m."externalId", m."text", m."thread", m."replyTo", m."mentions", m."attachments", m."sentAt" AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${jsonParameter(
      messages.map(({ event, author }, i) => ({
        channelId: channelStates[i]!.id,
        authorId: author.id,
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
  const recorded = events.map((event, i) => {
    if (!fresh[i]) return null;
    const state = memberStates[next++]!;
    return { member: state.member, memberBefore: state.before, channel: channelOf.get(event as MessageEvent) ?? null };
  });
  return { consumed: events.length, recorded, channelsChanged };
}

/**
 * The members' rows: created where new (as `recordEvent` creates them), then each set to what
 * the stretch's last event about them leaves (name, bot flag, roles, last seen, and for joins
 * and leaves the join time, leave time and join count). Returns each event's member as it
 * stood after that event, and before it.
 */
async function recordMembers(tx: Tx, community: Community, events: readonly StretchEvent[]): Promise<{ member: Member; before: Member | null }[]> {
  const ids = [...new Set(events.map((event) => refOf(event).id))];
  const stored = await tx.member.findMany({ where: { communityId: community.id, externalId: { in: ids } } });
  const current = new Map(stored.map((member) => [member.externalId, member]));
  const firstSeen = new Map<string, StretchEvent>();
  for (const event of events) if (!current.has(refOf(event).id) && !firstSeen.has(refOf(event).id)) firstSeen.set(refOf(event).id, event);
  const unknownBefore = new Set(firstSeen.keys());
  if (firstSeen.size) {
    const created = await tx.member.createManyAndReturn({
      data: [...firstSeen.values()].map((event) => {
        const ref = refOf(event);
        const at = new Date(event.at);
        const joinedAt = ref.joinedAt ? new Date(ref.joinedAt) : event.type === 'member.joined' ? at : null;
        return {
          communityId: community.id,
          externalId: ref.id,
          name: ref.name,
          isBot: ref.bot ?? false,
          roles: ref.roles ?? [],
          joinedAt,
          leftAt: event.type === 'member.left' ? at : null,
          joinCount: event.type === 'member.joined' ? 1 : 0,
          lastSeenAt: at,
        };
      }),
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
    const ref = refOf(event);
    const previous = current.get(ref.id)!;
    const created = unknownBefore.delete(ref.id);
    const at = new Date(event.at);
    // The row the member's creation left is already this event's; later events update it.
    const member: Member = created
      ? previous
      : {
          ...previous,
          name: ref.name,
          ...(ref.bot !== undefined && { isBot: ref.bot }),
          ...(ref.roles !== undefined && { roles: ref.roles }),
          ...(event.type === 'member.joined' && { joinedAt: ref.joinedAt ? new Date(ref.joinedAt) : at, leftAt: null, joinCount: previous.joinCount + 1 }),
          ...(event.type === 'member.left' && { leftAt: at }),
          lastSeenAt: at,
        };
    current.set(ref.id, member);
    return { member, before: created ? null : previous };
  });

  const finals = ids.map((id) => current.get(id)!);
  await tx.$executeRaw`
    UPDATE "Member" AS m
    SET "name" = u."name", "isBot" = u."isBot", "roles" = u."roles", "joinedAt" = u."joinedAt" AT TIME ZONE 'UTC', "leftAt" = u."leftAt" AT TIME ZONE 'UTC',
      "joinCount" = u."joinCount", "lastSeenAt" = u."lastSeenAt" AT TIME ZONE 'UTC', "updatedAt" = now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${jsonParameter(
      finals.map((member) => ({
        id: member.id,
        name: member.name,
        isBot: member.isBot,
        roles: member.roles,
        joinedAt: member.joinedAt?.toISOString() ?? null,
        leftAt: member.leftAt?.toISOString() ?? null,
        joinCount: member.joinCount,
        lastSeenAt: member.lastSeenAt!.toISOString(),
      })),
    )}::jsonb) AS u("id" integer, "name" text, "isBot" boolean, "roles" text[], "joinedAt" timestamptz, "leftAt" timestamptz, "joinCount" integer, "lastSeenAt" timestamptz)
    WHERE m."id" = u."id"`;
  return states;
}

const nameOf = (event: MessageEvent) => (typeof event.channelName === 'string' ? event.channelName : undefined);

/** How many events of the stretch come before the first one after its first that adds or renames a channel (given the stored names by id). */
function channelsStayUntil(stretch: readonly StretchEvent[], names: Map<string, string>): number {
  for (const [i, event] of stretch.entries()) {
    if (event.type !== 'message.created') continue;
    const known = names.get(event.channel);
    const name = nameOf(event);
    if (known !== undefined && (name === undefined || name === known)) continue;
    if (i > 0) return i;
    names.set(event.channel, name ?? known ?? event.channel);
  }
  return stretch.length;
}

/** The channels' rows, created where new; a channel whose reported name changed is renamed. Returns each event's channel after it. */
async function recordChannels(tx: Tx, community: Community, events: readonly MessageEvent[], stored: readonly Channel[]): Promise<{ states: Channel[]; changed: boolean }> {
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

import { DateTime } from 'luxon';
import type { CommunityConfig } from '../../config/index.js';
import { Prisma, type Community, type PrismaClient } from '../../generated/prisma/client.js';
import type { Tx } from '../capability.js';
import { ranking } from '../engagement/score.js';
import { feedbackSummary, type FeedbackSummary } from '../feedback/stats.js';
import { STOPWORDS } from '../feedback/stats.js';
import { pollResultsBetween, type PollResult } from '../polls/stats.js';
import { questionStats, type QuestionStats } from '../questions/stats.js';
import { busyConversations, type BusyConversation } from './conversations.js';

/** The scalar figures of one period, each compared with the day before and the week before. */
export const FIGURES = [
  'newMembers',
  'returningMembers',
  'leftMembers',
  'activeMembers',
  'messages',
  'conversations',
  'replies',
  'questionsAsked',
  'questionsAnswered',
  'answeredRate',
  'medianMinutesToFirstAnswer',
  'escalations',
  'moderationCases',
  'feedback',
  'nominations',
] as const;
export type FigureName = (typeof FIGURES)[number];
export type Figures = Record<FigureName, number | null>;

export interface Figure {
  value: number | null;
  dayBefore: number | null;
  weekBefore: number | null;
}

export interface DigestData {
  community: { platform: string; id: string; name: string };
  /** The local day, `YYYY-MM-DD`, and its bounds in UTC. */
  day: string;
  timeZone: string;
  from: string;
  to: string;
  figures: Record<FigureName, Figure>;
  leaders: { member: string; name: string; score: number }[];
  tierChanges: { member: string; name: string; tier: string }[];
  nominations: { member: string; name: string; status: string }[];
  unanswered: { total: number; items: { id: string; channel: string; asker: string; text: string; askedAt: string; team: string; link: string }[] };
  escalationsByTeam: { team: string; level: number; count: number }[];
  moderation: { byKind: { kind: string; count: number }[]; byRule: { rule: string; count: number }[] };
  polls: PollResult[];
  feedback: FeedbackSummary;
  topics: { term: string; day: number; previousWeek: number }[];
  threads: BusyConversation[];
  activity: { day: string; messages: number; activeMembers: number }[];
}

/** The local day's bounds (UTC instants) in a time zone. */
export function dayBounds(day: string, timeZone: string): { from: Date; to: Date } {
  const start = DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}

const shiftDay = (day: string, days: number): string => DateTime.fromISO(day, { zone: 'UTC' }).plus({ days }).toISODate()!;

/** Whether a text is a calendar day `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: 'UTC' }).isValid;
}

/** A link to a message that a manager can click (Discord and Slack), or a plain reference in the shell. */
export function messageLink(platform: string, community: string, channel: string, message: string): string {
  if (platform === 'discord') return `https://discord.com/channels/${community}/${channel}/${message}`;
  // Slack message ids are `<channel>:<ts>` (a ts is unique only within its channel); the link wants the ts.
  if (platform === 'slack') return `https://slack.com/app_redirect?team=${community}&channel=${channel}&message_ts=${message.slice(message.lastIndexOf(':') + 1)}`;
  return `#${channel}/${message}`;
}

/**
 * The scalar figures of [from, to): one SQL statement, plus the questions' (also SQL), whose
 * escalations by team come back too. `botIds`: the community's bots, whose messages count nothing.
 */
async function periodFigures(db: PrismaClient | Tx, communityId: number, botIds: number[], from: Date, to: Date): Promise<{ figures: Figures; escalationsByTeam: QuestionStats['escalationsByTeam'] }> {
  const [row] = await db.$queryRaw<Record<string, number>[]>`
    SELECT j."newMembers", j."returningMembers", j."leftMembers",
      s."activeMembers", s."messages", s."conversations", s."replies",
      (SELECT count(*) FROM "ModerationCase" c WHERE c."communityId" = ${communityId} AND c."createdAt" >= ${from} AND c."createdAt" < ${to})::int AS "moderationCases",
      (SELECT count(*) FROM "Feedback" f WHERE f."communityId" = ${communityId} AND f."createdAt" >= ${from} AND f."createdAt" < ${to})::int AS "feedback",
      (SELECT count(*) FROM "AmbassadorNomination" n WHERE n."communityId" = ${communityId} AND n."createdAt" >= ${from} AND n."createdAt" < ${to})::int AS "nominations"
    FROM (
      SELECT count(*) FILTER (WHERE m."joinedAt" >= ${from} AND m."joinedAt" < ${to} AND m."joinCount" <= 1)::int AS "newMembers",
             count(*) FILTER (WHERE m."joinedAt" >= ${from} AND m."joinedAt" < ${to} AND m."joinCount" > 1)::int AS "returningMembers",
             count(*) FILTER (WHERE m."leftAt" >= ${from} AND m."leftAt" < ${to})::int AS "leftMembers"
      FROM "Member" m
      WHERE m."communityId" = ${communityId} AND NOT m."isBot"
        AND ((m."joinedAt" >= ${from} AND m."joinedAt" < ${to}) OR (m."leftAt" >= ${from} AND m."leftAt" < ${to}))
    ) j, (
      SELECT count(DISTINCT msg."authorId")::int AS "activeMembers",
             count(*)::int AS "messages",
             count(DISTINCT coalesce(msg."threadExternalId", msg."replyToExternalId"))::int AS "conversations",
             count(*) FILTER (WHERE coalesce(msg."threadExternalId", msg."replyToExternalId") IS NOT NULL)::int AS "replies"
      FROM "Message" msg
      WHERE msg."communityId" = ${communityId} AND msg."sentAt" >= ${from} AND msg."sentAt" < ${to} AND msg."deletedAt" IS NULL
        AND msg."authorId" <> ALL(${botIds}::int[])
    ) s`;
  const questions = await questionStats(db, communityId, from, to);
  const figures: Figures = {
    newMembers: row!.newMembers!,
    returningMembers: row!.returningMembers!,
    leftMembers: row!.leftMembers!,
    activeMembers: row!.activeMembers!,
    messages: row!.messages!,
    conversations: row!.conversations!,
    replies: row!.replies!,
    questionsAsked: questions.asked,
    questionsAnswered: questions.answered,
    answeredRate: questions.answeredRate === null ? null : Math.round(questions.answeredRate * 1000) / 10,
    medianMinutesToFirstAnswer: questions.medianSecondsToFirstAnswer === null ? null : Math.round(questions.medianSecondsToFirstAnswer / 6) / 10,
    escalations: questions.escalationsByTeam.reduce((sum, e) => sum + e.count, 0),
    moderationCases: row!.moderationCases!,
    feedback: row!.feedback!,
    nominations: row!.nominations!,
  };
  return { figures, escalationsByTeam: questions.escalationsByTeam };
}

/**
 * Everything the managers' digest says about one local day of a community, computed in the
 * database (DESIGN §2): figures for the day, the day before and the same day a week before;
 * leaders, tier changes and nominations; questions still unanswered; moderation by kind and
 * rule; polls closed; feedback and its themes; topics trending against the previous 7 days;
 * the busiest threads; and activity per day over the last 14 days for the chart.
 */
export async function computeDigest(db: PrismaClient | Tx, community: Community, config: CommunityConfig, day: string): Promise<DigestData> {
  // A client (`guyub digest`) rather than a transaction (the job, /digest): open one, for SET LOCAL.
  // (A transaction client has $transaction too, but not $connect.)
  if ('$connect' in db) return db.$transaction((tx) => computeDigest(tx, community, config, day), { maxWait: 10_000, timeout: 120_000 });
  // The planner's cost estimates for these aggregates over weeks of messages pass jit_above_cost,
  // and compiling them took longer than running them: with a million messages, the score query
  // took 5.8 s with JIT and 1.9 s without (bench/digest.ts). Only this transaction is affected.
  await db.$executeRaw`SET LOCAL jit = off`;
  // The digest looks messages up by their platform id (the message a reply answers, the message a
  // reaction is on): a few tens of thousands of index probes. With the default random_page_cost (4,
  // for spinning disks) the planner hashes the community's whole Message table instead, and the
  // score query took almost twice as long on a million messages (bench/digest.ts). 1.1 is the
  // usual value for SSDs and cached data; like jit, it is set for this transaction only.
  await db.$executeRaw`SET LOCAL random_page_cost = 1.1`;
  const timeZone = config.timeZone;
  const { from, to } = dayBounds(day, timeZone);
  const before = dayBounds(shiftDay(day, -1), timeZone);
  const weekAgo = dayBounds(shiftDay(day, -7), timeZone);
  const weekStart = dayBounds(shiftDay(day, -7), timeZone).from;
  const chartStart = dayBounds(shiftDay(day, -13), timeZone).from;
  const cid = community.id;
  const limits = config.digest.limits;

  // Bots' messages count nothing. A community has few bots: filtering by their ids is much cheaper
  // than joining each message to its author (measured on a million messages).
  const botIds = (await db.member.findMany({ where: { communityId: cid, isBot: true }, select: { id: true } })).map((m) => m.id);

  const [todayPeriod, dayBefore, weekBefore] = [
    await periodFigures(db, cid, botIds, from, to),
    (await periodFigures(db, cid, botIds, before.from, before.to)).figures,
    (await periodFigures(db, cid, botIds, weekAgo.from, weekAgo.to)).figures,
  ];
  const today = todayPeriod.figures;
  const figures = Object.fromEntries(FIGURES.map((name) => [name, { value: today[name], dayBefore: dayBefore[name], weekBefore: weekBefore[name] }])) as Record<FigureName, Figure>;

  const scores = await ranking(db as Tx, config.engagement, { communityId: cid, now: new Date(to.getTime() - 1), since: from, decay: false, timeZone }, limits.leaders);
  const positive = scores.filter((s) => s.score > 0);
  const names = positive.length ? await db.member.findMany({ where: { id: { in: positive.map((s) => s.memberId) } }, select: { id: true, externalId: true, name: true } }) : [];
  const leaders = positive.map((s) => {
    const m = names.find((n) => n.id === s.memberId)!;
    return { member: m.externalId, name: m.name, score: Math.round(s.score * 10) / 10 };
  });

  const tierChanges = await db.$queryRaw<{ member: string; name: string; tier: string }[]>`
    SELECT m."externalId" AS member, m."name", p."tier"
    FROM "EngagementProfile" p JOIN "Member" m ON m."id" = p."memberId"
    WHERE m."communityId" = ${cid} AND p."tierChangedAt" >= ${from} AND p."tierChangedAt" < ${to} AND p."tier" IS NOT NULL
    ORDER BY p."tierChangedAt", m."id"`;
  const nominations = await db.$queryRaw<{ member: string; name: string; status: string }[]>`
    SELECT m."externalId" AS member, m."name", n."status"::text AS status
    FROM "AmbassadorNomination" n JOIN "Member" m ON m."id" = n."memberId"
    WHERE n."communityId" = ${cid} AND n."createdAt" >= ${from} AND n."createdAt" < ${to}
    ORDER BY n."createdAt", n."id"`;

  const unansweredRows = await db.$queryRaw<{ id: string; channel: string; asker: string; text: string; askedAt: Date; team: string; total: number }[]>`
    SELECT q."messageExternalId" AS id, q."channelExternalId" AS channel, m."name" AS asker, q."text", q."askedAt", q."team", count(*) OVER ()::int AS total
    FROM "Question" q JOIN "Member" m ON m."id" = q."askerId"
    WHERE q."communityId" = ${cid} AND q."firstAnswerAt" IS NULL AND q."status" IN ('open', 'escalated') AND q."askedAt" < ${to}
    ORDER BY q."askedAt", q."id"
    LIMIT ${Math.max(limits.unanswered, 1)}`;
  const unanswered = {
    total: unansweredRows[0]?.total ?? 0,
    items: unansweredRows.slice(0, limits.unanswered).map((q) => ({
      id: q.id,
      channel: q.channel,
      asker: q.asker,
      text: q.text,
      askedAt: q.askedAt.toISOString(),
      team: q.team,
      link: messageLink(community.platform, community.externalId, q.channel, q.id),
    })),
  };

  const escalationsByTeam = todayPeriod.escalationsByTeam;
  const byKind = await db.$queryRaw<{ kind: string; count: number }[]>`
    SELECT c."kind"::text AS kind, count(*)::int AS count FROM "ModerationCase" c
    WHERE c."communityId" = ${cid} AND c."createdAt" >= ${from} AND c."createdAt" < ${to}
    GROUP BY c."kind" ORDER BY count DESC, kind`;
  const byRule = await db.$queryRaw<{ rule: string; count: number }[]>`
    SELECT r.rule, count(*)::int AS count FROM "ModerationCase" c, unnest(c."rules") AS r(rule)
    WHERE c."communityId" = ${cid} AND c."createdAt" >= ${from} AND c."createdAt" < ${to}
    GROUP BY r.rule ORDER BY count DESC, r.rule`;

  // Topics: each message's distinct words, counted for the day and for the 7 days before. Splitting
  // the texts (the regular expression) is most of the cost. A message's words are deduplicated by
  // array_to_tsvector, which sorts them in C (a DISTINCT per message cost more than the split
  // itself), and the counting can run in parallel workers. array_to_tsvector refuses words of 2048
  // bytes or more, so a message whose lowercased text is that long (rare) goes through a DISTINCT
  // per message instead; both give the same counts. (The length of the text itself is tested
  // first, as it costs nothing: lowercasing never quadruples a text's bytes.) Stop words and
  // numbers are dropped from the counted words rather than from every message's.
  const split = Prisma.sql`regexp_split_to_array(lower(msg."text"), '[^[:alnum:]]+')`;
  const weekMessages = Prisma.sql`msg."communityId" = ${cid} AND msg."sentAt" >= ${weekStart} AND msg."sentAt" < ${to} AND msg."deletedAt" IS NULL
    AND msg."authorId" <> ALL(${botIds}::int[])`;
  const short = Prisma.sql`(octet_length(msg."text") < 512 OR octet_length(lower(msg."text")) < 2048)`;
  const topics = await db.$queryRaw<{ term: string; day: number; previousWeek: number }[]>`
    WITH counts AS MATERIALIZED (
      SELECT term, sum(day)::int AS day, sum(previous)::int AS "previousWeek"
      FROM (
        SELECT w.term, count(*) FILTER (WHERE w.today) AS day, count(*) FILTER (WHERE NOT w.today) AS previous
        FROM (
          SELECT msg."sentAt" >= ${from} AS today, unnest(tsvector_to_array(array_to_tsvector(array_remove(${split}, '')))) AS term
          FROM "Message" msg
          WHERE ${weekMessages} AND ${short}
        ) w
        WHERE length(w.term) >= 4 GROUP BY w.term
        UNION ALL
        SELECT w.term, count(*) FILTER (WHERE msg."sentAt" >= ${from}), count(*) FILTER (WHERE msg."sentAt" < ${from})
        FROM "Message" msg, LATERAL (SELECT DISTINCT t FROM regexp_split_to_table(lower(msg."text"), '[^[:alnum:]]+') AS t) AS w(term)
        WHERE ${weekMessages} AND NOT ${short}
          AND length(w.term) >= 4
        GROUP BY w.term
      ) parts
      GROUP BY term
    )
    SELECT term, day, "previousWeek" FROM counts
    WHERE day >= 2 AND term !~ '^[0-9]+$' AND NOT (term = ANY(${STOPWORDS}::text[]))
    ORDER BY day * 7.0 / ("previousWeek" + 1) DESC, day DESC, term
    LIMIT ${limits.topics}`;

  const activity = await db.$queryRaw<{ day: string; messages: number; activeMembers: number }[]>`
    WITH days AS (SELECT generate_series(${shiftDay(day, -13)}::date, ${day}::date, interval '1 day')::date AS day),
    per_day AS (
      SELECT ((msg."sentAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date AS day, count(*) AS messages, count(DISTINCT msg."authorId") AS active
      FROM "Message" msg
      WHERE msg."communityId" = ${cid} AND msg."sentAt" >= ${chartStart} AND msg."sentAt" < ${to} AND msg."deletedAt" IS NULL
        AND msg."authorId" <> ALL(${botIds}::int[])
      GROUP BY 1
    )
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(p.messages, 0)::int AS messages, coalesce(p.active, 0)::int AS "activeMembers"
    FROM days d LEFT JOIN per_day p ON p.day = d.day ORDER BY d.day`;

  return {
    community: { platform: community.platform, id: community.externalId, name: config.name ?? community.name ?? community.externalId },
    day,
    timeZone,
    from: from.toISOString(),
    to: to.toISOString(),
    figures,
    leaders,
    tierChanges,
    nominations,
    unanswered,
    escalationsByTeam,
    moderation: { byKind, byRule },
    polls: await pollResultsBetween(db, cid, from, to),
    feedback: await feedbackSummary(db, cid, from, to),
    topics,
    threads: limits.threads
      ? await busyConversations(db, { communityId: cid, from, to, minReplies: 2, limit: limits.threads, keyMessages: 1 })
      : [],
    activity,
  };
}

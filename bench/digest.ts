// `node --import tsx bench/digest.ts` (BENCH_DIGEST_MESSAGES, default 1,000,000; BENCH_DIGEST_MEMBERS,
// default 50,000; BENCH_DIGEST_RUNS, default 5): issue 9's "the digest for a community with 1,000,000
// messages and 50,000 members computes in under 5 s, and within 3× a hand-written SQL query computing
// the same figures, measured in one run on the same data".
//
// A scratch database on the local PostgreSQL is seeded in SQL (INSERT … SELECT generate_series; a hash
// of the row number stands in for randomness, so every run seeds the same data): members, channels,
// messages over 30 days (replies, threads, bots, deletions), reactions, questions with answers and
// escalations, moderation cases, polls with votes, feedback, nominations and tiers. Then, several times
// each, (a) `computeDigest`, the function `guyub digest` and the daily job use, and (b) HAND_WRITTEN_DIGEST
// below, one SQL statement written for this benchmark from the README's definitions (not from
// src/engine/digest). Both must give the same figures; the database is dropped at the end.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config/index.js';
import { createScratchPostgres, openDatabase } from '../src/db/index.js';
import { computeDigest, type DigestData } from '../src/engine/digest/index.js';
import { STOPWORDS } from '../src/engine/feedback/stats.js';

const MESSAGES = Number(process.env.BENCH_DIGEST_MESSAGES ?? 1_000_000);
const MEMBERS = Number(process.env.BENCH_DIGEST_MEMBERS ?? 50_000);
const RUNS = Number(process.env.BENCH_DIGEST_RUNS ?? 5);
const BOTS = 50;
const CHANNELS = 20;
const START = '2026-10-01T00:00:00Z';
const DAYS = 30;
const TIME_ZONE = 'Asia/Jakarta';
/** The digest's day: late in the 30 days, so the 14-day chart and the week before are full. */
const DAY = '2026-10-28';

/** Words the messages are made of (common ones first: a word's frequency falls with its position). */
const VOCABULARY = [
  'the', 'and', 'thanks', 'yang', 'with', 'this', 'kopi', 'deploy', 'docker', 'server', 'question', 'release', 'meetup', 'bandung', 'jakarta', 'login',
  'dashboard', 'error', 'build', 'test', 'python', 'rust', 'typescript', 'node', 'database', 'postgres', 'redis', 'cache', 'queue', 'worker', 'design',
  'figma', 'product', 'roadmap', 'feature', 'idea', 'bug', 'crash', 'mobile', 'android', 'iphone', 'laptop', 'keyboard', 'music', 'gaming', 'weekend',
  'coffee', 'beans', 'nasi', 'goreng', 'sate', 'makan', 'siang', 'malam', 'pagi', 'kerja', 'belajar', 'bisa', 'tolong', 'bantu', 'gimana', 'caranya',
  'kenapa', 'kapan', 'berapa', 'harga', 'gratis', 'promo', 'event', 'workshop', 'slides', 'recording', 'video', 'stream', 'github', 'issue', 'merge',
  'branch', 'review', 'commit', 'pipeline', 'kubernetes', 'cluster', 'memory', 'latency', 'metrics', 'grafana', 'alert', 'oncall', 'incident', 'fixed',
  'great', 'awesome', 'mantap', 'keren', 'setuju', 'nice', 'agree', 'maybe', 'tomorrow', 'today', 'yesterday', 'minggu', 'depan', 'bulan', 'tahun',
];

const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** Seeds one community; returns its id. Every statement is set-based, nothing row by row from Node. */
export async function seed(client: pg.Client): Promise<number> {
  const started = performance.now();
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const result = await client.query(sql, params);
    process.stderr.write(`seed: ${label}: ${result.rowCount ?? 0} rows in ${seconds(performance.now() - t)} s\n`);
    return result;
  };
  // A uniform number in [0, 1) from a row number and a stream number: reproducible "randomness".
  await client.query(`CREATE FUNCTION bench_u(i bigint, k int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT (hashint8(i * 1009 + k) & 2147483647)::float8 / 2147483648 $$`);
  const { rows } = await client.query<{ id: number }>(`INSERT INTO "Community"(platform, "externalId", name) VALUES ('discord', 'bench', 'Bench') RETURNING id`);
  const c = rows[0]!.id;
  const start = `'${START}'::timestamptz AT TIME ZONE 'UTC'`;
  const span = `interval '${(DAYS * 86_400) / MESSAGES} seconds'`;

  // Members 1–50 are bots; the others joined over the 60 days before and the 30 days of the data.
  // 5 % came back after leaving once (joinCount 2); 3 % have left.
  await step('members', `
    INSERT INTO "Member"("communityId", "externalId", name, "isBot", roles, "joinedAt", "leftAt", "joinCount", "updatedAt")
    SELECT $1, 'u' || i, 'Member ' || i, i <= ${BOTS}, '{}', j, CASE WHEN bench_u(i, 2) < 0.03 THEN j + bench_u(i, 3) * interval '20 days' END,
           CASE WHEN bench_u(i, 4) < 0.05 THEN 2 ELSE 1 END, now()
    FROM generate_series(1, $2::int) i, LATERAL (SELECT ${start} - interval '60 days' + bench_u(i, 1) * interval '90 days' AS j) joined`, [c, MEMBERS]);
  const m0 = (await client.query<{ id: number }>(`SELECT min(id) AS id FROM "Member" WHERE "communityId" = $1`, [c])).rows[0]!.id;
  await step('channels', `INSERT INTO "Channel"("communityId", "externalId", name) SELECT $1, 'c' || j, 'channel-' || j FROM generate_series(1, ${CHANNELS}) j`, [c]);
  const ch0 = (await client.query<{ id: number }>(`SELECT min(id) AS id FROM "Channel" WHERE "communityId" = $1`, [c])).rows[0]!.id;

  // Messages every few seconds over 30 days. A few members write most (the author is skewed to the
  // low ids), bots write 2 %, 1 % were deleted. 25 % are in a thread and 15 % reply to a message of
  // the same channel a little earlier. Texts are 3–11 words of VOCABULARY, common words more often;
  // on the digest's day 3 % also mention "webinar", a trending topic.
  await step('messages', `
    INSERT INTO "Message"("communityId", "channelId", "authorId", "externalId", text, "threadExternalId", "replyToExternalId", "sentAt", "deletedAt")
    SELECT $1, $2 + (i % ${CHANNELS}),
           CASE WHEN bench_u(i, 7) < 0.02 THEN $3 + floor(bench_u(i, 8) * ${BOTS})::int
                ELSE $3 + ${BOTS} + floor(($4::int - ${BOTS}) * power(bench_u(i, 8), 2.5))::int END,
           'm' || i,
           array_to_string(ARRAY(SELECT ($5::text[])[1 + floor(power(bench_u(i * 16 + w, 9), 2) * cardinality($5::text[]))::int]
                                 FROM generate_series(1, 3 + floor(bench_u(i, 10) * 9)::int) w), ' ')
             || CASE WHEN at >= $6::timestamptz AT TIME ZONE 'UTC' AND at < $7::timestamptz AT TIME ZONE 'UTC' AND bench_u(i, 11) < 0.03 THEN ' webinar' ELSE '' END,
           CASE WHEN r < 0.25 THEN 'm' || (i - ${CHANNELS} * (1 + floor(bench_u(i, 5) * 10))::int) END,
           CASE WHEN r >= 0.25 AND r < 0.4 THEN 'm' || (i - ${CHANNELS} * (1 + floor(bench_u(i, 5) * 10))::int) END,
           at, CASE WHEN bench_u(i, 6) < 0.01 THEN at + interval '1 minute' END
    FROM generate_series(1, $8::int) i, LATERAL (SELECT ${start} + (i - 1) * ${span} AS at, bench_u(i, 4) AS r) x`,
    [c, ch0, m0, MEMBERS, VOCABULARY, dayBoundsUtc(DAY).from, dayBoundsUtc(DAY).to, MESSAGES]);

  // Reactions: 30 % as many as messages, within two hours of the message, by anyone (sometimes its author).
  await step('reactions', `
    INSERT INTO "Reaction"("communityId", "messageExternalId", "memberId", emoji, at)
    SELECT $1, 'm' || n, $2 + ${BOTS} + floor(($3::int - ${BOTS}) * bench_u(r, 21))::int, (ARRAY['👍', '❤️', '😂', '🎉'])[1 + floor(bench_u(r, 22) * 4)::int],
           ${start} + (n - 1) * ${span} + bench_u(r, 23) * interval '2 hours'
    FROM generate_series(1, ($4::int * 3) / 10) r, LATERAL (SELECT 1 + floor(bench_u(r, 20) * $4::int)::int AS n) x
    ON CONFLICT DO NOTHING`, [c, m0, MEMBERS, MESSAGES]);

  // 5 % of people's live messages are questions: 70 % answered within 1–600 minutes (by another
  // member), 30 % of those resolved with an accepted answer; the rest escalated to their team
  // after an hour, and half of those to the managers four hours later.
  await step('questions', `
    INSERT INTO "Question"("communityId", "askerId", "channelExternalId", "messageExternalId", "threadExternalId", text, language, team, status,
                           "askedAt", "deadlineAt", "firstAnswerAt", "firstAnswerMessageId", "answeredById", "acceptedAnswerById", "acceptedAnswerMessageId",
                           "resolvedAt", "resolvedById", "escalationLevel")
    SELECT m."communityId", m."authorId", ch."externalId", m."externalId", m."threadExternalId", m.text || '?', 'en',
           (ARRAY['community', 'billing', 'engineering'])[1 + floor(bench_u(m.id, 31) * 3)::int],
           (CASE WHEN q.answered AND q.accepted THEN 'resolved' WHEN q.answered THEN 'answered' WHEN q.level > 0 THEN 'escalated' ELSE 'open' END)::"QuestionStatus",
           m."sentAt", m."sentAt" + interval '1 hour',
           CASE WHEN q.answered THEN m."sentAt" + (1 + power(bench_u(m.id, 33), 2) * 599) * interval '1 minute' END,
           CASE WHEN q.answered THEN 'answer-' || m."externalId" END,
           CASE WHEN q.answered THEN q.helper END,
           CASE WHEN q.answered AND q.accepted THEN q.helper END,
           CASE WHEN q.answered AND q.accepted THEN 'answer-' || m."externalId" END,
           CASE WHEN q.answered AND q.accepted THEN m."sentAt" + (1 + power(bench_u(m.id, 33), 2) * 599) * interval '1 minute' + interval '30 minutes' END,
           CASE WHEN q.answered AND q.accepted THEN m."authorId" END,
           q.level
    FROM "Message" m JOIN "Channel" ch ON ch.id = m."channelId" JOIN "Member" a ON a.id = m."authorId",
         LATERAL (SELECT bench_u(m.id, 32) < 0.7 AS answered, bench_u(m.id, 34) < 0.3 AS accepted,
                         CASE WHEN bench_u(m.id, 32) < 0.7 THEN 0 WHEN bench_u(m.id, 35) < 0.5 THEN 1 ELSE 2 END AS level,
                         $2 + ${BOTS} + floor(($3::int - ${BOTS}) * power(bench_u(m.id, 36), 2))::int AS helper) q
    WHERE m."communityId" = $1 AND NOT a."isBot" AND m."deletedAt" IS NULL AND bench_u(m.id, 30) < 0.05`, [c, m0, MEMBERS]);
  await step('escalations', `
    INSERT INTO "QuestionEscalation"("questionId", level, team, at)
    SELECT q.id, l, CASE WHEN l = 1 THEN q.team ELSE 'managers' END, q."askedAt" + CASE WHEN l = 1 THEN interval '1 hour' ELSE interval '5 hours' END
    FROM "Question" q, generate_series(1, 2) l WHERE q."communityId" = $1 AND l <= q."escalationLevel"`, [c]);

  // Moderation: 3,000 cases over the 30 days, automod ones naming their rules.
  await step('moderation cases', `
    INSERT INTO "ModerationCase"("communityId", number, "memberId", kind, rules, reason, points, "createdAt")
    SELECT $1, n, $2 + ${BOTS} + floor(($3::int - ${BOTS}) * bench_u(n, 41))::int, kind::"CaseKind",
           CASE WHEN kind = 'automod' THEN ARRAY[(ARRAY['flood', 'repeats', 'links', 'invites', 'mentions', 'bannedWords'])[1 + floor(bench_u(n, 43) * 6)::int]]
                                               || CASE WHEN bench_u(n, 44) < 0.2 THEN ARRAY['caps'] ELSE '{}'::text[] END
                ELSE '{}'::text[] END,
           'seeded', 1, ${start} + bench_u(n, 45) * interval '${DAYS} days'
    FROM generate_series(1, 3000) n,
         LATERAL (SELECT (ARRAY['automod', 'automod', 'automod', 'warn', 'warn', 'timeout', 'kick', 'ban', 'purge'])[1 + floor(bench_u(n, 42) * 9)::int] AS kind) k`,
    [c, m0, MEMBERS]);

  // Polls: two a day, each open a day, three choices and up to 300 voters.
  await step('polls', `
    INSERT INTO "Poll"("communityId", number, "channelExternalId", question, nonce, "createdAt", "closesAt", "closedAt")
    SELECT $1, n, 'c' || (1 + n % ${CHANNELS}), 'Poll number ' || n || '?', 'nonce' || n, at, at + interval '1 day', at + interval '1 day'
    FROM generate_series(1, ${DAYS * 2}) n, LATERAL (SELECT ${start} + (n - 1) * interval '12 hours' + bench_u(n, 51) * interval '6 hours' AS at) x`, [c]);
  await step('poll options', `
    INSERT INTO "PollOption"("pollId", position, label) SELECT p.id, o, (ARRAY['Yes', 'No', 'Maybe'])[o] FROM "Poll" p, generate_series(1, 3) o WHERE p."communityId" = $1`, [c]);
  await step('poll votes', `
    INSERT INTO "PollVote"("pollId", "optionId", "memberId", slot, "createdAt", "updatedAt")
    SELECT p.id, o.id, $2 + ${BOTS} + floor(($3::int - ${BOTS}) * bench_u(p.id * 1000 + v, 53))::int, 0, p."createdAt", p."createdAt"
    FROM "Poll" p, generate_series(1, 300) v, "PollOption" o
    WHERE p."communityId" = $1 AND o."pollId" = p.id AND o.position = 1 + floor(bench_u(p.id * 1000 + v, 52) * 3)::int
    ON CONFLICT DO NOTHING`, [c, m0, MEMBERS]);

  await step('feedback', `
    INSERT INTO "Feedback"("communityId", number, "authorId", category, text, status, "createdAt")
    SELECT $1, n, $2 + ${BOTS} + floor(($3::int - ${BOTS}) * bench_u(n, 61))::int,
           (ARRAY['bug', 'idea', 'praise', 'question', 'other'])[1 + floor(bench_u(n, 62) * 5)::int],
           array_to_string(ARRAY(SELECT ($4::text[])[1 + floor(bench_u(n * 16 + w, 63) * cardinality($4::text[]))::int] FROM generate_series(1, 4 + n % 5) w), ' '),
           (ARRAY['open', 'open', 'planned', 'in_progress', 'done', 'declined'])[1 + floor(bench_u(n, 64) * 6)::int]::"FeedbackStatus",
           ${start} + bench_u(n, 65) * interval '${DAYS} days'
    FROM generate_series(1, 1500) n`, [c, m0, MEMBERS, VOCABULARY]);
  await step('nominations', `
    INSERT INTO "AmbassadorNomination"("communityId", "memberId", status, nonce, "createdAt")
    SELECT $1, $2 + ${BOTS} + n * 7, (ARRAY['pending', 'approved', 'declined'])[1 + floor(bench_u(n, 71) * 3)::int]::"NominationStatus", 'nonce' || n,
           ${start} + bench_u(n, 72) * interval '${DAYS} days'
    FROM generate_series(1, 120) n`, [c, m0]);
  await step('tiers', `
    INSERT INTO "EngagementProfile"("memberId", interests, tier, "tierChangedAt")
    SELECT $1 + ${BOTS} + n * 9, '{}', (ARRAY['member', 'regular', 'champion'])[1 + floor(bench_u(n, 81) * 3)::int], ${start} + bench_u(n, 82) * interval '${DAYS} days'
    FROM generate_series(1, ($2::int - ${BOTS}) / 10) n`, [m0, MEMBERS]);
  await client.query('DROP FUNCTION bench_u(bigint, int)');
  const t = performance.now();
  await client.query('ANALYZE');
  process.stderr.write(`seed: ANALYZE in ${seconds(performance.now() - t)} s; seeded in ${seconds(performance.now() - started)} s\n`);
  return c;
}

/** The UTC bounds of DAY in TIME_ZONE (Asia/Jakarta has no daylight saving time: UTC+7). */
function dayBoundsUtc(day: string): { from: string; to: string } {
  const from = new Date(`${day}T00:00:00+07:00`);
  return { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
}

/**
 * The digest's figures in one statement, written from the README's definitions. Stored times are
 * UTC without a zone; local days are `(t AT TIME ZONE 'UTC') AT TIME ZONE $2`. Unlike the engine
 * (one statement per period), the three periods are days of the 14-day window, so everything
 * per day is one pass grouped by local day. Parameters: $1 community, $2 time zone, $3 day,
 * $4 stop words, $5 topics, $6 threads, $7 leaders, $8 unanswered listed.
 */
export const HAND_WRITTEN_DIGEST = `
WITH win AS (
  SELECT (($3::date - 13)::timestamp AT TIME ZONE $2) AT TIME ZONE 'UTC' AS chart_from,
         (($3::date - 7)::timestamp AT TIME ZONE $2) AT TIME ZONE 'UTC' AS week_from,
         ($3::date::timestamp AT TIME ZONE $2) AT TIME ZONE 'UTC' AS day_from,
         (($3::date + 1)::timestamp AT TIME ZONE $2) AT TIME ZONE 'UTC' AS day_to
),
days AS (SELECT g::date AS day FROM generate_series($3::date - 13, $3::date, interval '1 day') g),
people AS (SELECT id, "externalId", name, "leftAt" FROM "Member" WHERE "communityId" = $1 AND NOT "isBot"),
msgs AS MATERIALIZED (
  SELECT m.id, m."externalId", m."authorId", m."sentAt", m.text, m."threadExternalId", m."replyToExternalId",
         coalesce(m."threadExternalId", m."replyToExternalId") AS root,
         ((m."sentAt" AT TIME ZONE 'UTC') AT TIME ZONE $2)::date AS day
  FROM "Message" m, win
  WHERE m."communityId" = $1 AND m."deletedAt" IS NULL AND m."sentAt" >= win.chart_from AND m."sentAt" < win.day_to
    AND EXISTS (SELECT 1 FROM people p WHERE p.id = m."authorId")
),
talk AS (
  SELECT day, count(*)::int AS messages, count(DISTINCT "authorId")::int AS active,
         count(DISTINCT root)::int AS conversations, count(root)::int AS replies
  FROM msgs GROUP BY day
),
joins AS (
  SELECT ((m."joinedAt" AT TIME ZONE 'UTC') AT TIME ZONE $2)::date AS day,
         count(*) FILTER (WHERE m."joinCount" <= 1)::int AS new, count(*) FILTER (WHERE m."joinCount" > 1)::int AS returning
  FROM "Member" m, win WHERE m."communityId" = $1 AND NOT m."isBot" AND m."joinedAt" >= win.chart_from AND m."joinedAt" < win.day_to GROUP BY 1
),
lefts AS (
  SELECT ((m."leftAt" AT TIME ZONE 'UTC') AT TIME ZONE $2)::date AS day, count(*)::int AS n
  FROM "Member" m, win WHERE m."communityId" = $1 AND NOT m."isBot" AND m."leftAt" >= win.chart_from AND m."leftAt" < win.day_to GROUP BY 1
),
asked AS (
  SELECT ((q."askedAt" AT TIME ZONE 'UTC') AT TIME ZONE $2)::date AS day, count(*)::int AS asked, count(q."firstAnswerAt")::int AS answered,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM q."firstAnswerAt" - q."askedAt")) AS median_s
  FROM "Question" q, win WHERE q."communityId" = $1 AND q."askedAt" >= win.chart_from AND q."askedAt" < win.day_to GROUP BY 1
),
esc AS (
  SELECT ((e.at AT TIME ZONE 'UTC') AT TIME ZONE $2)::date AS day, e.team, e.level
  FROM "QuestionEscalation" e JOIN "Question" q ON q.id = e."questionId", win
  WHERE q."communityId" = $1 AND e.at >= win.chart_from AND e.at < win.day_to
),
cases AS (
  SELECT ((c."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE $2)::date AS day, c.kind::text AS kind, c.rules
  FROM "ModerationCase" c, win WHERE c."communityId" = $1 AND c."createdAt" >= win.chart_from AND c."createdAt" < win.day_to
),
fb AS (
  SELECT ((f."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE $2)::date AS day, f.id, f.category, f.status::text AS status, f.text
  FROM "Feedback" f, win WHERE f."communityId" = $1 AND f."createdAt" >= win.chart_from AND f."createdAt" < win.day_to
),
noms AS (
  SELECT ((n."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE $2)::date AS day, n."createdAt", n.id, n."memberId", n.status::text AS status
  FROM "AmbassadorNomination" n, win WHERE n."communityId" = $1 AND n."createdAt" >= win.chart_from AND n."createdAt" < win.day_to
),
per_day AS (
  SELECT d.day,
    jsonb_build_object(
      'newMembers', coalesce(j.new, 0), 'returningMembers', coalesce(j.returning, 0), 'leftMembers', coalesce(l.n, 0),
      'activeMembers', coalesce(t.active, 0), 'messages', coalesce(t.messages, 0), 'conversations', coalesce(t.conversations, 0), 'replies', coalesce(t.replies, 0),
      'questionsAsked', coalesce(a.asked, 0), 'questionsAnswered', coalesce(a.answered, 0),
      'answeredRate', CASE WHEN a.asked > 0 THEN round(a.answered * 1000.0 / a.asked) / 10 END,
      'medianMinutesToFirstAnswer', round((a.median_s / 6)::numeric) / 10,
      'escalations', (SELECT count(*) FROM esc WHERE esc.day = d.day),
      'moderationCases', (SELECT count(*) FROM cases WHERE cases.day = d.day),
      'feedback', (SELECT count(*) FROM fb WHERE fb.day = d.day),
      'nominations', (SELECT count(*) FROM noms WHERE noms.day = d.day)
    ) AS figures
  FROM days d LEFT JOIN talk t ON t.day = d.day LEFT JOIN joins j ON j.day = d.day LEFT JOIN lefts l ON l.day = d.day LEFT JOIN asked a ON a.day = d.day
),
-- The involvement score of the day, undecayed: each counted message (a person's, live, not a reply to
-- oneself) and the message it answers (by reply or thread), if that one is live.
counted AS (
  SELECT m.id, m."authorId" AS author, m."sentAt", par.id AS parent, par."authorId" AS parent_author,
         par."authorId" IS NOT NULL AND EXISTS (SELECT 1 FROM people p WHERE p.id = par."authorId") AS to_person
  FROM msgs m
  LEFT JOIN "Message" par ON par."communityId" = $1 AND par."externalId" = coalesce(m."replyToExternalId", m."threadExternalId") AND par."deletedAt" IS NULL
  WHERE m.day = $3::date AND (par."authorId" IS NULL OR par."authorId" <> m."authorId")
),
answered_to AS (SELECT * FROM counted WHERE to_person),
gaps AS (
  SELECT author, "sentAt", CASE WHEN "sentAt" - lag("sentAt") OVER w <= interval '30 minutes' THEN 0 ELSE 1 END AS starts
  FROM counted WINDOW w AS (PARTITION BY author ORDER BY "sentAt")
),
sessions AS (
  SELECT author, least(60, greatest(1, extract(epoch FROM max("sentAt") - min("sentAt")) / 60)) AS minutes
  FROM (SELECT author, "sentAt", sum(starts) OVER (PARTITION BY author ORDER BY "sentAt") AS session FROM gaps) s GROUP BY author, session
),
parts AS (
  SELECT author AS member, 'reply' AS kind, 2 * count(*)::numeric AS points FROM answered_to GROUP BY author
  UNION ALL SELECT parent_author, 'conversationStarted', 3 * count(DISTINCT parent) FROM answered_to GROUP BY parent_author
  UNION ALL SELECT member, 'distinctMember', 4 * count(DISTINCT other) FROM (
    SELECT author AS member, parent_author AS other FROM answered_to UNION SELECT parent_author, author FROM answered_to) pairs GROUP BY member
  UNION ALL SELECT q."acceptedAnswerById", 'answerAccepted', 10 * count(*) FROM "Question" q, win
    WHERE q."communityId" = $1 AND q."acceptedAnswerById" <> q."askerId"
      AND coalesce(q."resolvedAt", q."askedAt") >= win.day_from AND coalesce(q."resolvedAt", q."askedAt") < win.day_to GROUP BY 1
  UNION ALL SELECT author, 'reactionReceived', count(*) FROM (
    SELECT DISTINCT m."authorId" AS author, r."memberId", m.id FROM "Reaction" r, win, "Message" m
    WHERE r."communityId" = $1 AND r.at >= win.day_from AND r.at < win.day_to
      AND m."communityId" = $1 AND m."externalId" = r."messageExternalId" AND m."deletedAt" IS NULL AND r."memberId" <> m."authorId"
      AND EXISTS (SELECT 1 FROM people p WHERE p.id = r."memberId")) reacted GROUP BY author
  UNION ALL SELECT author, 'activeDay', 1 FROM counted GROUP BY author
  UNION ALL SELECT author, 'sessionMinute', 0.05 * sum(minutes)::numeric FROM sessions GROUP BY author
),
scores AS (
  SELECT p.id, p."externalId", round(sum(round(parts.points, 2)), 2) AS score
  FROM parts JOIN people p ON p.id = parts.member WHERE p."leftAt" IS NULL GROUP BY p.id, p."externalId"
),
words AS (
  SELECT DISTINCT m.id, m.day = $3::date AS today, w.term
  FROM msgs m, win, regexp_split_to_table(lower(m.text), '[^[:alnum:]]+') AS w(term)
  WHERE m."sentAt" >= win.week_from AND length(w.term) >= 4 AND w.term !~ '^[0-9]+$' AND w.term <> ALL($4::text[])
),
topics AS (
  SELECT term, count(*) FILTER (WHERE today) AS day, count(*) FILTER (WHERE NOT today) AS previous
  FROM words GROUP BY term HAVING count(*) FILTER (WHERE today) >= 2
),
busy AS (
  SELECT root, count(*) AS replies FROM msgs WHERE day = $3::date AND root IS NOT NULL GROUP BY root HAVING count(*) >= 2
),
closed AS (
  SELECT p.id, p.number, p."closedAt" FROM "Poll" p, win WHERE p."communityId" = $1 AND p."closedAt" >= win.day_from AND p."closedAt" < win.day_to
)
SELECT
  (SELECT jsonb_object_agg(day, figures) FROM per_day WHERE day IN ($3::date, $3::date - 1, $3::date - 7)) AS figures,
  (SELECT jsonb_agg(jsonb_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'messages', coalesce(t.messages, 0), 'activeMembers', coalesce(t.active, 0)) ORDER BY d.day)
     FROM days d LEFT JOIN talk t ON t.day = d.day) AS activity,
  (SELECT jsonb_agg(jsonb_build_object('member', s."externalId", 'score', round(s.score, 1)) ORDER BY s.score DESC, s.id)
     FROM (SELECT * FROM scores WHERE score > 0 ORDER BY score DESC, id LIMIT $7) s) AS leaders,
  (SELECT jsonb_agg(jsonb_build_object('term', term, 'day', day, 'previousWeek', previous) ORDER BY rank DESC, day DESC, term)
     FROM (SELECT *, day * 7.0 / (previous + 1) AS rank FROM topics ORDER BY rank DESC, day DESC, term LIMIT $5) t) AS topics,
  (SELECT jsonb_agg(jsonb_build_object('root', root, 'replies', replies) ORDER BY replies DESC, root)
     FROM (SELECT * FROM busy ORDER BY replies DESC, root LIMIT $6) b) AS threads,
  (SELECT jsonb_build_object('total', count(*), 'first', (array_agg(q."messageExternalId" ORDER BY q."askedAt", q.id))[1:$8])
     FROM "Question" q, win WHERE q."communityId" = $1 AND q."firstAnswerAt" IS NULL AND q.status IN ('open', 'escalated') AND q."askedAt" < win.day_to) AS unanswered,
  (SELECT jsonb_agg(jsonb_build_object('team', team, 'level', level, 'count', n) ORDER BY team, level)
     FROM (SELECT team, level, count(*) AS n FROM esc WHERE day = $3::date GROUP BY team, level) e) AS escalations,
  (SELECT jsonb_agg(jsonb_build_object('kind', kind, 'count', n) ORDER BY n DESC, kind)
     FROM (SELECT kind, count(*) AS n FROM cases WHERE day = $3::date GROUP BY kind) k) AS cases_by_kind,
  (SELECT jsonb_agg(jsonb_build_object('rule', rule, 'count', n) ORDER BY n DESC, rule)
     FROM (SELECT rule, count(*) AS n FROM cases, unnest(rules) rule WHERE day = $3::date GROUP BY rule) r) AS cases_by_rule,
  (SELECT jsonb_agg(jsonb_build_object('number', c.number, 'voters', (SELECT count(DISTINCT v."memberId") FROM "PollVote" v WHERE v."pollId" = c.id),
                                       'options', (SELECT jsonb_agg(jsonb_build_object('label', o.label, 'votes', (SELECT count(*) FROM "PollVote" v WHERE v."optionId" = o.id)) ORDER BY o.position)
                                                   FROM "PollOption" o WHERE o."pollId" = c.id)) ORDER BY c."closedAt", c.number)
     FROM closed c) AS polls,
  (SELECT jsonb_agg(jsonb_build_object('category', category, 'count', n) ORDER BY n DESC, category)
     FROM (SELECT category, count(*) AS n FROM fb WHERE day = $3::date GROUP BY category) x) AS feedback_by_category,
  (SELECT jsonb_agg(jsonb_build_object('status', status, 'count', n) ORDER BY n DESC, status)
     FROM (SELECT status, count(*) AS n FROM fb WHERE day = $3::date GROUP BY status) x) AS feedback_by_status,
  (SELECT jsonb_agg(jsonb_build_object('term', term, 'items', n) ORDER BY n DESC, term)
     FROM (SELECT w.term, count(DISTINCT fb.id) AS n FROM fb, regexp_split_to_table(lower(fb.text), '[^[:alnum:]]+') AS w(term)
           WHERE fb.day = $3::date AND length(w.term) >= 4 AND w.term !~ '^[0-9]+$' AND w.term <> ALL($4::text[])
           GROUP BY w.term HAVING count(DISTINCT fb.id) >= 2 ORDER BY n DESC, w.term LIMIT 10) x) AS feedback_themes,
  (SELECT jsonb_agg(m."externalId" ORDER BY e."tierChangedAt", m.id)
     FROM "EngagementProfile" e JOIN "Member" m ON m.id = e."memberId", win
     WHERE m."communityId" = $1 AND e.tier IS NOT NULL AND e."tierChangedAt" >= win.day_from AND e."tierChangedAt" < win.day_to) AS tier_changes,
  (SELECT jsonb_agg(jsonb_build_object('member', m."externalId", 'status', n.status) ORDER BY n."createdAt", n.id)
     FROM noms n JOIN "Member" m ON m.id = n."memberId" WHERE n.day = $3::date) AS nominations
`;

type Json = Record<string, unknown>;
const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The engine's digest reduced to what the hand-written query computes, in the same shape. */
function fromEngine(d: DigestData): Json {
  const byPeriod = (period: 'value' | 'dayBefore' | 'weekBefore') => Object.fromEntries(Object.entries(d.figures).map(([name, f]) => [name, f[period]]));
  return {
    figures: { [DAY]: byPeriod('value'), [shiftDay(DAY, -1)]: byPeriod('dayBefore'), [shiftDay(DAY, -7)]: byPeriod('weekBefore') },
    activity: d.activity,
    leaders: d.leaders.map((l) => ({ member: l.member, score: l.score })),
    topics: d.topics,
    threads: d.threads.map((t) => ({ root: t.root, replies: t.replies })),
    unanswered: { total: d.unanswered.total, first: d.unanswered.items.map((q) => q.id) },
    escalations: d.escalationsByTeam,
    casesByKind: d.moderation.byKind,
    casesByRule: d.moderation.byRule,
    polls: d.polls.map((p) => ({ number: p.number, voters: p.voters, options: p.options })),
    feedbackByCategory: d.feedback.byCategory,
    feedbackByStatus: d.feedback.byStatus,
    feedbackThemes: d.feedback.themes,
    tierChanges: d.tierChanges.map((t) => t.member),
    nominations: d.nominations.map((n) => ({ member: n.member, status: n.status })),
  };
}

/** The hand-written query's row in the same shape (JSON numbers; empty aggregates as []). */
function fromHandWritten(row: Json): Json {
  const list = (value: unknown) => (value ?? []) as unknown[];
  return {
    figures: row.figures,
    activity: row.activity,
    leaders: list(row.leaders),
    topics: list(row.topics),
    threads: list(row.threads),
    unanswered: { total: (row.unanswered as Json).total, first: list((row.unanswered as Json).first) },
    escalations: list(row.escalations),
    casesByKind: list(row.cases_by_kind),
    casesByRule: list(row.cases_by_rule),
    polls: list(row.polls),
    feedbackByCategory: list(row.feedback_by_category),
    feedbackByStatus: list(row.feedback_by_status),
    feedbackThemes: list(row.feedback_themes),
    tierChanges: list(row.tier_changes),
    nominations: list(row.nominations),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Seeds, times both, compares; 1 when the figures differ or a target is missed. */
async function main(): Promise<number> {
  const scratch = await createScratchPostgres();
  const database = await openDatabase({ databaseUrl: scratch.url });
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  let failed = false;
  try {
    const communityId = await seed(client);
    const community = await database.prisma.community.findUniqueOrThrow({ where: { id: communityId } });
    const config = { ...loadConfig().for('discord', 'bench'), timeZone: TIME_ZONE };
    const limits = config.digest.limits;
    const params = [communityId, TIME_ZONE, DAY, STOPWORDS, limits.topics, limits.threads, limits.leaders, limits.unanswered];
    const engineMs: number[] = [];
    // The hand-written query as the server runs it (JIT on, PostgreSQL's default) and with JIT off
    // (as the engine's digest transaction runs): the faster of the two is the yardstick.
    const handMs: number[] = [];
    const handNoJitMs: number[] = [];
    let engineData: DigestData | undefined;
    const handRows: Json[] = [];
    const loadBefore = loadavg()[0]!;
    // One untimed run of each first (plans, caches), then alternate so all see the same conditions.
    for (let run = 0; run <= RUNS; run++) {
      let t = performance.now();
      engineData = await computeDigest(database.prisma, community, config, DAY);
      if (run) engineMs.push(performance.now() - t);
      t = performance.now();
      handRows.push((await client.query<Json>(HAND_WRITTEN_DIGEST, params)).rows[0]!);
      if (run) handMs.push(performance.now() - t);
      await client.query('SET jit = off');
      t = performance.now();
      handRows.push((await client.query<Json>(HAND_WRITTEN_DIGEST, params)).rows[0]!);
      if (run) handNoJitMs.push(performance.now() - t);
      await client.query('RESET jit');
    }
    const loadAfter = loadavg()[0]!;
    const engine = fromEngine(engineData!);
    const hand = fromHandWritten(handRows.at(-1)!);
    const differing = Object.keys(engine).filter((key) => !isDeepStrictEqual(engine[key], hand[key]));
    if (handRows.some((row) => !isDeepStrictEqual(row, handRows[0]))) differing.push('(the hand-written query gave different answers across runs)');
    const counts = (await client.query<Json>(`SELECT (SELECT count(*) FROM "Message")::int AS messages, (SELECT count(*) FROM "Member")::int AS members,
      (SELECT count(*) FROM "Reaction")::int AS reactions, (SELECT count(*) FROM "Question")::int AS questions`)).rows[0]!;
    const yardstick = Math.min(median(handMs), median(handNoJitMs));
    const ratio = median(engineMs) / yardstick;
    console.log(`data: ${counts.messages} messages, ${counts.members} members, ${counts.reactions} reactions, ${counts.questions} questions over ${DAYS} days; digest of ${DAY} (${TIME_ZONE}); ${RUNS} runs each after one warm-up`);
    console.log(`machine: ${cpus().length} cores, load average ${loadBefore.toFixed(1)} before the runs and ${loadAfter.toFixed(1)} after`);
    console.log('');
    console.log('| digest of one day | median s | min s |');
    console.log('|---|---|---|');
    console.log(`| (a) engine: computeDigest (as \`guyub digest\` and the daily job) | ${seconds(median(engineMs))} | ${seconds(Math.min(...engineMs))} |`);
    console.log(`| (b) one hand-written SQL statement (bench/digest.ts), server defaults (JIT on) | ${seconds(median(handMs))} | ${seconds(Math.min(...handMs))} |`);
    console.log(`| (b') the same statement with JIT off | ${seconds(median(handNoJitMs))} | ${seconds(Math.min(...handNoJitMs))} |`);
    console.log(`| ratio (a) / faster of (b) and (b'), medians | ${ratio.toFixed(2)} | |`);
    console.log('');
    console.log(`day: ${engineData!.figures.messages.value} messages, ${engineData!.figures.activeMembers.value} active members, ${engineData!.leaders.length} leaders, ${engineData!.topics.length} topics, ${engineData!.threads.length} threads`);
    if (differing.length) {
      failed = true;
      for (const key of differing) console.log(`DIFFERENT ${key}:\n  engine: ${JSON.stringify(engine[key])}\n  hand:   ${JSON.stringify(hand[key])}`);
    } else console.log(`same figures: yes (${Object.keys(engine).join(', ')})`);
    const targets = { 'under 5 s': median(engineMs) < 5_000, 'within 3× the hand-written query': ratio <= 3 };
    for (const [target, met] of Object.entries(targets)) {
      console.log(`${met ? 'met' : 'NOT MET'}: ${target}`);
      if (!met) failed = true;
    }
  } finally {
    await client.end();
    await database.close();
    await scratch.drop();
  }
  return failed ? 1 : 0;
}

if (process.argv[1]?.endsWith('digest.ts')) process.exitCode = await main();

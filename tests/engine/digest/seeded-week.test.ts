// Issue 9, done-when 2: a replay of a seeded week gives a digest whose figures match SQL written
// here, from the README's definitions (not src/engine/digest), and a chart image.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import type { Action } from '../../../src/contracts/index.js';
import { VirtualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { packageRoot } from '../../../src/core/paths.js';
import { createScratchPostgres, openDatabase, type Database, type ScratchPostgres } from '../../../src/db/index.js';
import { createCapabilities } from '../../../src/engine/capabilities.js';
import type { DigestData } from '../../../src/engine/digest/index.js';
import { STOPWORDS } from '../../../src/engine/feedback/stats.js';
import { InMemoryRateCounters } from '../../../src/engine/moderation/automod/index.js';
import { Engine } from '../../../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../../../src/jobs/in-process-scheduler.js';
import { seededWeek, WEEK } from '../../fixtures/digest/seeded-week.js';
import { withClient } from '../../support/postgres.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const dayShift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Bounds of a local day, in the stored (UTC, zone-less) timestamps: `$2` the day, `$3` the time zone. */
const DAY_BOUNDS = `SELECT ($2::date::timestamp AT TIME ZONE $3) AT TIME ZONE 'UTC' AS f, (($2::date + 1)::timestamp AT TIME ZONE $3) AT TIME ZONE 'UTC' AS t`;

/** The digest's fifteen figures of one local day. */
async function figuresBySql(client: pg.Client, communityId: number, day: string): Promise<Record<string, number | null>> {
  const { rows } = await client.query(
    `WITH b AS (${DAY_BOUNDS}),
     talk AS (
       SELECT m.* FROM "Message" m JOIN "Member" a ON a.id = m."authorId", b
       WHERE m."communityId" = $1 AND NOT a."isBot" AND m."deletedAt" IS NULL AND m."sentAt" >= b.f AND m."sentAt" < b.t
     ),
     asked AS (SELECT q.* FROM "Question" q, b WHERE q."communityId" = $1 AND q."askedAt" >= b.f AND q."askedAt" < b.t)
     SELECT
       (SELECT count(*) FROM "Member" m, b WHERE m."communityId" = $1 AND NOT m."isBot" AND m."joinCount" <= 1 AND m."joinedAt" >= b.f AND m."joinedAt" < b.t)::int AS "newMembers",
       (SELECT count(*) FROM "Member" m, b WHERE m."communityId" = $1 AND NOT m."isBot" AND m."joinCount" > 1 AND m."joinedAt" >= b.f AND m."joinedAt" < b.t)::int AS "returningMembers",
       (SELECT count(*) FROM "Member" m, b WHERE m."communityId" = $1 AND NOT m."isBot" AND m."leftAt" >= b.f AND m."leftAt" < b.t)::int AS "leftMembers",
       (SELECT count(DISTINCT "authorId") FROM talk)::int AS "activeMembers",
       (SELECT count(*) FROM talk)::int AS "messages",
       (SELECT count(DISTINCT coalesce("threadExternalId", "replyToExternalId")) FROM talk)::int AS "conversations",
       (SELECT count(*) FROM talk WHERE "threadExternalId" IS NOT NULL OR "replyToExternalId" IS NOT NULL)::int AS "replies",
       (SELECT count(*) FROM asked)::int AS "questionsAsked",
       (SELECT count(*) FROM asked WHERE "firstAnswerAt" IS NOT NULL)::int AS "questionsAnswered",
       (SELECT round(100.0 * count("firstAnswerAt") / nullif(count(*), 0), 1) FROM asked)::float8 AS "answeredRate",
       (SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "firstAnswerAt" - "askedAt") / 60))::numeric, 1)
          FROM asked WHERE "firstAnswerAt" IS NOT NULL)::float8 AS "medianMinutesToFirstAnswer",
       (SELECT count(*) FROM "QuestionEscalation" e JOIN "Question" q ON q.id = e."questionId", b WHERE q."communityId" = $1 AND e.at >= b.f AND e.at < b.t)::int AS "escalations",
       (SELECT count(*) FROM "ModerationCase" c, b WHERE c."communityId" = $1 AND c."createdAt" >= b.f AND c."createdAt" < b.t)::int AS "moderationCases",
       (SELECT count(*) FROM "Feedback" f, b WHERE f."communityId" = $1 AND f."createdAt" >= b.f AND f."createdAt" < b.t)::int AS "feedback",
       (SELECT count(*) FROM "AmbassadorNomination" n, b WHERE n."communityId" = $1 AND n."createdAt" >= b.f AND n."createdAt" < b.t)::int AS "nominations"`,
    [communityId, day, WEEK.timeZone],
  );
  return rows[0] as Record<string, number | null>;
}

/** The day's lists: activity over 14 days, unanswered questions, escalations, moderation, polls, feedback and topics. */
async function listsBySql(client: pg.Client, communityId: number, day: string) {
  const query = async <T,>(sql: string, params: unknown[] = [communityId, day, WEEK.timeZone]) => (await client.query(sql, params)).rows as T[];
  const activity = await query(
    `SELECT to_char(d, 'YYYY-MM-DD') AS day,
            (SELECT count(*) FROM "Message" m JOIN "Member" a ON a.id = m."authorId"
              WHERE m."communityId" = $1 AND NOT a."isBot" AND m."deletedAt" IS NULL AND ((m."sentAt" AT TIME ZONE 'UTC') AT TIME ZONE $3)::date = d)::int AS messages,
            (SELECT count(DISTINCT m."authorId") FROM "Message" m JOIN "Member" a ON a.id = m."authorId"
              WHERE m."communityId" = $1 AND NOT a."isBot" AND m."deletedAt" IS NULL AND ((m."sentAt" AT TIME ZONE 'UTC') AT TIME ZONE $3)::date = d)::int AS "activeMembers"
     FROM generate_series($2::date - 13, $2::date, interval '1 day') AS g(d) ORDER BY d`,
  );
  const [unanswered] = await query<{ total: number }>(
    `WITH b AS (${DAY_BOUNDS}) SELECT count(*)::int AS total FROM "Question" q, b
     WHERE q."communityId" = $1 AND q."firstAnswerAt" IS NULL AND q.status IN ('open', 'escalated') AND q."askedAt" < b.t`,
  );
  const escalationsByTeam = await query(
    `WITH b AS (${DAY_BOUNDS}) SELECT e.team, e.level, count(*)::int AS count FROM "QuestionEscalation" e JOIN "Question" q ON q.id = e."questionId", b
     WHERE q."communityId" = $1 AND e.at >= b.f AND e.at < b.t GROUP BY e.team, e.level ORDER BY e.team, e.level`,
  );
  const byKind = await query(
    `WITH b AS (${DAY_BOUNDS}) SELECT c.kind::text AS kind, count(*)::int AS count FROM "ModerationCase" c, b
     WHERE c."communityId" = $1 AND c."createdAt" >= b.f AND c."createdAt" < b.t GROUP BY c.kind ORDER BY count DESC, kind`,
  );
  const byRule = await query(
    `WITH b AS (${DAY_BOUNDS}) SELECT rule, count(*)::int AS count FROM "ModerationCase" c, unnest(c.rules) AS rule, b
     WHERE c."communityId" = $1 AND c."createdAt" >= b.f AND c."createdAt" < b.t GROUP BY rule ORDER BY count DESC, rule`,
  );
  const polls = await query(
    `WITH b AS (${DAY_BOUNDS})
     SELECT p.question, (SELECT count(DISTINCT v."memberId") FROM "PollVote" v WHERE v."pollId" = p.id)::int AS voters,
            (SELECT json_agg(json_build_object('label', o.label, 'votes', (SELECT count(*) FROM "PollVote" v WHERE v."optionId" = o.id)) ORDER BY o.position)
               FROM "PollOption" o WHERE o."pollId" = p.id) AS options
     FROM "Poll" p, b WHERE p."communityId" = $1 AND p."closedAt" >= b.f AND p."closedAt" < b.t ORDER BY p."closedAt", p.number`,
  );
  const feedbackByCategory = await query(
    `WITH b AS (${DAY_BOUNDS}) SELECT category, count(*)::int AS count FROM "Feedback" f, b
     WHERE f."communityId" = $1 AND f."createdAt" >= b.f AND f."createdAt" < b.t GROUP BY category ORDER BY count DESC, category`,
  );
  // Words of four letters or more in two of the day's messages or more, ranked by the day's count
  // against their daily rate over the 7 days before (README, "trending topics").
  const topics = await query(
    `WITH b AS (${DAY_BOUNDS}),
     words AS (
       SELECT DISTINCT m.id, m."sentAt" >= b.f AS today, w AS term
       FROM "Message" m JOIN "Member" a ON a.id = m."authorId", b, regexp_split_to_table(lower(m.text), '[^[:alnum:]]+') AS w
       WHERE m."communityId" = $1 AND NOT a."isBot" AND m."deletedAt" IS NULL AND m."sentAt" >= b.f - interval '7 days' AND m."sentAt" < b.t
         AND length(w) >= 4 AND w !~ '^[0-9]+$' AND w <> ALL($4::text[])
     ),
     counted AS (SELECT term, count(*) FILTER (WHERE today)::int AS day, count(*) FILTER (WHERE NOT today)::int AS "previousWeek" FROM words GROUP BY term)
     SELECT * FROM counted WHERE day >= 2 ORDER BY day * 7.0 / ("previousWeek" + 1) DESC, day DESC, term LIMIT $5`,
    [communityId, day, WEEK.timeZone, STOPWORDS, loadConfig().for('discord', WEEK.community).digest.limits.topics],
  );
  return { activity, unanswered: unanswered!.total, escalationsByTeam, moderation: { byKind, byRule }, polls, feedbackByCategory, topics };
}

describe('the digest of a replayed, seeded week', () => {
  let scratch: ScratchPostgres;
  let database: Database;
  const configDir = mkdtempSync(path.join(tmpdir(), 'guyub-week-'));
  const jobActions: Action[] = [];

  beforeAll(async () => {
    copyFileSync(path.join(packageRoot, 'config/default.yaml'), path.join(configDir, 'default.yaml'));
    mkdirSync(path.join(configDir, 'communities'));
    writeFileSync(path.join(configDir, 'communities/w1.yaml'), `community: ${WEEK.community}\nplatform: discord\nname: Warung\ntimeZone: ${WEEK.timeZone}\n`);
    scratch = await createScratchPostgres();
    database = await openDatabase({ databaseUrl: scratch.url });
    const clock = new VirtualClock(new Date('2026-10-30T00:00:00Z'));
    const scheduler = new VirtualTimeScheduler(clock);
    const engine = new Engine({ prisma: database.prisma, config: loadConfig({ dir: configDir }), clock, scheduler, logger: silentLogger, capabilities: createCapabilities({ counters: new InMemoryRateCounters() }) });
    engine.attachJobs(async (actions) => void jobActions.push(...actions));
    // The poll's buttons, by the id of the /poll event: votes in the fixture name a choice.
    const pollButtons = new Map<string, string[]>();
    for (const raw of seededWeek()) {
      await scheduler.runUntil(new Date(raw.at));
      const vote = typeof raw.componentId === 'string' && raw.componentId.startsWith(WEEK.votePrefix) ? raw.componentId.slice(WEEK.votePrefix.length).split(':') : undefined;
      const event = vote ? { ...raw, componentId: pollButtons.get(vote[0]!)![Number(vote[1]) - 1] } : raw;
      const outcome = await engine.handle(event);
      if (outcome.status !== 'processed') throw new Error(`${raw.id} was ${outcome.status}: ${JSON.stringify(outcome)}`);
      const poll = outcome.actions.find((a) => a.type === 'message.send' && a.message.buttons?.length);
      if (raw.type === 'command.invoked' && poll?.type === 'message.send') pollButtons.set(raw.id, poll.message.buttons!.map((b) => b.id));
    }
    await scheduler.runUntil(new Date(Date.parse(WEEK.sendAt) + 60_000));
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
    rmSync(configDir, { recursive: true, force: true });
  });

  const sentDigest = () => {
    const sent = jobActions.filter((a) => a.type === 'message.send' && 'member' in a && a.member === 'u-boss' && a.message.text.includes(WEEK.digestDay));
    expect(sent).toHaveLength(1);
    return sent[0]!.type === 'message.send' ? sent[0]!.message : undefined;
  };

  it('gives every figure, for the day, the day before and the week before, as SQL written in this test computes it', async () => {
    sentDigest();
    const row = await database.prisma.digest.findFirstOrThrow({ where: { community: { externalId: WEEK.community }, day: WEEK.digestDay } });
    const data = row.figures as unknown as DigestData;
    const [day, dayBefore, weekBefore] = await withClient(scratch.url, async (client) => {
      const periods = [];
      for (const shift of [0, -1, -7]) periods.push(await figuresBySql(client, row.communityId, dayShift(WEEK.digestDay, shift)));
      return periods;
    });
    const actual = Object.fromEntries(Object.entries(data.figures).map(([name, f]) => [name, [f.value, f.dayBefore, f.weekBefore]]));
    const expected = Object.fromEntries(Object.keys(day!).map((name) => [name, [day![name], dayBefore![name], weekBefore![name]]]));
    expect(actual).toEqual(expected);
    // The week exercises every figure: none of these is trivially zero on the digest's day.
    for (const name of ['newMembers', 'returningMembers', 'leftMembers', 'activeMembers', 'messages', 'conversations', 'replies', 'questionsAsked', 'questionsAnswered', 'escalations', 'moderationCases', 'feedback']) {
      expect(data.figures[name as keyof DigestData['figures']].value, name).toBeGreaterThan(0);
    }
    expect(data.figures.answeredRate.value).toBeGreaterThan(0);
    expect(data.figures.answeredRate.value).toBeLessThan(100);
  });

  it('lists the activity, unanswered questions, escalations, moderation, polls, feedback and topics as SQL written in this test does', async () => {
    const row = await database.prisma.digest.findFirstOrThrow({ where: { community: { externalId: WEEK.community }, day: WEEK.digestDay } });
    const data = row.figures as unknown as DigestData;
    const expected = await withClient(scratch.url, (client) => listsBySql(client, row.communityId, WEEK.digestDay));
    expect(data.activity).toEqual(expected.activity);
    expect(data.unanswered.total).toBe(expected.unanswered);
    expect(data.escalationsByTeam).toEqual(expected.escalationsByTeam);
    expect(data.moderation).toEqual(expected.moderation);
    expect(data.polls.map((p) => ({ question: p.question, voters: p.voters, options: p.options }))).toEqual(expected.polls);
    expect(data.feedback.byCategory).toEqual(expected.feedbackByCategory);
    expect(data.topics).toEqual(expected.topics);
    // Non-trivial lists: a poll closed that day, automod and a warning, a chart with nine days of data.
    expect(expected.polls).toEqual([{ question: 'Next meetup city?', voters: 6, options: [{ label: 'Bandung', votes: 4 }, { label: 'Jakarta', votes: 2 }, { label: 'Yogyakarta', votes: 0 }] }]);
    expect(expected.moderation.byRule).toEqual([{ rule: 'invites', count: 1 }]);
    expect(expected.activity.filter((d) => (d as { messages: number }).messages > 0)).toHaveLength(9);
    expect(expected.topics.length).toBeGreaterThan(0);
  });

  it('attaches the activity chart: a PNG stored in StoredImage, with the dimensions the action announces', async () => {
    const image = sentDigest()!.image!;
    // The contract's image is a loose object: these fields are the stored-image reference (README, "Charts").
    expect(image).toMatchObject({ name: `digest-${WEEK.digestDay}.png`, contentType: 'image/png', storedImageId: expect.any(Number), bytes: expect.any(Number) });
    const stored = await database.prisma.storedImage.findUniqueOrThrow({ where: { id: Number(image.storedImageId) } });
    const bytes = Buffer.from(stored.bytes);
    expect(stored.contentType).toBe('image/png');
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // The first chunk is IHDR: width and height as 32-bit big-endian numbers.
    expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([image.width, image.height]);
    expect([image.width, image.height]).toEqual([800, 360]);
    expect(bytes.length).toBe(image.bytes);
  });
});

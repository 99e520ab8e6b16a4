// The digest's faster SQL (issue 9, speed) gives what plain SQL written here gives, on the cases the
// speed-ups treat specially: trending topics (a message's words deduplicated through a tsvector, and
// messages of 2048 bytes or more, or with words of 2048 bytes or more, counted another way), the
// leaders (only the members who can be among the best are read from the score query) and the
// unanswered questions (only those listed are read).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type CommunityConfig } from '../../../src/config/index.js';
import { createScratchPostgres, openDatabase, type Database, type ScratchPostgres } from '../../../src/db/index.js';
import type { Tx } from '../../../src/engine/capability.js';
import { computeDigest, dayBounds, type DigestData } from '../../../src/engine/digest/index.js';
import { scoreParts } from '../../../src/engine/engagement/score.js';
import { STOPWORDS } from '../../../src/engine/feedback/stats.js';
import type { Community } from '../../../src/generated/prisma/client.js';
import { withClient } from '../../support/postgres.js';

const TIME_ZONE = 'Asia/Jakarta';
const DAY = '2026-11-10';
const { from, to } = dayBounds(DAY, TIME_ZONE);
const weekStart = dayBounds('2026-11-03', TIME_ZONE).from;
const at = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);
/** A word too long for a tsvector lexeme (2047 bytes at most). */
const LONG = 'x'.repeat(3000);

/** [author, text, sent at, options]: the day's messages, the 7 days before's, and some outside both. */
const MESSAGES: [string, string, Date, { deleted?: boolean; replyTo?: string; thread?: string }?][] = [
  ['p1', 'Kopi kopi KOPI, susu!', at(from, 10)],
  ['p2', 'kopi susu? webinar', at(from, 20), { replyTo: 'm1' }],
  ['p3', `Webinar ${LONG} webinar ${LONG.toUpperCase()}`, at(from, 30), { replyTo: 'm2' }],
  ['p4', `${LONG} bandung`, at(from, 40), { thread: 'm1' }],
  ['p5', 'Bandung meetup, '.repeat(150), at(from, 50), { thread: 'm1' }],
  ['p6', 'Kopi susu '.repeat(60), at(from, 60), { replyTo: 'm1' }],
  ['p1', 'ÉCLAIR Éclair éclair 2026 2026 12345 thanks thanks', at(from, 70)],
  ['p2', 'éclair and thanks 12345 — kopi…', at(from, 80), { replyTo: 'm7' }],
  ['bot', 'webinar webinar kopi', at(from, 90)],
  ['bot', 'webinar kopi éclair', at(from, 91)],
  ['p3', 'webinar susu éclair', at(from, 100), { deleted: true }],
  ['p4', '', at(from, 110)],
  ['p4', '!!! ???', at(from, 120), { replyTo: 'm3' }],
  ['p5', 'kopi susu bandung', at(from, 130), { replyTo: 'm4' }],
  ['p6', 'meetup bandung webinar', at(to, -1), { replyTo: 'm5' }],
  // The 7 days before, from the first instant on.
  ['p1', 'kopi susu kopi', at(weekStart, 0)],
  ['p2', 'Bandung bandung meetup', at(weekStart, 60 * 24 * 2)],
  ['p5', `${LONG}!`, at(weekStart, 60 * 24 * 3)],
  ['p6', 'Kopi susu '.repeat(300), at(weekStart, 60 * 24 * 4)],
  ['p3', 'éclair webinar', at(from, -1)],
  // Outside: before the week and after the day.
  ['p1', 'webinar webinar susu', at(weekStart, -1)],
  ['p2', 'kopi webinar', at(to, 0)],
];

/** The day's trending topics as the README defines them, the plain way. */
async function topicsBySql(client: pg.Client, communityId: number, limit: number) {
  const { rows } = await client.query(
    `WITH words AS (
       SELECT DISTINCT m.id, m."sentAt" >= $2 AS today, w AS term
       FROM "Message" m JOIN "Member" a ON a.id = m."authorId", regexp_split_to_table(lower(m.text), '[^[:alnum:]]+') AS w
       WHERE m."communityId" = $1 AND NOT a."isBot" AND m."deletedAt" IS NULL AND m."sentAt" >= $3 AND m."sentAt" < $4
         AND length(w) >= 4 AND w !~ '^[0-9]+$' AND w <> ALL($5::text[])
     ),
     counted AS (SELECT term, count(*) FILTER (WHERE today)::int AS day, count(*) FILTER (WHERE NOT today)::int AS "previousWeek" FROM words GROUP BY term)
     SELECT * FROM counted WHERE day >= 2 ORDER BY day * 7.0 / ("previousWeek" + 1) DESC, day DESC, term LIMIT $6`,
    [communityId, from, weekStart, to, STOPWORDS, limit],
  );
  return rows;
}

describe('the digest’s SQL on the cases its speed-ups treat specially', () => {
  let scratch: ScratchPostgres;
  let database: Database;
  let community: Community;
  let base: CommunityConfig;
  const withLimits = (limits: Partial<CommunityConfig['digest']['limits']>): CommunityConfig => ({ ...base, digest: { ...base.digest, limits: { ...base.digest.limits, ...limits } } });

  beforeAll(async () => {
    scratch = await createScratchPostgres();
    database = await openDatabase({ databaseUrl: scratch.url });
    community = await database.prisma.community.create({ data: { platform: 'discord', externalId: 'edges', name: 'Edges' } });
    base = { ...loadConfig().for('discord', 'edges'), timeZone: TIME_ZONE };
    await withClient(scratch.url, async (client) => {
      const c = community.id;
      const ids = new Map<string, number>();
      for (const name of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'bot']) {
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO "Member"("communityId", "externalId", name, "isBot", roles, "joinedAt", "joinCount", "updatedAt")
           VALUES ($1, $2, $3, $4, '{}', $5, 1, now()) RETURNING id`,
          [c, name, `Member ${name}`, name === 'bot', at(weekStart, -60 * 24 * 30)],
        );
        ids.set(name, rows[0]!.id);
      }
      const { rows } = await client.query<{ id: number }>(`INSERT INTO "Channel"("communityId", "externalId", name) VALUES ($1, 'c1', 'general') RETURNING id`, [c]);
      for (const [i, [author, text, sentAt, options]] of MESSAGES.entries()) {
        await client.query(
          `INSERT INTO "Message"("communityId", "channelId", "authorId", "externalId", text, "replyToExternalId", "threadExternalId", "sentAt", "deletedAt")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [c, rows[0]!.id, ids.get(author), `m${i + 1}`, text, options?.replyTo ?? null, options?.thread ?? null, sentAt, options?.deleted ? at(sentAt, 1) : null],
        );
      }
      // Reactions by others on the day: p7 and p8 have the same score (a tie at the leaders' cut).
      for (const [member, message, minutes] of [['p7', 'm1', 15], ['p8', 'm1', 16], ['p7', 'm2', 25], ['p8', 'm2', 26], ['p3', 'm7', 75], ['p1', 'm5', 55]] as const) {
        await client.query(`INSERT INTO "Reaction"("communityId", "messageExternalId", "memberId", emoji, at) VALUES ($1, $2, $3, '👍', $4)`, [c, message, ids.get(member), at(from, minutes)]);
      }
      for (const [member, message, minutes] of [['p7', 'm30', 0], ['p8', 'm31', 0]] as const) {
        await client.query(
          `INSERT INTO "Message"("communityId", "channelId", "authorId", "externalId", text, "sentAt") VALUES ($1, $2, $3, $4, 'hello there', $5)`,
          [c, rows[0]!.id, ids.get(member), message, at(from, 200 + minutes)],
        );
      }
      // Three questions still open before the day ends, one answered.
      for (const [n, minutes, answered] of [[1, -600, false], [2, 30, false], [3, 10, false], [4, 5, true]] as const) {
        await client.query(
          `INSERT INTO "Question"("communityId", "askerId", "channelExternalId", "messageExternalId", text, language, team, status, "askedAt", "deadlineAt", "firstAnswerAt")
           VALUES ($1, $2, 'c1', $3, 'how?', 'en', 'community', $4::"QuestionStatus", $5, $5, $6)`,
          [c, ids.get('p1'), `q${n}`, answered ? 'answered' : 'open', at(from, minutes), answered ? at(from, minutes + 5) : null],
        );
      }
    });
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it('counts trending topics as the plain SQL does: long messages, long words, repeated words, case, punctuation, bots, deletions', async () => {
    const data = await computeDigest(database.prisma, community, withLimits({ topics: 25 }), DAY);
    const expected = await withClient(scratch.url, (client) => topicsBySql(client, community.id, 25));
    expect(data.topics).toEqual(expected);
    // The cases are there: the long word (twice in one message, in two of the day's messages and in
    // one the week before), words repeated in a message of 2048 bytes or more, accented words.
    expect(data.topics).toEqual(expect.arrayContaining([
      { term: LONG, day: 2, previousWeek: 1 },
      { term: 'bandung', day: 4, previousWeek: 1 },
      { term: 'meetup', day: 2, previousWeek: 1 },
      { term: 'éclair', day: 2, previousWeek: 1 },
      { term: 'kopi', day: 5, previousWeek: 2 },
    ]));
    expect(data.topics.map((t) => t.term)).not.toContain('thanks');
    expect(data.topics.map((t) => t.term)).not.toContain('12345');
  });

  it('names the same leaders as ranking every member’s full score, ties at the cut included', async () => {
    for (const leaders of [1, 2, 3, 5, 6, 7, 25]) {
      const config = withLimits({ leaders });
      const data: DigestData = await computeDigest(database.prisma, community, config, DAY);
      const all = await database.prisma.$transaction((tx) =>
        scoreParts(tx as unknown as Tx, config.engagement, { communityId: community.id, now: new Date(to.getTime() - 1), since: from, decay: false, timeZone: TIME_ZONE }),
      );
      const members = await database.prisma.member.findMany({ where: { communityId: community.id }, select: { id: true, externalId: true, name: true } });
      const expected = all
        .sort((a, b) => b.score - a.score || a.memberId - b.memberId)
        .slice(0, leaders)
        .filter((s) => s.score > 0)
        .map((s) => {
          const m = members.find((x) => x.id === s.memberId)!;
          return { member: m.externalId, name: m.name, score: Math.round(s.score * 10) / 10 };
        });
      expect(data.leaders, `${leaders} leaders`).toEqual(expected);
    }
  });

  it('lists the first unanswered questions and counts them all, whatever the limit', async () => {
    for (const unanswered of [0, 1, 2, 10]) {
      const data = await computeDigest(database.prisma, community, withLimits({ unanswered }), DAY);
      expect(data.unanswered.total).toBe(3);
      expect(data.unanswered.items.map((q) => q.id)).toEqual(['q1', 'q3', 'q2'].slice(0, unanswered));
    }
  });
});

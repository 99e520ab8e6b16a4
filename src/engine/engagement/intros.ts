import { Prisma } from '../../generated/prisma/client.js';
import { parseDuration } from '../../core/duration.js';
import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { EventContext, JobContext } from '../capability.js';
import { digest, ephemeral, localDate, mention } from './common.js';

export const INTROS_JOB = 'engagement.intros';
export const INTRO_FOLLOW_UP_JOB = 'engagement.intro-followup';
const STARTERS = 4;
const START_THREAD: Record<string, unknown> = { startThread: true };

export const followUpJobId = (pairId: number): string => `engagement:intro-followup:${pairId}`;
const followUpNonce = (platform: string, community: string, pairId: number, createdAt: Date): string => digest('intro', platform, community, pairId, createdAt.toISOString()).slice(0, 12);

/**
 * The weekly introductions: members seen lately, with interests and not opted out, are paired
 * with someone who shares an interest, whom they were never paired with and rarely talked with
 * (fewer than `metThreshold` replies between them). The order is a hash of community, round and
 * member, so a replay pairs the same people while different weeks shuffle differently; each
 * member takes the unused candidate sharing the most interests.
 */
export async function introduceMembers(ctx: JobContext): Promise<ActionDraft[]> {
  const config = ctx.config.engagement;
  if (!config.enabled || !config.intros.enabled) return [];
  const now = ctx.job.dueAt;
  const round = localDate(now, ctx.config.timeZone);
  const activeSince = new Date(now.getTime() - parseDuration(config.intros.activeWithin)!);
  const candidates = await ctx.tx.member.findMany({
    where: {
      communityId: ctx.community.id,
      isBot: false,
      leftAt: null,
      lastSeenAt: { gte: activeSince },
      engagement: { introsOptOut: false, interests: { isEmpty: false } },
    },
    include: { engagement: true },
  });
  if (candidates.length < 2) return [];
  const ids = candidates.map((m) => m.id);
  const previous = await ctx.tx.introPair.findMany({ where: { communityId: ctx.community.id, memberAId: { in: ids } }, select: { memberAId: true, memberBId: true } });
  const talked = await ctx.tx.$queryRaw<{ a: number; b: number }[]>`
    SELECT least(r."authorId", p."authorId") AS a, greatest(r."authorId", p."authorId") AS b
    FROM "Message" r JOIN "Message" p ON p."communityId" = r."communityId" AND p."externalId" = coalesce(r."replyToExternalId", r."threadExternalId")
    WHERE r."communityId" = ${ctx.community.id} AND r."deletedAt" IS NULL AND r."authorId" <> p."authorId"
      AND r."authorId" IN (${Prisma.join(ids)}) AND p."authorId" IN (${Prisma.join(ids)})
    GROUP BY 1, 2 HAVING count(*) >= ${config.intros.metThreshold}`;
  const known = new Set([...previous.map((p) => `${p.memberAId}:${p.memberBId}`), ...talked.map((p) => `${p.a}:${p.b}`)]);
  const seed = (externalId: string): string => digest(ctx.community.platform, ctx.community.externalId, round, externalId);
  const order = [...candidates].sort((x, y) => (seed(x.externalId) < seed(y.externalId) ? -1 : 1));
  const used = new Set<number>();
  const actions: ActionDraft[] = [];
  const channel = await ctx.channelId(config.intros.channel);
  let pairs = 0;
  for (const member of order) {
    if (pairs >= config.intros.maxPairs) break;
    if (used.has(member.id)) continue;
    let best: { other: (typeof order)[number]; shared: string[] } | undefined;
    for (const other of order) {
      if (other.id === member.id || used.has(other.id)) continue;
      if (known.has(`${Math.min(member.id, other.id)}:${Math.max(member.id, other.id)}`)) continue;
      const shared = member.engagement!.interests.filter((i) => other.engagement!.interests.includes(i));
      if (shared.length && (!best || shared.length > best.shared.length)) best = { other, shared };
    }
    if (!best) continue;
    used.add(member.id);
    used.add(best.other.id);
    pairs++;
    const [a, b] = member.id < best.other.id ? [member, best.other] : [best.other, member];
    const pair = await ctx.tx.introPair.create({ data: { communityId: ctx.community.id, memberAId: a.id, memberBId: b.id, interests: best.shared, round, createdAt: now } });
    const interest = best.shared[0]!;
    const starter = ctx.t(`engagement.intros.starters.${parseInt(seed(`${a.externalId}:${b.externalId}`).slice(0, 8), 16) % STARTERS}`, { interest });
    actions.push({
      type: 'message.send',
      channel,
      message: { text: ctx.t('engagement.intros.introduce', { a: mention(member), b: mention(best.other), interests: best.shared.join(', '), starter }) },
      // An extra field (DESIGN §3.2 allows them): adapters open a thread on it, where the pair can talk.
      ...START_THREAD,
      key: `intro-${pair.id}`,
    });
    if (config.intros.followUpAfter) {
      ctx.schedule({ id: followUpJobId(pair.id), name: INTRO_FOLLOW_UP_JOB, runAt: new Date(now.getTime() + parseDuration(config.intros.followUpAfter)!), payload: { pairId: pair.id } });
    }
  }
  return actions;
}

/** "Did you meet?": settled silently when the pair exchanged a reply since; otherwise a DM to each with Yes / Not yet. */
export async function followUpIntro(ctx: JobContext): Promise<ActionDraft[]> {
  const pairId = Number(ctx.job.payload.pairId);
  const pair = await ctx.tx.introPair.findFirst({ where: { id: pairId, communityId: ctx.community.id }, include: { memberA: true, memberB: true } });
  if (!pair || pair.met !== null || pair.followedUpAt) return [];
  const [{ n }] = await ctx.tx.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "Message" r JOIN "Message" p ON p."communityId" = r."communityId" AND p."externalId" = coalesce(r."replyToExternalId", r."threadExternalId")
    WHERE r."communityId" = ${ctx.community.id} AND r."sentAt" >= ${pair.createdAt}
      AND ((r."authorId" = ${pair.memberAId} AND p."authorId" = ${pair.memberBId}) OR (r."authorId" = ${pair.memberBId} AND p."authorId" = ${pair.memberAId}))` as [{ n: bigint }];
  if (Number(n) > 0) {
    await ctx.tx.introPair.update({ where: { id: pair.id }, data: { met: true, followedUpAt: ctx.job.dueAt } });
    return [];
  }
  await ctx.tx.introPair.update({ where: { id: pair.id }, data: { followedUpAt: ctx.job.dueAt } });
  const nonce = followUpNonce(ctx.community.platform, ctx.community.externalId, pair.id, pair.createdAt);
  return [
    [pair.memberA, pair.memberB],
    [pair.memberB, pair.memberA],
  ].map(([to, other]) => ({
    type: 'message.send' as const,
    member: to!.externalId,
    message: {
      text: ctx.t('engagement.intros.followUp', { other: mention(other!) }),
      buttons: [
        { id: `intro:${pair.id}:${nonce}:yes`, label: ctx.t('engagement.intros.yes'), style: 'success' as const },
        { id: `intro:${pair.id}:${nonce}:no`, label: ctx.t('engagement.intros.no'), style: 'secondary' as const },
      ],
    },
  }));
}

/** A press of "did you meet?"; ids of other pairs, other members or a wrong nonce get a clear answer and change nothing. */
export async function answerFollowUp(event: EventOfType<'component.used'>, ctx: EventContext): Promise<ActionDraft[]> {
  const match = /^intro:(\d{1,9}):([0-9a-f]{12}):(yes|no)$/.exec(event.componentId);
  const pair = match ? await ctx.tx.introPair.findFirst({ where: { id: Number(match[1]), communityId: ctx.community.id }, include: { memberA: true, memberB: true } }) : null;
  if (!match || !pair || match[2] !== followUpNonce(ctx.community.platform, ctx.community.externalId, pair.id, pair.createdAt)) {
    return [ephemeral(event.member.id, ctx.t('engagement.intros.invalid'))];
  }
  const other = pair.memberA.externalId === event.member.id ? pair.memberB : pair.memberB.externalId === event.member.id ? pair.memberA : null;
  if (!other) return [ephemeral(event.member.id, ctx.t('engagement.intros.notYours'))];
  if (pair.met === true) return [ephemeral(event.member.id, ctx.t('engagement.intros.answered'))];
  const met = match[3] === 'yes';
  await ctx.tx.introPair.update({ where: { id: pair.id }, data: { met } });
  return [ephemeral(event.member.id, met ? ctx.t('engagement.intros.thanksYes') : ctx.t('engagement.intros.thanksNo', { other: mention(other) }))];
}

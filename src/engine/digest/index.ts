import { DateTime } from 'luxon';
import type { ActionDraft, EventOfType, NeutralMessage } from '../../contracts/index.js';
import type { CommunityConfig } from '../../config/index.js';
import { parseDuration } from '../../core/duration.js';
import type { Logger } from '../../core/logger.js';
import type { Community } from '../../generated/prisma/client.js';
import { translate } from '../../i18n/index.js';
import type { Capability, CommunityContext, EventContext, JobContext, Tx } from '../capability.js';
import { renderActivityChart } from '../charts/index.js';
import { commandArgs } from '../command-args.js';
import { localDate } from '../engagement/common.js';
import { isModerator } from '../permissions.js';
import { storeImage } from '../polls/store.js';
import { digestMessage } from './render.js';
import { computeDigest, isDay, type DigestData } from './stats.js';
import { summarizeChannel, SUMMARIZE_JOB } from './summaries.js';

export { DigestConfigSchema, type DigestConfig } from './config.js';
export { computeDigest, dayBounds, isDay, type DigestData } from './stats.js';
export { digestHtml, digestMarkdown, digestMessage } from './render.js';

export const DIGEST_JOB = 'digest.daily';
export const DIGEST_JOB_ID = 'digest:daily';

/** `08:30` → the cron pattern `30 8 * * *` (in the community's time zone). */
export const digestCron = (time: string): string => {
  const [hours, minutes] = time.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
};

/** The local day before the one `at` falls on. */
export const previousDay = (at: Date, timeZone: string): string => DateTime.fromISO(localDate(at, timeZone), { zone: 'UTC' }).minus({ days: 1 }).toISODate()!;

/** The activity chart, stored for the adapter to upload; undefined (and a warning) where the canvas cannot render. */
export async function digestChart(tx: Tx, community: Community, config: CommunityConfig, data: DigestData, now: Date, logger: Logger): Promise<NeutralMessage['image']> {
  const t = (key: string) => translate(config.locale, key);
  try {
    const chart = await renderActivityChart({
      title: `${t('digest.chartTitle')} · ${data.community.name}`,
      labels: data.activity.map((a) => a.day.slice(5)),
      bars: { label: t('digest.chartMessages'), values: data.activity.map((a) => a.messages) },
      line: { label: t('digest.chartActive'), values: data.activity.map((a) => a.activeMembers) },
    });
    const name = `digest-${data.day}.png`;
    const id = await storeImage(tx, { communityId: community.id, name, contentType: 'image/png', bytes: chart.png, createdAt: now });
    return { name, contentType: 'image/png', storedImageId: id, width: chart.width, height: chart.height, bytes: chart.png.length };
  } catch (error) {
    logger.warn({ err: error, day: data.day }, 'digest chart could not be rendered; digest sent without it');
    return undefined;
  }
}

async function digestWithChart(ctx: CommunityContext, day: string): Promise<{ data: DigestData; message: NeutralMessage }> {
  const data = await computeDigest(ctx.tx, ctx.community, ctx.config, day);
  const message = digestMessage(data, ctx.config.locale);
  if (ctx.config.digest.chart) {
    const image = await digestChart(ctx.tx, ctx.community, ctx.config, data, ctx.clock.now(), ctx.logger);
    if (image) message.image = image;
  }
  return { data, message };
}

/** The members who receive the digest: present, human, holding a manager role. */
async function managers(ctx: CommunityContext): Promise<string[]> {
  if (!ctx.config.roles.manager.length) return [];
  const rows = await ctx.tx.member.findMany({
    where: { communityId: ctx.community.id, leftAt: null, isBot: false, roles: { hasSome: ctx.config.roles.manager } },
    select: { externalId: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => r.externalId);
}

/**
 * The daily job: the digest of the local day before its due time, sent once. The `Digest` row
 * (unique per community and day) is written in the job's transaction, so a second run (a retry,
 * another process, a job added twice) finds it and sends nothing.
 */
async function sendDailyDigest(ctx: JobContext): Promise<ActionDraft[]> {
  if (!ctx.config.digest.enabled) return [];
  const day = previousDay(ctx.job.dueAt, ctx.config.timeZone);
  const already = await ctx.tx.digest.findUnique({ where: { communityId_day: { communityId: ctx.community.id, day } }, select: { id: true } });
  if (already) return [];
  const recipients = ctx.config.digest.dmManagers ? await managers(ctx) : [];
  // Nobody to send it to (no manager yet, no channel): nothing computed, nothing stored.
  if (!recipients.length && !ctx.config.digest.channel) return [];
  const { data, message } = await digestWithChart(ctx, day);
  const { count } = await ctx.tx.digest.createMany({
    data: [{ communityId: ctx.community.id, day, figures: JSON.parse(JSON.stringify(data)), cause: `${ctx.job.id}@${ctx.job.dueAt.toISOString()}`, sentAt: ctx.clock.now() }],
    skipDuplicates: true,
  });
  if (count === 0) return [];
  const actions: ActionDraft[] = [];
  for (const member of recipients) actions.push({ type: 'message.send', member, message });
  if (ctx.config.digest.channel) actions.push({ type: 'message.send', channel: await ctx.channelId(ctx.config.digest.channel), message, key: `digest:${day}` });
  return actions;
}

const ephemeral = (member: string, text: string): ActionDraft => ({ type: 'reply.ephemeral', member, message: { text } });

/** `/digest [date]`: managers and moderators only; the digest of a day (default yesterday), privately. */
async function digestCommand(event: EventOfType<'command.invoked'>, ctx: EventContext): Promise<ActionDraft[]> {
  const roles = event.member.roles ?? ctx.member?.roles ?? [];
  if (!isModerator(roles, ctx.config) && !roles.some((r) => ctx.config.roles.manager.includes(r))) return [ephemeral(event.member.id, ctx.t('digest.notAllowed'))];
  const { date } = commandArgs(event, ['date']);
  const day = date?.trim() || previousDay(new Date(event.at), ctx.config.timeZone);
  if (!isDay(day)) return [ephemeral(event.member.id, ctx.t('digest.badDate', { date: day }))];
  const { message } = await digestWithChart(ctx, day);
  return [{ type: 'reply.ephemeral', member: event.member.id, message }];
}

/** `/summarize [channel] [since]`: queues the summary job; it posts in the channel and the conversations' threads. */
async function summarizeCommand(event: EventOfType<'command.invoked'>, ctx: EventContext): Promise<ActionDraft[]> {
  const config = ctx.config.digest.summaries;
  if (!config.enabled) return [ephemeral(event.member.id, ctx.t('summaries.disabled'))];
  const args = commandArgs(event, ['channel', 'since']);
  let channel = ctx.channel;
  if (args.channel) {
    const reference = args.channel.replace(/^<#([^>|]+)(\|[^>]*)?>$/, '$1').replace(/^#/, '');
    channel = await ctx.tx.channel.findFirst({ where: { communityId: ctx.community.id, OR: [{ externalId: reference }, { name: reference }] }, orderBy: { id: 'asc' } });
    if (!channel) return [ephemeral(event.member.id, ctx.t('summaries.unknownChannel', { channel: args.channel }))];
  }
  if (!channel) return [ephemeral(event.member.id, ctx.t('summaries.unknownChannel', { channel: event.channel }))];
  const sinceText = args.since?.trim() || config.defaultSince;
  const now = new Date(event.at);
  const duration = parseDuration(sinceText);
  const since = duration !== undefined ? new Date(now.getTime() - duration) : DateTime.fromISO(sinceText, { zone: ctx.config.timeZone }).toJSDate();
  if (Number.isNaN(since.getTime()) || since.getTime() >= now.getTime()) return [ephemeral(event.member.id, ctx.t('summaries.badSince', { since: sinceText }))];
  ctx.schedule({
    id: `summaries:${event.id}`,
    name: SUMMARIZE_JOB,
    runAt: now,
    payload: { channelId: channel.id, since: since.toISOString(), until: now.toISOString(), requester: event.member.id },
  });
  return [ephemeral(event.member.id, ctx.t('summaries.queued', { channel: channel.name, since: sinceText }))];
}

/** The managers' daily digest (a repeating job at `digest.time`, local), `/digest [date]` and `/summarize`. */
export const digest: Capability = {
  name: 'digest',
  on: {
    'command.invoked': async (event, ctx) => {
      if (event.command === 'digest') return digestCommand(event, ctx);
      if (event.command === 'summarize') return summarizeCommand(event, ctx);
      return [];
    },
  },
  jobs: {
    [DIGEST_JOB]: sendDailyDigest,
    [SUMMARIZE_JOB]: summarizeChannel,
  },
  async recover(ctx) {
    if (!ctx.config.digest.enabled) {
      ctx.cancel(DIGEST_JOB_ID);
      return;
    }
    ctx.repeat({ id: DIGEST_JOB_ID, name: DIGEST_JOB, cron: digestCron(ctx.config.digest.time) });
  },
};

import type { ActionDraft, NeutralMessage } from '../../contracts/index.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import type { Member } from '../../generated/prisma/client.js';
import type { EventContext } from '../capability.js';
import { neutralizeMentions, truncate } from '../format/neutralize-mentions.js';
import type { Sanction } from './config.js';
import { decideEscalation, type Escalation } from './escalation.js';
import { activePoints, openCase, recentInfractions, type CaseWithPeople, type ModerationCase, type NewCase } from './ledger.js';

type CaseInput = Omit<NewCase, 'communityId' | 'at' | 'target'> & { target: Member };

/** Who acted, as the mod log says it: a moderator's mention, "automod" or "escalation ladder". */
function actorLabel(ctx: EventContext, theCase: ModerationCase, moderator: Member | null): string {
  if (moderator) return `<@${moderator.externalId}>`;
  return ctx.t(theCase.escalatedFromId ? 'moderation.ladderModerator' : 'moderation.automodModerator');
}

/** One line saying what a case did, e.g. "<@u1> timed out for 10m". */
export function summarizeCase(ctx: Pick<EventContext, 't'>, theCase: ModerationCase, target: Member | null): string {
  const member = target ? `<@${target.externalId}>` : '';
  const duration = theCase.durationSeconds ? formatDuration(theCase.durationSeconds * 1000) : '';
  const channel = theCase.evidenceChannelId ? `<#${theCase.evidenceChannelId}>` : '';
  return ctx.t(`moderation.summary.${theCase.kind}`, { member, duration, count: theCase.affectedMessages ?? 0, channel });
}

/** The mod-log card of a case. User-written text is neutralized so it never pings anyone. */
export function caseCard(ctx: EventContext, theCase: ModerationCase, target: Member | null, moderator: Member | null, extra: { activePoints?: number } = {}): NeutralMessage {
  const field = (key: string) => ctx.t(`moderation.field.${key}`);
  const fields: { name: string; value: string }[] = [];
  if (target) fields.push({ name: field('member'), value: `<@${target.externalId}> (${neutralizeMentions(target.name)})` });
  fields.push({ name: field('moderator'), value: actorLabel(ctx, theCase, moderator) });
  fields.push({ name: field('reason'), value: neutralizeMentions(truncate(theCase.reason, 500)) });
  if (theCase.kind === 'purge') fields.push({ name: field('summary'), value: summarizeCase(ctx, theCase, target) });
  if (theCase.durationSeconds) fields.push({ name: field('duration'), value: formatDuration(theCase.durationSeconds * 1000) });
  if (theCase.rules.length) fields.push({ name: field('rules'), value: theCase.rules.join(', ') });
  if (theCase.evidenceText !== null) fields.push({ name: field('evidence'), value: neutralizeMentions(truncate(theCase.evidenceText, 300)) });
  if (extra.activePoints !== undefined) fields.push({ name: field('points'), value: String(extra.activePoints) });
  if (theCase.pardonedAt) fields.push({ name: field('pardoned'), value: neutralizeMentions(theCase.pardonReason ?? '') });
  return {
    text: ctx.t('moderation.caseTitle', { number: theCase.number, kind: ctx.t(`moderation.kind.${theCase.kind}`) }),
    fields,
  };
}

/** The platform action that carries out a sanction (a warning has none beyond its DM). */
function sanctionAction(sanction: Sanction, member: string, reason: string): ActionDraft[] {
  switch (sanction.action) {
    case 'warn':
      return [];
    case 'timeout':
      return [{ type: 'member.timeout', member, seconds: Math.round(parseDuration(sanction.duration)! / 1000), reason }];
    case 'kick':
      return [{ type: 'member.kick', member, reason }];
    case 'ban':
      return [{ type: 'member.ban', member, reason }];
  }
}

export interface RecordCaseOptions {
  /** Platform actions of the case itself (e.g. the timeout of /timeout), carried out after the DM. */
  sanctions?: ActionDraft[];
}

/**
 * Opens a case and produces everything that follows from it: the DM to the member (before
 * a kick or ban, while it can still reach them), the sanction, the mod-log card, and then
 * the escalation the ladder or a burst trigger decides, itself a case with its own card.
 */
export async function recordCase(ctx: EventContext, input: CaseInput, options: RecordCaseOptions = {}): Promise<{ theCase: ModerationCase; actions: ActionDraft[] }> {
  const at = ctx.clock.now();
  const { moderation } = ctx.config;
  const theCase = await openCase(ctx.tx, { ...input, communityId: ctx.community.id, at });
  const target = input.target;
  const since = new Date(at.getTime() - parseDuration(moderation.decay)!);
  const points = await activePoints(ctx.tx, target, since);
  const actions = await caseActions(ctx, theCase, target, input.moderator, options.sanctions ?? [], points);

  const escalation = await escalationFor(ctx, theCase, target, points, at);
  if (escalation) {
    const reason =
      escalation.trigger.kind === 'points'
        ? ctx.t('moderation.ladderReason', { total: escalation.trigger.total, threshold: escalation.trigger.threshold })
        : ctx.t('moderation.burstReason', { infractions: escalation.trigger.infractions, within: escalation.trigger.within });
    const durationMs = escalation.sanction.action === 'timeout' ? parseDuration(escalation.sanction.duration) : undefined;
    const sanctionCase = await openCase(ctx.tx, {
      communityId: ctx.community.id,
      target,
      moderator: null,
      kind: escalation.sanction.action,
      reason,
      points: 0,
      ...(durationMs !== undefined && { durationSeconds: Math.round(durationMs / 1000) }),
      escalatedFrom: theCase,
      at,
    });
    actions.push(...(await caseActions(ctx, sanctionCase, target, null, sanctionAction(escalation.sanction, target.externalId, reason), points)));
  }
  return { theCase, actions };
}

async function escalationFor(ctx: EventContext, theCase: ModerationCase, target: Member, points: number, at: Date): Promise<Escalation | undefined> {
  const { moderation } = ctx.config;
  if (theCase.escalatedFromId !== null || !['warn', 'automod', 'timeout', 'kick', 'ban'].includes(theCase.kind)) return undefined;
  const recentCounts = await Promise.all(
    moderation.bursts.map((burst) => recentInfractions(ctx.tx, target, new Date(at.getTime() - parseDuration(burst.within)!))),
  );
  return decideEscalation(moderation, { before: points - theCase.points, after: points }, recentCounts);
}

async function caseActions(ctx: EventContext, theCase: ModerationCase, target: Member, moderator: Member | null, sanctions: ActionDraft[], points: number): Promise<ActionDraft[]> {
  const actions: ActionDraft[] = [];
  const summary = summarizeCase(ctx, theCase, target);
  if (ctx.config.moderation.dmMember && !target.isBot && theCase.kind !== 'untimeout' && theCase.kind !== 'unban') {
    const community = ctx.config.name ?? ctx.community.name ?? ctx.community.externalId;
    actions.push({
      type: 'message.send',
      member: target.externalId,
      message: { text: ctx.t('moderation.dm', { community, summary, number: theCase.number, reason: neutralizeMentions(theCase.reason) }) },
    });
  }
  actions.push(...sanctions);
  actions.push({ type: 'message.send', channel: await ctx.channelId(ctx.config.channels.modLog), message: caseCard(ctx, theCase, target, moderator, { activePoints: points }) });
  return actions;
}

export type { CaseWithPeople };

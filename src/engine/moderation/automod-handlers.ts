import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { EventContext } from '../capability.js';
import { neutralizeMentions, truncate } from '../format/neutralize-mentions.js';
import { evaluateJoin, evaluateMessage, resolveAutomodRules, type RateCounters } from './automod/index.js';
import { recordCase } from './case-flow.js';

/** Keeps evidence useful in the mod log without storing a 100 KB flood twice. */
const EVIDENCE_CHARS = 2000;

/**
 * Judges a message by the automatic rules; on a hit: deletes it if a rule says so, opens one
 * case for the message (its rules, their reasons and the sum of their points), and lets the
 * ladder escalate.
 */
export function moderateMessage(counters: RateCounters) {
  return async (event: EventOfType<'message.created'>, ctx: EventContext): Promise<ActionDraft[]> => {
    const { config } = ctx;
    if (!config.moderation.enabled || !ctx.member || !ctx.channel) return [];
    const rules = resolveAutomodRules(config.automod, ctx.channel.name);
    const hits = await evaluateMessage(
      {
        eventId: event.id,
        communityKey: `${event.platform}:${event.community}`,
        memberId: event.author.id,
        memberRoles: event.author.roles ?? ctx.member.roles,
        channelName: ctx.channel.name,
        text: event.text,
        mentions: event.mentions ?? [],
        isBot: event.author.bot ?? ctx.member.isBot,
        at: new Date(event.at).getTime(),
      },
      rules,
      counters,
    );
    // A hit that neither deletes nor costs points (a preset may only observe a rule) opens no case.
    const effective = hits.filter((hit) => hit.deleteMessage || hit.points > 0);
    if (!effective.length) return [];
    const reasons = effective.map((hit) => hit.reason).join('; ');
    const actions: ActionDraft[] = [];
    if (effective.some((hit) => hit.deleteMessage)) {
      actions.push({ type: 'message.delete', channel: event.channel, messageId: event.id, reason: ctx.t('moderation.deleteReason', { reasons }) });
      await ctx.tx.message.updateMany({ where: { communityId: ctx.community.id, externalId: event.id }, data: { deletedAt: new Date(event.at) } });
    }
    const { actions: caseActions } = await recordCase(ctx, {
      target: ctx.member,
      moderator: null,
      kind: 'automod',
      rules: [...new Set(effective.map((hit) => hit.rule))],
      reason: reasons,
      points: effective.reduce((sum, hit) => sum + hit.points, 0),
      evidence: { messageId: event.id, channelId: event.channel, text: truncate(event.text, EVIDENCE_CHARS) },
    });
    return [...actions, ...caseActions];
  };
}

/** Watches joins for a raid: alerts the moderators once per raid, and slows or locks entry if configured. */
export function watchJoins(counters: RateCounters) {
  return async (event: EventOfType<'member.joined'>, ctx: EventContext): Promise<ActionDraft[]> => {
    const { config } = ctx;
    if (!config.moderation.enabled) return [];
    const accountCreatedAt = typeof event.member.accountCreatedAt === 'string' ? Date.parse(event.member.accountCreatedAt) : undefined;
    const verdict = await evaluateJoin(
      {
        eventId: event.id,
        communityKey: `${event.platform}:${event.community}`,
        memberId: event.member.id,
        at: new Date(event.at).getTime(),
        ...(accountCreatedAt !== undefined && !Number.isNaN(accountCreatedAt) && { accountCreatedAt }),
      },
      resolveAutomodRules(config.automod, ''),
      counters,
    );
    if (!verdict.raid) return [];
    const roles = config.roles.moderator.map((role) => `<@&${role}>`).join(' ');
    const actions: ActionDraft[] = [
      { type: 'message.send', channel: await ctx.channelId(config.channels.modLog), message: { text: ctx.t('moderation.raidAlert', { reason: neutralizeMentions(verdict.reason), roles }) } },
    ];
    if (verdict.action !== 'alert') actions.push({ type: 'entry.restrict', mode: verdict.action, reason: verdict.reason });
    return actions;
  };
}

import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { EventContext } from '../capability.js';
import { commandArgs } from '../command-args.js';
import { neutralizeMentions } from '../format/neutralize-mentions.js';
import { ephemeral, mention, profileOf } from './common.js';

type Command = EventOfType<'command.invoked'>;

/** After the welcome: a DM with the checklist (rules, introduction, interests). Not for bots, nor for members returning. */
export async function onboard(event: EventOfType<'member.joined'>, ctx: EventContext): Promise<ActionDraft[]> {
  const config = ctx.config.engagement;
  if (!config.enabled || !config.onboarding.enabled || event.member.bot || !ctx.member) return [];
  if (ctx.memberBefore) return [];
  await profileOf(ctx.tx, ctx.member.id);
  const text = ctx.t('engagement.onboarding.dm', {
    community: ctx.config.name ?? ctx.community.name ?? ctx.community.externalId,
    member: mention(ctx.member),
    rules: `<#${await ctx.channelId(ctx.config.channels.rules)}>`,
    introductions: `<#${await ctx.channelId(ctx.config.channels.introductions)}>`,
    interests: config.interests.join(', '),
  });
  return [{ type: 'message.send', member: event.member.id, message: { text } }];
}

/** The member's first message in the introductions channel is their introduction (a checklist step). */
export async function noteIntroduction(event: EventOfType<'message.created'>, ctx: EventContext): Promise<ActionDraft[]> {
  const config = ctx.config.engagement;
  if (!config.enabled || event.author.bot || !ctx.member || !ctx.channel) return [];
  if (ctx.channel.name !== ctx.config.channels.introductions || event.thread || event.replyTo) return [];
  const profile = await profileOf(ctx.tx, ctx.member.id);
  if (profile.introducedAt) return [];
  await ctx.tx.engagementProfile.update({ where: { memberId: ctx.member.id }, data: { introducedAt: new Date(event.at) } });
  if (profile.interests.length) return [];
  return [ephemeral(event.author.id, ctx.t('engagement.onboarding.introduced', { member: mention(ctx.member) }))];
}

/** `/interests [a, b …|none]`: shows or sets the member's interests from the configured list. */
export async function interests(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const available = ctx.config.engagement.interests;
  const raw = commandArgs(event, ['interests'] as const).interests?.trim();
  const profile = await profileOf(ctx.tx, ctx.member!.id);
  const list = available.join(', ');
  if (!raw) {
    return [ephemeral(event.member.id, profile.interests.length ? ctx.t('engagement.interests.current', { interests: profile.interests.join(', '), available: list }) : ctx.t('engagement.interests.none', { available: list }))];
  }
  if (/^(none|clear|-)$/i.test(raw)) {
    await ctx.tx.engagementProfile.update({ where: { memberId: profile.memberId }, data: { interests: [] } });
    return [ephemeral(event.member.id, ctx.t('engagement.interests.cleared'))];
  }
  const wanted = [...new Set(raw.toLowerCase().split(/[\s,;]+/).filter(Boolean))];
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length) return [ephemeral(event.member.id, ctx.t('engagement.interests.unknown', { unknown: neutralizeMentions(unknown.join(', ')), available: list }))];
  const chosen = available.filter((a) => wanted.includes(a));
  await ctx.tx.engagementProfile.update({ where: { memberId: profile.memberId }, data: { interests: chosen } });
  return [ephemeral(event.member.id, ctx.t('engagement.interests.set', { interests: chosen.join(', ') }))];
}

/** `/intros [on|off]`: opt in or out of the weekly introductions. */
export async function introsOptOut(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const state = commandArgs(event, ['state'] as const).state?.toLowerCase();
  const profile = await profileOf(ctx.tx, ctx.member!.id);
  if (state === undefined) {
    return [ephemeral(event.member.id, ctx.t('engagement.intros.status', { state: ctx.t(profile.introsOptOut ? 'engagement.intros.stateOff' : 'engagement.intros.stateOn') }))];
  }
  if (state !== 'on' && state !== 'off') return [ephemeral(event.member.id, ctx.t('engagement.intros.badState'))];
  await ctx.tx.engagementProfile.update({ where: { memberId: profile.memberId }, data: { introsOptOut: state === 'off' } });
  return [ephemeral(event.member.id, ctx.t(`engagement.intros.${state}`))];
}

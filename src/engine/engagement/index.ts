import { parseDuration } from '../../core/duration.js';
import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { Capability, CommunityContext, EventContext } from '../capability.js';
import { AMBASSADOR_SCAN_JOB, ambassadorCommand, decideNomination, scanForAmbassadors } from './ambassadors.js';
import { ephemeral } from './common.js';
import { link, unlink } from './identity.js';
import { answerFollowUp, followUpIntro, followUpJobId, INTRO_FOLLOW_UP_JOB, INTROS_JOB, introduceMembers } from './intros.js';
import { forgetMe, myData } from './member-data.js';
import { interests, introsOptOut, noteIntroduction, onboard } from './onboarding.js';
import { leaderboard, rank } from './rank.js';
import { evaluateTiers, TIERS_JOB } from './tiers.js';

export { EngagementConfigSchema, type EngagementConfig } from './config.js';
export { memberScore, ranking, scoreParts, type MemberScore, type ScorePart } from './score.js';
export { reclaimForgottenCases, forgottenId } from './member-data.js';

type Command = EventOfType<'command.invoked'>;
const COMMANDS: Record<string, (event: Command, ctx: EventContext) => Promise<ActionDraft[]>> = {
  rank,
  leaderboard,
  interests,
  intros: introsOptOut,
  ambassador: ambassadorCommand,
  link,
  unlink,
  mydata: myData,
  forgetme: forgetMe,
};
/** Commands that work even with engagement disabled: a member's own data and links. */
const ALWAYS = new Set(['mydata', 'forgetme', 'link', 'unlink']);

async function onCommand(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const handler = COMMANDS[event.command];
  if (!handler || (!ctx.config.engagement.enabled && !ALWAYS.has(event.command))) return [];
  if (event.member.bot || !ctx.member) return [ephemeral(event.member.id, ctx.t('engagement.onlyMembers'))];
  return handler(event, ctx);
}

async function onComponent(event: EventOfType<'component.used'>, ctx: EventContext): Promise<ActionDraft[]> {
  if (event.componentId.startsWith('amb:')) return decideNomination(event, ctx);
  if (event.componentId.startsWith('intro:')) return answerFollowUp(event, ctx);
  return [];
}

/** Arms the repeating jobs (or takes them off when disabled) and the follow-ups not yet asked. */
async function recover(ctx: CommunityContext): Promise<void> {
  const config = ctx.config.engagement;
  const jobs: [string, string, boolean, string][] = [
    ['engagement:tiers', TIERS_JOB, config.enabled, config.tiers.schedule],
    ['engagement:intros', INTROS_JOB, config.enabled && config.intros.enabled, config.intros.schedule],
    ['engagement:ambassadors', AMBASSADOR_SCAN_JOB, config.enabled && config.ambassadors.enabled, config.ambassadors.schedule],
  ];
  for (const [id, name, enabled, cron] of jobs) {
    if (enabled) ctx.repeat({ id, name, cron });
    else ctx.cancel(id);
  }
  if (!config.intros.followUpAfter) return;
  const after = parseDuration(config.intros.followUpAfter)!;
  const pending = await ctx.tx.introPair.findMany({ where: { communityId: ctx.community.id, met: null, followedUpAt: null }, orderBy: { id: 'asc' } });
  for (const pair of pending) {
    ctx.schedule({ id: followUpJobId(pair.id), name: INTRO_FOLLOW_UP_JOB, runAt: new Date(pair.createdAt.getTime() + after), payload: { pairId: pair.id } });
  }
}

/**
 * Engagement: onboarding checklist, weekly introductions by shared interests, the involvement
 * score (SQL, explainable with /rank), tiers with roles, ambassador nominations decided by
 * moderators' buttons, linked identities across platforms, and a member's own data.
 */
export const engagement: Capability = {
  name: 'engagement',
  on: {
    'member.joined': onboard,
    'message.created': noteIntroduction,
    'command.invoked': onCommand,
    'component.used': onComponent,
  },
  jobs: {
    [TIERS_JOB]: evaluateTiers,
    [INTROS_JOB]: introduceMembers,
    [INTRO_FOLLOW_UP_JOB]: followUpIntro,
    [AMBASSADOR_SCAN_JOB]: scanForAmbassadors,
  },
  recover,
};

import type { ActionDraft } from '../../contracts/index.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import type { JobContext } from '../capability.js';
import { neutralizeMentions, truncate } from '../format/neutralize-mentions.js';
import { addWorkingTime } from './working-hours.js';

export const ESCALATE_JOB = 'questions.escalate';

/**
 * One job id per question for both escalation levels: answering or resolving the question
 * cancels whichever is pending.
 */
export const escalationJobId = (questionId: number) => `question:${questionId}:escalation`;

/**
 * Runs when a question's deadline passes unanswered: level 1 posts it in its team's channel,
 * mentioning the team's role, and arms level 2; level 2 tells the managers.
 */
export async function escalateUnansweredQuestion(ctx: JobContext): Promise<ActionDraft[]> {
  const questionId = Number(ctx.job.payload.questionId);
  const level = Number(ctx.job.payload.level);
  const question = await ctx.tx.question.findUnique({ where: { id: questionId }, include: { asker: true } });
  if (!question || question.communityId !== ctx.community.id) return [];
  if (question.status === 'answered' || question.status === 'resolved' || question.escalationLevel >= level) return [];

  const { questions } = ctx.config;
  const team = questions.teams[question.team] ?? questions.teams[questions.defaultTeam]!;
  const at = ctx.job.dueAt;
  await ctx.tx.questionEscalation.create({ data: { questionId, level, team: question.team, at } });
  await ctx.tx.question.update({ where: { id: questionId }, data: { status: 'escalated', escalationLevel: level } });

  const waiting = formatDuration(at.getTime() - question.askedAt.getTime());
  const mentions = level === 1 ? `<@&${team.role}>` : ctx.config.roles.manager.map((role) => `<@&${role}>`).join(' ');
  const channel = await ctx.channelId(level === 1 ? team.channel : questions.managersChannel);
  if (level === 1) {
    const runAt = addWorkingTime(at, parseDuration(questions.managerEscalationAfter)!, team.workingHours, ctx.config.timeZone);
    ctx.schedule({ id: escalationJobId(questionId), name: ESCALATE_JOB, runAt, payload: { questionId, level: 2 } });
  }
  return [
    {
      type: 'message.send',
      channel,
      message: {
        text: ctx.t(level === 1 ? 'questions.escalation' : 'questions.managerEscalation', { mentions, waiting, team: question.team }),
        fields: [
          { name: ctx.t('questions.field.question'), value: neutralizeMentions(truncate(question.text, 500)) },
          { name: ctx.t('questions.field.asker'), value: `<@${question.asker.externalId}>` },
          { name: ctx.t('questions.field.where'), value: `<#${question.channelExternalId}>` },
          { name: ctx.t('questions.field.topic'), value: question.topic ?? ctx.t('questions.noTopic') },
        ],
      },
      // Adapters turn this into a permalink to the question.
      link: { channel: question.channelExternalId, messageId: question.messageExternalId },
    } as ActionDraft,
  ];
}

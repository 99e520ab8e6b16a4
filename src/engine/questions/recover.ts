import { parseDuration } from '../../core/duration.js';
import type { CommunityContext } from '../capability.js';
import { ESCALATE_JOB, escalationJobId } from './escalate.js';
import { addWorkingTime } from './working-hours.js';

/**
 * After a restart, re-arms the next escalation of every question still waiting for an answer
 * (the in-process scheduler forgets; BullMQ keeps them, and scheduling an id again replaces it).
 */
export async function rearmEscalations(ctx: CommunityContext): Promise<void> {
  const { questions } = ctx.config;
  if (!questions.enabled) return;
  const waiting = await ctx.tx.question.findMany({
    where: { communityId: ctx.community.id, status: { in: ['open', 'escalated'] }, escalationLevel: { lt: 2 } },
    include: { escalations: { orderBy: { level: 'desc' }, take: 1 } },
  });
  for (const question of waiting) {
    const team = questions.teams[question.team] ?? questions.teams[questions.defaultTeam]!;
    const last = question.escalations[0];
    const runAt = last
      ? addWorkingTime(last.at, parseDuration(questions.managerEscalationAfter)!, team.workingHours, ctx.config.timeZone)
      : question.deadlineAt;
    ctx.schedule({ id: escalationJobId(question.id), name: ESCALATE_JOB, runAt, payload: { questionId: question.id, level: question.escalationLevel + 1 } });
  }
}

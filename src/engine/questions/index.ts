import type { Capability } from '../capability.js';
import { handleQuestionCommand } from './commands.js';
import { ESCALATE_JOB, escalateUnansweredQuestion } from './escalate.js';
import { resolveByReaction, trackQuestion } from './lifecycle.js';
import { rearmEscalations } from './recover.js';

export { QuestionsConfigSchema, type QuestionsConfig } from './config.js';
export { questionStats, type QuestionStats } from './stats.js';
export { escalationJobId } from './escalate.js';

/**
 * Questions: detected in English and Indonesian, followed until answered or resolved, and
 * escalated to the team that owns their topic (then to managers) when their deadline passes.
 */
export const questions: Capability = {
  name: 'questions',
  on: {
    'message.created': trackQuestion,
    'reaction.added': resolveByReaction,
    'command.invoked': handleQuestionCommand,
  },
  jobs: { [ESCALATE_JOB]: escalateUnansweredQuestion },
  recover: rearmEscalations,
};

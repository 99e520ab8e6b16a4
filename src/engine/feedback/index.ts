import type { Capability } from '../capability.js';
import { handleFeedbackCommand, handleSupport, JOB_CARD, refreshCard } from './handlers.js';

export { FeedbackConfigSchema, type FeedbackConfig } from './config.js';
export { feedbackSummary, type FeedbackSummary } from './stats.js';
export { exportFeedbackCsv, EXPORT_COLUMNS, type ExportFilter } from './export.js';

/**
 * Feedback: /feedback by category, acknowledged with a reference (FB-12) and posted to the
 * owning team's channel; +1 once per member (by the database); status changes by the team,
 * told to the submitter; /feedback top; CSV export (`guyub feedback export`).
 */
export const feedback: Capability = {
  name: 'feedback',
  on: {
    'command.invoked': handleFeedbackCommand,
    'component.used': async (event, ctx) => (ctx.config.feedback.enabled && event.componentId.startsWith('feedback:') ? handleSupport(event, ctx) : []),
  },
  jobs: {
    [JOB_CARD]: (ctx) => refreshCard(ctx, Number(ctx.job.payload.number)),
  },
};

import { parseDuration } from '../../core/duration.js';
import type { QuestionsConfig } from './config.js';

export interface Route {
  topic: string | null;
  team: string;
  deadlineMs: number;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The topic and team of a question: the first configured topic whose channel, phrase or
 * keyword matches, else the default team. The deadline is the topic's, else the channel's,
 * else the community's.
 */
export function routeQuestion(text: string, channelName: string, config: QuestionsConfig): Route {
  const lower = text.toLowerCase();
  const topic = config.topics.find(
    (t) =>
      t.channels.includes(channelName) ||
      t.phrases.some((phrase) => lower.includes(phrase.toLowerCase())) ||
      t.keywords.some((word) => new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(word.toLowerCase())}($|[^\\p{L}\\p{N}])`, 'u').test(lower)),
  );
  const deadline = topic?.deadline ?? config.channelDeadlines[channelName] ?? config.answerDeadline;
  return { topic: topic?.name ?? null, team: topic?.team ?? config.defaultTeam, deadlineMs: parseDuration(deadline)! };
}

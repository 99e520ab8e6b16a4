import type { MentionsRule } from '../config.js';
import type { RuleHit } from '../evaluate.js';
import type { MessageView } from '../normalize.js';

/*
 * Mass mentions: too many distinct members or roles in one message (from the event's mention list
 * and the mention markup in the text: Discord <@id>, <@!id>, <@&role>; Slack <@U…>, <!subteam^…>),
 * or @everyone / @here (Slack: <!channel>, <!here>, <!everyone>) by a member.
 */

const MENTION_MARKUP = /<(?:@[!&]?|!subteam\^)([\w-]{1,40})(?:\|[^>]{0,100})?>/g;
/** `@everyone`/`@here` as Discord pings it (not inside an address or a word), or Slack's broadcast markup. */
const EVERYONE = /(?<![\w.@`])@(?:everyone|here)(?![\w-])|<!(?:channel|here|everyone)(?:\|[^>]{0,100})?>/i;

/** Distinct mentions in the message: the platform's list plus any markup in the text. */
export function countMentions(view: MessageView, mentions: readonly string[]): number {
  const text = view.head;
  if (!text.includes('<')) return mentions.length < 2 ? mentions.length : new Set(mentions).size;
  const ids = new Set(mentions);
  for (const m of text.matchAll(MENTION_MARKUP)) ids.add(m[1]!);
  return ids.size;
}

export function mentionsEveryone(view: MessageView): boolean {
  const text = view.head;
  return (text.includes('@') || text.includes('<!')) && EVERYONE.test(text);
}

export function checkMentions(view: MessageView, rule: MentionsRule, mentions: readonly string[]): RuleHit | undefined {
  if (!rule.enabled) return undefined;
  if (rule.everyone && mentionsEveryone(view)) {
    return {
      rule: 'mentions',
      points: rule.points,
      deleteMessage: rule.delete,
      reason: 'mass mention of everyone or here',
      evidence: 'everyone/here',
    };
  }
  const count = countMentions(view, mentions);
  if (count > rule.max) {
    return {
      rule: 'mentions',
      points: rule.points,
      deleteMessage: rule.delete,
      reason: `mass mention (${count} members or roles, more than ${rule.max})`,
    };
  }
  return undefined;
}

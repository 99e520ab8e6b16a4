import type { ZalgoRule } from '../config.js';
import type { RuleHit } from '../evaluate.js';
import type { MessageView } from '../normalize.js';

/*
 * Zalgo text: more than `maxCombiningPerChar` non-spacing or enclosing marks stacked on one character.
 * Ordinary text stays well below: accents use one or two, a keycap emoji two.
 */

const patterns = new Map<number, RegExp>();

/** A pattern finding a stack of more than `max` marks (cached per `max`). */
export function zalgoPattern(max: number): RegExp {
  let re = patterns.get(max);
  if (!re) {
    re = new RegExp(`[\\p{Mn}\\p{Me}]{${max + 1},}`, 'u');
    patterns.set(max, re);
  }
  return re;
}

export function checkZalgo(view: MessageView, rule: ZalgoRule, pattern: RegExp): RuleHit | undefined {
  if (!rule.enabled || view.ascii) return undefined;
  const m = pattern.exec(view.text);
  if (!m) return undefined;
  return {
    rule: 'zalgo',
    points: rule.points,
    deleteMessage: rule.delete,
    reason: `zalgo text (${Array.from(m[0]).length} marks stacked on one character)`,
  };
}

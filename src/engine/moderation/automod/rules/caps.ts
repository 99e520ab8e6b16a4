import type { CapsRule } from '../config.js';
import type { RuleHit } from '../evaluate.js';
import type { MessageView } from '../normalize.js';

/*
 * Excessive capitals: the share of upper-case letters among the letters of the message, leaving out
 * links, mention and channel markup (<…>), emoji short codes (:SOME_EMOJI:) and words of at most two
 * distinct letters (`OK`, `NO`, `WKWKWK`, `HAHAHA`: laughter is not shouting). Any script with case
 * counts (Latin, Cyrillic, Greek…); messages with fewer counted letters than `minLength` are never
 * judged.
 */

const SHORTCODE = /:[\w+-]{1,40}:/y;

/**
 * Upper- and lower-case letters counted in `text`. With `ratio`, stops early (returning the counts so
 * far) once the rest of the text could no longer bring the upper-case share up to it.
 */
export function countCase(text: string, ratio = 0): { upper: number; lower: number } {
  let upper = 0;
  let lower = 0;
  const n = text.length;
  // upper / (upper + lower) >= ratio  ⇔  upper >= k · lower
  const k = ratio > 0 && ratio < 1 ? ratio / (1 - ratio) : 0;
  // The current word: its counts and its first two distinct (lower-cased) letters.
  let wu = 0;
  let wl = 0;
  let d1 = -1;
  let d2 = -1;
  let varied = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    let folded = -1; // lower-cased letter, or -1 when c is not a letter
    if (c >= 97 && c <= 122) {
      wl++;
      folded = c;
    } else if (c >= 65 && c <= 90) {
      wu++;
      folded = c + 32;
    } else if (c > 127) {
      const ch = text[i]!;
      const lo = ch.toLowerCase();
      if (ch !== lo) {
        wu++;
        folded = lo.charCodeAt(0);
      } else if (ch !== ch.toUpperCase()) {
        wl++;
        folded = c;
      }
    }
    if (folded !== -1) {
      if (!varied && folded !== d1 && folded !== d2) {
        if (d1 === -1) d1 = folded;
        else if (d2 === -1) d2 = folded;
        else varied = true;
      }
      continue;
    }
    // End of a word: count it if it has three or more distinct letters.
    if (varied) {
      upper += wu;
      lower += wl;
      if (k > 0 && lower * k > upper + (n - i)) break;
    }
    wu = wl = 0;
    d1 = d2 = -1;
    varied = false;
    if (c === 60 /* < */) {
      const end = text.indexOf('>', i);
      if (end !== -1 && end - i <= 120) i = end;
    } else if (c === 58 /* : */) {
      SHORTCODE.lastIndex = i;
      if (SHORTCODE.test(text)) i = SHORTCODE.lastIndex - 2; // the closing ':' may open the next one
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      // A link (`https://…`): skip to the next space.
      while (i < n && text.charCodeAt(i) > 32) i++;
    }
  }
  return { upper, lower };
}

export function checkCaps(view: MessageView, rule: CapsRule): RuleHit | undefined {
  if (!rule.enabled || view.text.length < rule.minLength) return undefined;
  const { upper, lower } = countCase(view.head, rule.ratio);
  const letters = upper + lower;
  if (letters < rule.minLength || upper / letters < rule.ratio) return undefined;
  return {
    rule: 'caps',
    points: rule.points,
    deleteMessage: rule.delete,
    reason: `excessive caps (${Math.round((100 * upper) / letters)}% of ${letters} letters)`,
  };
}

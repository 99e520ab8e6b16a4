import { resolveConfusablesTransformer } from 'obscenity';

/*
 * Text normalization for automod. Three views of a message, each computed at most once:
 * - `plain`: NFKC, invisible characters removed, lower case. For links and invites.
 * - `normalized` (for words): NFKD with every combining mark (accents, zalgo) removed, zero-width
 *   and bidi controls removed, look-alike characters (Cyrillic, Greek, fullwidth, math letters…)
 *   mapped to Latin, lower case, and letters spelled out with separators
 *   (`f.u.c.k`, `k o n t o l`) joined. Text shown reversed by a right-to-left override is
 *   appended in the order it is displayed.
 * - `folded` (see foldForWords): leetspeak resolved, whitespace made single spaces and repeated
 *   letters collapsed: the form obscenity's patterns are written against.
 */

/** Longest text examined at all; longer input is cut (Slack's own limit is 40,000 characters). */
export const MAX_SCAN_CHARS = 128 * 1024;
/** Longest prefix examined by the more expensive structural checks (links, mentions, caps). */
export const MAX_STRUCTURE_CHARS = 16 * 1024;

const ASCII_PRINTABLE = /^[\x20-\x7e\t\n\r]*$/;
/** Format (zero-width, bidi, tags, soft hyphen…) and control characters, and invisible fillers. */
const INVISIBLE = /[\p{Cf}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0]/gu;
const INVISIBLE_OR_MARK = /[\p{Cf}\p{Mn}\p{Me}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0]/gu;
/** Runs of anything but printable ASCII. */
const NON_ASCII_RUN = /[^\x20-\x7e\t\n\r]+/g;
/** Characters that may be look-alikes: the BMP beyond ASCII, and enclosed alphanumerics and regional indicators (🅰, 🇫). */
const MAPPABLE = /[\u0080-\ud7ff\ue000-\uffff]|\ud83c[\udd00-\uddff]/g;
const RLO = '\u202e';

const confusables = resolveConfusablesTransformer() as unknown as { transform(char: number): number | undefined };
/** Look-alikes obscenity's confusables table does not map. */
const EXTRA_LOOKALIKES: Record<string, string> = {
  ı: 'i',
  ȷ: 'j',
  ɑ: 'a',
  ɩ: 'i',
  ʋ: 'u',
  ꞵ: 'b',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ł: 'l',
  ŧ: 't',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'p',
  ð: 'd',
  ƒ: 'f',
  '\u2800': ' ',
};
const lookalikeCache = new Map<string, string>();

function mapLookalike(ch: string): string {
  const cached = lookalikeCache.get(ch);
  if (cached !== undefined) return cached;
  let out = EXTRA_LOOKALIKES[ch];
  if (out === undefined) {
    const cp = ch.codePointAt(0)!;
    const mapped = confusables.transform(cp);
    out = mapped === undefined || mapped === cp ? ch : String.fromCodePoint(mapped).toLowerCase();
  }
  if (lookalikeCache.size < 10_000) lookalikeCache.set(ch, out);
  return out;
}

/** Removes zero-width, bidi and other invisible characters. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Segments a right-to-left override shows reversed, in display order (`\u202Ekcuf` → `fuck`). Linear. */
function displayReversedSegments(text: string): string {
  const stops = ['\u202c', '\u2069', '\n'];
  const next = stops.map((stop) => text.indexOf(stop));
  let out = '';
  let from = text.indexOf(RLO);
  while (from !== -1) {
    let end = text.length;
    for (let k = 0; k < stops.length; k++) {
      if (next[k] !== -1 && next[k]! <= from) next[k] = text.indexOf(stops[k]!, from + 1);
      if (next[k] !== -1 && next[k]! < end) end = next[k]!;
    }
    out += ' ' + Array.from(text.slice(from + 1, end)).reverse().join('');
    from = text.indexOf(RLO, end);
  }
  return out;
}

/** A run of characters other than printable ASCII: decomposed, marks and invisibles dropped, look-alikes mapped. */
function normalizeRun(run: string): string {
  return run.normalize('NFKD').toLowerCase().replace(INVISIBLE_OR_MARK, '').replace(MAPPABLE, mapLookalike);
}

/** Token characters of spelled-out words: a–z, 0–9, `@`, `$` (as 1 char code table, 1 = letter, 2 = digit or leet). */
const TOKEN = new Uint8Array(128);
for (let c = 97; c <= 122; c++) TOKEN[c] = 1;
for (let c = 48; c <= 57; c++) TOKEN[c] = 2;
TOKEN[64] = 2;
TOKEN[36] = 2;
const tokenKind = (c: number) => (c < 128 ? TOKEN[c]! : 0);

/**
 * Joins letters spelled out one by one with the same separator of one to three characters (line
 * breaks included): `f.u.c.k`, `k o n t o l`, `s-h-1-t`. Three or more in a row, mostly letters (so
 * `5.3.x` stays), and only with one separator throughout (so `x, a b` stays).
 */
export function joinSpacedLetters(s: string): string {
  const n = s.length;
  let out: string | undefined;
  let copied = 0;
  let runStart = -1; // first token of the current run of one-character tokens
  let runEnd = -1; // just after its last token
  let runCount = 0;
  let runGap = -1; // where the run's separator is, once it has one
  let runGapLength = 0;
  let i = 0;
  for (;;) {
    const gapStart = i;
    while (i < n && tokenKind(s.charCodeAt(i)) === 0) i++;
    const gap = i - gapStart;
    const tokStart = i;
    while (i < n && tokenKind(s.charCodeAt(i)) !== 0) i++;
    const single = i - tokStart === 1;
    let continues = runCount > 0 && single && gap >= 1 && gap <= 3;
    if (continues && runGap !== -1) continues = gap === runGapLength && sameChars(s, runGap, gapStart, gap);
    if (runCount > 0 && !continues) {
      if (runCount >= 3) {
        const joined = joinRun(s, runStart, runEnd);
        if (joined !== undefined) {
          out = (out ?? '') + s.slice(copied, runStart) + joined;
          copied = runEnd;
        }
      }
      // A single token after a different separator may start the next run with the previous one.
      if (single && gap >= 1 && gap <= 3 && runEnd === gapStart && copied <= runEnd - 1) {
        runStart = runEnd - 1;
        runCount = 1;
        runGap = -1;
      } else runCount = 0;
    }
    if (single) {
      if (runCount === 0) {
        runStart = tokStart;
        runGap = -1;
      } else if (runGap === -1) {
        runGap = gapStart;
        runGapLength = gap;
      }
      runEnd = i;
      runCount++;
    }
    if (tokStart >= n) break;
  }
  return out === undefined ? s : out + s.slice(copied);
}

function sameChars(s: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (s.charCodeAt(a + k) !== s.charCodeAt(b + k)) return false;
  return true;
}

/** The tokens of s[from, to) joined, when mostly letters. */
function joinRun(s: string, from: number, to: number): string | undefined {
  let joined = '';
  let letters = 0;
  let digits = 0;
  for (let k = from; k < to; k++) {
    const kind = tokenKind(s.charCodeAt(k));
    if (kind === 0) continue;
    joined += s[k];
    if (kind === 1) letters++;
    else if (s[k]! <= '9') digits++;
  }
  return letters >= 2 && letters >= digits ? joined : undefined;
}

/**
 * The form banned words are matched in (see the file comment). Pure and deterministic; linear in the
 * input, which should already be cut to MAX_SCAN_CHARS.
 */
export function normalizeForMatching(text: string): string {
  let s: string;
  if (ASCII_PRINTABLE.test(text)) {
    s = text.toLowerCase();
  } else {
    const source = text.includes(RLO) ? text + displayReversedSegments(text) : text;
    // A few non-ASCII runs (an emoji, an accent): normalize just those; many: the whole text at once.
    const runs = source.match(NON_ASCII_RUN);
    s = runs !== null && runs.length > 32 ? normalizeRun(source) : source.replace(NON_ASCII_RUN, normalizeRun);
    s = s.toLowerCase();
  }
  return joinSpacedLetters(s);
}

/** For links and invites: NFKC (fullwidth `ｄｉｓｃｏｒｄ．ｇｇ` → `discord.gg`), invisible characters removed, lower case. */
export function plainForLinks(text: string): string {
  if (ASCII_PRINTABLE.test(text)) return text.toLowerCase();
  return stripInvisible(text.normalize('NFKC')).toLowerCase();
}

/** Obscenity's leetspeak table (resolve-leetspeak), as char code → char code. */
const LEET = new Int32Array(128).fill(-1);
for (const [to, from] of Object.entries({ a: '@4', c: '(', e: '3', g: '6', i: '1|!', l: '/', o: '0', s: '$5', t: '7', z: '2' })) {
  for (const f of from) LEET[f.charCodeAt(0)] = to.charCodeAt(0);
}
/** Obscenity's recommended duplicate thresholds: `fuuuck` → `fuck`, but `ass`, `boob`, `fellatio` keep their pairs. */
const REPEAT_LIMIT = new Int32Array(128).fill(1);
for (const c of 'beolsg') REPEAT_LIMIT[c.charCodeAt(0)] = 2;

/**
 * The form obscenity's patterns are written against: leetspeak resolved (`sh1t`, `k0nt0l`), runs of a
 * letter cut to one (two for b, e, o, l, s, g). With `map`, also where each folded character came from
 * in `normalized`.
 */
export function foldForWords(normalized: string, map?: number[]): string {
  const len = foldInto(normalized, map);
  const out = foldBuffer();
  let s = '';
  for (let i = 0; i < len; i += 8192) s += String.fromCharCode.apply(null, out.subarray(i, Math.min(len, i + 8192)) as unknown as number[]);
  return s;
}

/**
 * foldForWords without making a string: writes the folded char codes to the shared buffer
 * (foldBuffer(), valid until the next call) and returns how many.
 */
export function foldInto(normalized: string, map?: number[]): number {
  const n = normalized.length;
  if (buffer.length < n) buffer = new Uint16Array(Math.max(n, buffer.length * 2));
  const out = buffer;
  let len = 0;
  let last = -1;
  let run = 0;
  for (let i = 0; i < n; i++) {
    let c = normalized.charCodeAt(i);
    if (c < 128) {
      const l = LEET[c]!;
      if (l !== -1) c = l;
      else if (c <= 13 && c >= 9) c = 32;
      if (c === last) {
        if (++run > REPEAT_LIMIT[c]!) continue;
      } else {
        last = c;
        run = 1;
      }
    } else if (c === last) continue;
    else {
      last = c;
      run = 1;
    }
    out[len++] = c;
    if (map !== undefined) map.push(i);
  }
  return len;
}

/** The buffer foldInto writes to. */
export const foldBuffer = (): Uint16Array => buffer;
let buffer = new Uint16Array(4096);

/**
 * Makes user-supplied text safe to show in a reason, an evidence field or the mod log: no mention can
 * ping (`@everyone`, `<@123>`, `<!channel>` get a zero-width space), no bidi trick or zalgo survives,
 * no code block breaks, and it is at most `max` characters.
 */
export function safeEcho(text: string, max = 80): string {
  let s = text.normalize('NFC').replace(INVISIBLE, '').replace(/[\p{Mn}\p{Me}]{2,}/gu, '').replace(/\s+/g, ' ').trim();
  if (s.length > max) s = Array.from(s).slice(0, max).join('') + '…';
  return s.replace(/@/g, '@\u200b').replace(/</g, '<\u200b').replace(/`/g, 'ˋ');
}

/** `fuck` → `f*ck`, `anjing` → `anj*ng`: the first vowel after the first letter is starred. */
export function censorWord(word: string): string {
  const chars = Array.from(word);
  if (chars.length <= 1) return '*';
  let at = chars.findIndex((c, i) => i > 0 && /[aeiouy0-9@$!|]/i.test(c));
  if (at === -1) at = 1;
  chars[at] = '*';
  return chars.join('');
}

/**
 * One message seen by the rules: the raw text (cut to MAX_SCAN_CHARS) and lazily computed views,
 * so each normalization runs at most once per message and only if a rule needs it.
 */
export class MessageView {
  readonly text: string;
  private _plain?: string;
  private _normalized?: string;
  private _ascii?: boolean;

  constructor(text: string) {
    this.text = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
  }
  /** Only printable ASCII (the common case: most work can be skipped). */
  get ascii(): boolean {
    return (this._ascii ??= ASCII_PRINTABLE.test(this.text));
  }
  /** The first MAX_STRUCTURE_CHARS of the raw text. */
  get head(): string {
    return this.text.length > MAX_STRUCTURE_CHARS ? this.text.slice(0, MAX_STRUCTURE_CHARS) : this.text;
  }
  get plain(): string {
    return (this._plain ??= plainForLinks(this.text));
  }
  get normalized(): string {
    return (this._normalized ??= normalizeForMatching(this.text));
  }
}

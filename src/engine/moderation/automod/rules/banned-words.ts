import { DataSet, englishDataset, parseRawPattern, SyntaxKind, type Node, type ParsedPattern } from 'obscenity';
import type { BannedWordsRule } from '../config.js';
import type { RuleHit } from '../evaluate.js';
import { censorWord, foldBuffer, foldForWords, foldInto, normalizeForMatching, safeEcho, type MessageView } from '../normalize.js';

/*
 * Banned words and phrases. The word lists and the pattern language are obscenity's (its English
 * dataset with its whitelists, `Scunthorpe` safe); matching is done here, on text normalized by
 * ../normalize.ts, with every pattern in one trie walked once over the text: obscenity's own matcher
 * spends ~45 µs on a 100-character message (a pass per pattern), this ~1 µs.
 */

interface Term {
  /** What the reason shows, censored. */
  word: string;
  /** Alternative spellings: char codes, ANY for obscenity's `?` wildcard. */
  sequences: number[][];
  /** Whether a match must start / end at a word boundary (obscenity's `|`). */
  startBoundary: boolean;
  endBoundary: boolean;
  /** Terms containing the match that make it innocent (`Scunthorpe`), against the normalized text. */
  whitelist: readonly string[];
}

const ANY = -1;

/** Indonesian profanity and slurs, with common spellings; obscenity pattern syntax (`|` word boundary, `[x]` optional). */
const INDONESIAN: ReadonlyArray<[word: string, patterns: string[]]> = [
  ['anjing', ['|anjing', '|anjeng', '|anjink', '|anjg|', '|njing|']],
  ['bangsat', ['|bangsat', '|bangsad', '|bgst|']],
  ['kontol', ['konto[o]l', '|kntl|', '|kontl|']],
  ['memek', ['|memek', '|mmk|']],
  ['goblok', ['|goblo[o]k', '|goblo[o]g', '|gblk|', '|gblg|']],
  ['tolol', ['|tolo[o]l', '|tll|']],
  ['bajingan', ['|bajingan']],
  ['ngentot', ['ngento[o]t', 'ngento[o]d', '|ngewe|', '|entot', '|ngntd|', '|ngentd|']],
  ['jancok', ['|jancok', '|jancuk', '|jancik', '|dancok', '|jnck|', '|cuki|']],
  ['asu', ['|asu|', '|asw|']],
  ['kampret', ['|kampret']],
  ['keparat', ['|keparat']],
  ['brengsek', ['|brengsek']],
  ['pepek', ['|pepek']],
  ['lonte', ['|lonte']],
  ['pelacur', ['|pelacur']],
  ['jembut', ['|jembut']],
  ['pukimak', ['|pukimak', '|puki|', '|kimak']],
  ['pantek', ['|pantek']],
  ['taik', ['|taik|']],
  ['coli', ['|coli|']],
  ['bencong', ['|bencong']],
];

/** Innocent words the English dataset would otherwise flag, mostly Indonesian (`kanal` = channel, `cumi` = squid). */
const EXTRA_WHITELIST: Record<string, string[]> = {
  anal: ['kanal', 'analis', 'analitik'],
  cum: ['cumi', 'cum laude', 'cumlaude'],
  cock: ['cockpit'],
  penis: ['penistone'],
  tit: ['tit for tat'],
  ass: ['assalam'],
};
/** English phrases or patterns left out: `semen` is Indonesian for cement; `fk` is a faculty (FK = medicine). */
const ENGLISH_DROPPED_PHRASES = new Set(['semen']);
const ENGLISH_DROPPED_PATTERNS = new Set(['|fk']);
/** English spellings obscenity does not catch. */
const ENGLISH_EXTRA: ReadonlyArray<[word: string, patterns: string[]]> = [
  ['fuck', ['|phuck', '|phuk', '|fvk|', '|fuq']],
  ['shit', ['|shyt']],
  ['bitch', ['|biatch', '|bytch']],
];

/** Every spelling a pattern matches, with its optional parts present or absent. */
function expand(nodes: readonly Node[]): number[][] {
  let seqs: number[][] = [[]];
  const part = (node: Node): number[] => (node.kind === SyntaxKind.Literal ? node.chars : node.kind === SyntaxKind.Wildcard ? [ANY] : []);
  for (const node of nodes) {
    if (node.kind === SyntaxKind.Optional) {
      const extra = part(node.childNode);
      seqs = seqs.flatMap((s) => [s, [...s, ...extra]]);
    } else {
      const extra = part(node);
      seqs = seqs.map((s) => [...s, ...extra]);
    }
  }
  return seqs.filter((s) => s.length > 0);
}

function patternTerm(word: string, p: ParsedPattern, whitelist: readonly string[]): Term {
  return {
    word,
    sequences: expand(p.nodes),
    startBoundary: p.requireWordBoundaryAtStart,
    endBoundary: p.requireWordBoundaryAtEnd,
    whitelist,
  };
}

/** The pattern as obscenity would write it back, to recognize the few left out. */
const patternText = (p: ParsedPattern) =>
  (p.requireWordBoundaryAtStart ? '|' : '') +
  p.nodes
    .map((n) => (n.kind === SyntaxKind.Optional ? `[${n.childNode.kind === SyntaxKind.Wildcard ? '?' : String.fromCodePoint(...n.childNode.chars)}]` : n.kind === SyntaxKind.Wildcard ? '?' : String.fromCodePoint(...n.chars)))
    .join('') +
  (p.requireWordBoundaryAtEnd ? '|' : '');

let builtIn: Term[] | undefined;
function builtInTerms(): Term[] {
  if (builtIn) return builtIn;
  const terms: Term[] = [];
  new DataSet<{ originalWord: string }>().addAll(englishDataset).removePhrasesIf((phrase) => {
    const word = phrase.metadata?.originalWord ?? '';
    if (!word || ENGLISH_DROPPED_PHRASES.has(word)) return false;
    const whitelist = [...phrase.whitelistedTerms, ...(EXTRA_WHITELIST[word] ?? [])];
    for (const p of phrase.patterns) if (!ENGLISH_DROPPED_PATTERNS.has(patternText(p))) terms.push(patternTerm(word, p, whitelist));
    return false;
  });
  for (const [word, patterns] of [...ENGLISH_EXTRA, ...INDONESIAN]) {
    for (const p of patterns) terms.push(patternTerm(word, parseRawPattern(p), []));
  }
  return (builtIn = terms);
}

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95;

/** A configured word or phrase, matched at the start of a word in the same normalized, folded form as messages. */
function customTerm(raw: string): Term | undefined {
  const folded = foldForWords(normalizeForMatching(raw).trim());
  if (!folded) return undefined;
  const chars = Array.from(folded, (c) => c.charCodeAt(0));
  return { word: raw, sequences: [chars], startBoundary: isWordChar(chars[0]!), endBoundary: false, whitelist: [] };
}

type Found = (term: Term, from: number, to: number) => boolean;

/**
 * Every spelling of every term in one trie, as a table of states (128 ASCII transitions each, a map
 * for other characters, and obscenity's wildcard); `scan` walks it from each position of the text.
 */
class Trie {
  private next = new Int32Array(128).fill(-1);
  private readonly wide: Array<Map<number, number> | undefined> = [undefined];
  private readonly any: number[] = [-1];
  private readonly ends: Array<Term[] | undefined> = [undefined];
  private states = 1;

  constructor(readonly terms: readonly Term[]) {
    for (const term of terms) {
      for (const seq of term.sequences) {
        let state = 0;
        for (const c of seq) state = this.step(state, c);
        (this.ends[state] ??= []).push(term);
      }
    }
    this.next = this.next.slice(0, this.states * 128);
  }

  private add(): number {
    const id = this.states++;
    if (this.next.length < this.states * 128) {
      const grown = new Int32Array(this.next.length * 2).fill(-1);
      grown.set(this.next);
      this.next = grown;
    }
    this.wide.push(undefined);
    this.any.push(-1);
    this.ends.push(undefined);
    return id;
  }

  private step(state: number, c: number): number {
    if (c === ANY) {
      if (this.any[state] === -1) this.any[state] = this.add();
      return this.any[state]!;
    }
    if (c < 128) {
      if (this.next[state * 128 + c] === -1) {
        const id = this.add();
        this.next[state * 128 + c] = id;
      }
      return this.next[state * 128 + c]!;
    }
    const map = (this.wide[state] ??= new Map());
    let id = map.get(c);
    if (id === undefined) map.set(c, (id = this.add()));
    return id;
  }

  private move(state: number, c: number): number {
    return c < 128 ? this.next[state * 128 + c]! : (this.wide[state]?.get(c) ?? -1);
  }

  /** Calls `found(term, from, to)` for each match in `t[0, n)` (to exclusive) until it returns true. */
  scan(t: Uint16Array, n: number, found: Found): boolean {
    const rootAny = this.any[0]!;
    for (let i = 0; i < n; i++) {
      const first = this.move(0, t[i]!);
      if (first === -1 && rootAny === -1) continue;
      const atBoundary = i === 0 || !isWordChar(t[i - 1]!);
      if (first !== -1 && this.walk(first, t, n, i, i + 1, atBoundary, found)) return true;
      if (rootAny !== -1 && this.walk(rootAny, t, n, i, i + 1, atBoundary, found)) return true;
    }
    return false;
  }

  private walk(state: number, t: Uint16Array, n: number, from: number, pos: number, atBoundary: boolean, found: Found): boolean {
    for (;;) {
      const ends = this.ends[state];
      if (ends !== undefined) {
        const endOk = pos >= n || !isWordChar(t[pos]!);
        for (const term of ends) {
          if ((atBoundary || !term.startBoundary) && (endOk || !term.endBoundary) && found(term, from, pos)) return true;
        }
      }
      if (pos >= n) return false;
      const child = this.move(state, t[pos]!);
      const any = this.any[state]!;
      if (any !== -1) {
        if (child !== -1 && this.walk(child, t, n, from, pos + 1, atBoundary, found)) return true;
        state = any;
      } else if (child !== -1) state = child;
      else return false;
      pos++;
    }
  }
}

let builtInTrie: Trie | undefined;

export interface BannedWordMatch {
  /** The listed word or phrase. */
  word: string;
  /** The text that matched, as normalized. */
  matched: string;
}

/** A compiled word list; `find` is pure and safe to share. */
export interface BannedWordMatcher {
  readonly size: number;
  find(normalized: string): BannedWordMatch | undefined;
}

class TrieMatcher implements BannedWordMatcher {
  private readonly tries: Trie[];
  readonly size: number;

  constructor(builtIn: Trie | undefined, custom: Term[], private readonly allow: readonly string[]) {
    this.tries = [];
    if (builtIn) this.tries.push(builtIn);
    if (custom.length) this.tries.push(new Trie(custom));
    this.size = this.tries.reduce((sum, t) => sum + t.terms.length, 0);
  }

  find(normalized: string): BannedWordMatch | undefined {
    const any = () => true;
    const n = foldInto(normalized);
    const buffer = foldBuffer();
    if (!this.tries.some((trie) => trie.scan(buffer, n, any))) return undefined;
    // Something matched: where, and does a whitelisted word contain it?
    const map: number[] = [];
    const length = foldInto(normalized, map);
    const folded = foldBuffer().slice(0, length);
    const spaced = normalized.replace(/\s/g, ' ');
    const innocent = new Map<readonly string[], Array<[number, number]>>();
    const covered = (list: readonly string[], start: number, end: number) => {
      if (list.length === 0) return false;
      let spans = innocent.get(list);
      if (!spans) {
        spans = [];
        for (const w of list) for (let i = spaced.indexOf(w); i !== -1; i = spaced.indexOf(w, i + 1)) spans.push([i, i + w.length - 1]);
        innocent.set(list, spans);
      }
      return spans.some(([a, b]) => a <= start && end <= b);
    };
    let result: BannedWordMatch | undefined;
    const judge: Found = (term, from, to) => {
      const start = map[from]!;
      const end = map[to - 1]!;
      if (covered(term.whitelist, start, end) || covered(this.allow, start, end)) return false;
      result = { word: term.word, matched: normalized.slice(start, end + 1) };
      return true;
    };
    for (const trie of this.tries) if (trie.scan(folded, length, judge)) break;
    return result;
  }
}

const matcherCache = new Map<string, BannedWordMatcher>();

/** Compiles (once per distinct list) the matcher for a rule's settings. */
export function compileBannedWords(rule: Pick<BannedWordsRule, 'words' | 'phrases' | 'useBuiltInLists' | 'allow'>): BannedWordMatcher {
  const key = JSON.stringify([rule.useBuiltInLists, rule.words, rule.phrases, rule.allow ?? []]);
  const cached = matcherCache.get(key);
  if (cached) return cached;
  const custom: Term[] = [];
  for (const raw of [...rule.words, ...rule.phrases]) {
    const t = customTerm(raw);
    if (t) custom.push(t);
  }
  const allow = (rule.allow ?? []).map((a) => normalizeForMatching(a).trim()).filter(Boolean);
  const builtIn = rule.useBuiltInLists ? (builtInTrie ??= new Trie(builtInTerms())) : undefined;
  const matcher = new TrieMatcher(builtIn, custom, allow);
  if (matcherCache.size >= 256) matcherCache.clear();
  matcherCache.set(key, matcher);
  return matcher;
}

/** Banned word or phrase anywhere in the (cut) message. */
export function checkBannedWords(view: MessageView, rule: BannedWordsRule, matcher: BannedWordMatcher): RuleHit | undefined {
  if (!rule.enabled || matcher.size === 0) return undefined;
  const found = matcher.find(view.normalized);
  if (!found) return undefined;
  return {
    rule: 'bannedWords',
    points: rule.points,
    deleteMessage: rule.delete,
    reason: `banned word "${safeEcho(censorWord(found.word), 40)}"`,
    evidence: safeEcho(censorWord(found.matched)),
  };
}

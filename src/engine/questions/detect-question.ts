/**
 * Tells whether a chat message is a real, help-seeking question, in English or Indonesian
 * (formal and informal chat style). Plain rules, no model: cheap, explainable (`reason`),
 * and good enough to feed unanswered-question tracking, where a moderator sees the result.
 *
 * A message is a question when one of its sentences is a help request ("anyone know",
 * "ada yg tau", "tolong bantu"), opens a clause with an interrogative ("how do I",
 * "gimana caranya", "apakah"), carries an Indonesian question form that needs no mark
 * ("cara upgrade gimana min", "support Node 18 gak"), or ends with a question mark, and is
 * not small talk, an exclamation, a rhetorical tag question or a one-word reaction.
 */

export type QuestionLanguage = 'en' | 'id';
export type QuestionKind = 'interrogative' | 'question-mark' | 'help-request';

export interface QuestionDetection {
  isQuestion: boolean;
  /** The language of the message, or the community's default when the text does not tell. */
  language: QuestionLanguage;
  /** Why, in a few words, for logs and for moderators reviewing the decision. */
  reason: string;
  kind?: QuestionKind;
}

// ---------------------------------------------------------------------------------------
// Word lists. Sets of lower-case tokens; tokens keep inner apostrophes and hyphens.

const EN_WORDS = new Set(
  ('the a an is are was were be been being i im i\'m you your you\'re my me we our they it it\'s its this that these those ' +
    'to of and or but for with on in at from by about after before again now still yet just also only ' +
    'how what why when where who which whose what\'s how\'s where\'s who\'s can could do does did will would should ' +
    'have has had not no yes don\'t can\'t doesn\'t didn\'t isn\'t i\'ve i\'d i\'ll that\'s there\'s there here ' +
    'anyone anybody someone somebody everyone know need help please pls thanks thank get got any so if all ' +
    'hey hi hello good nice cool great awesome really right seriously wait huh lol lmao guys folks same ' +
    'working works work fixed figured out up going doing today tonight tomorrow week weekend day morning')
    .split(' '),
);

const ID_WORDS = new Set(
  ('yang yg di ke dari ini itu ada gak ga nggak ngga enggak gk tidak tak bisa bs saya aku gue gw kamu kak ka min bang gan ' +
    'dong sih ya aja saja udah udh sudah sdh belum blm juga dan untuk utk buat kalau kalo klo gimana gmn gmana bagaimana ' +
    'apa apakah kenapa knp mengapa kapan siapa berapa brp mana dimana tolong mohon minta tau tahu cara caranya terus ' +
    'lagi nih deh kok masih banget bgt sama atau tapi karena jadi mau pakai pake bikin yuk makasih terima kasih ' +
    'selamat pagi siang sore malam semua teman kabar kabarnya baru lama dulu nanti sekarang skrg kemarin besok hari ' +
    'bulan minggu jam sebelum setelah dengan pada adalah akan sedang emang lho loh kan tuh gitu gini doang ternyata coba ' +
    'harus perlu gabung halo hai maaf punten izin ijin numpang tanya nanya bertanya bantu bantuan gratis bayar tagihan ' +
    'daftar acara serius beneran mantap keren siap sip sabar seru wkwk wkwkwk iya oke noted gatau gabisa ' +
    'datang dateng lewat sini situ pernah gagal jalan muncul langsung dikirim dibuka sampai sampe mantul')
    .split(' '),
);

/** Vocatives, greetings and fillers skipped before looking at how a clause starts. */
const LEADING_FILLERS = new Set(
  ('hey hi hello hai halo helo hallo howdy yo kak ka kakak min mimin admin bang bro sis gan agan mas mbak om pak bu ' +
    'guys gaes gais gengs all everyone folks semua semuanya teman-teman temen-temen rekan-rekan so ok oke okay btw um umm ' +
    'hmm eh oh well also and but jadi terus trus nah quick question sorry maaf punten permisi misi selamat pagi siang ' +
    'sore malam then anyway yeah ya')
    .split(' '),
);

/** Indonesian particles and vocatives that trail a clause ("... gimana ya kak"). */
const TRAILING_PARTICLES = new Set(
  ('ya yah yaa sih dong donk deh kak ka min bang gan bro sis nih tuh kah nya sebenarnya sebenernya mas mbak om pak bu ' +
    'guys gengs gaes semua all lagi ini itu')
    .split(' '),
);

const EN_WH = new Set(['what', 'how', 'why', 'when', 'where', 'who', 'which', 'whose', 'whom']);
const EN_WH_CONTRACTED = new Set(['what\'s', 'whats', 'how\'s', 'hows', 'where\'s', 'wheres', 'who\'s', 'whos', 'when\'s', 'why\'s', 'whatre', 'what\'re']);
const EN_AUX = new Set(
  ('can could do does did is are was were will would should shall has have had may might must am ' +
    'isn\'t aren\'t don\'t doesn\'t didn\'t won\'t wouldn\'t shouldn\'t can\'t couldn\'t hasn\'t haven\'t isnt arent dont doesnt didnt')
    .split(' '),
);
/** What may follow an auxiliary that opens a yes/no question ("can I", "is the", "does anyone"). */
const EN_SUBJECTS = new Set(
  ('i you u we they he she it this that these those there anyone anybody someone somebody everyone anything something ' +
    'the my your our their his her its any y\'all yall ya ur one ppl people')
    .split(' '),
);
/** Pronouns after a wh-word mark an embedded clause, not a question ("how I set up CI"). */
const EN_EMBEDDED_SUBJECTS = new Set(['i', 'you', 'we', 'they', 'he', 'she', 'u']);

/** Indonesian interrogatives that open a question. */
const ID_WH_START = new Set(
  ('apa apakah bagaimana bagaimanakah gimana gmn gmana gimna bgmn kenapa knp napa ngapa ngapain mengapa kapan kpn dimana dmn kemana darimana ' +
    'siapa siapakah berapa berapakah brp bisakah bolehkah adakah benarkah haruskah perlukah mana manakah kok emang emangnya')
    .split(' '),
);
/** Indonesian interrogatives that close a question in place ("cara upgrade gimana", "solusinya apa"). */
const ID_WH_END = new Set(['gimana', 'gmn', 'gmana', 'bagaimana', 'berapa', 'brp', 'kapan', 'mana', 'kemana', 'darimana', 'siapa', 'apa', 'kenapa', 'knp', 'apaan', 'ngapain']);
/** Words after which "kok" is emphatic ("bisa kok", "ada kok"), not "why". */
const ID_EMPHATIC_KOK_AFTER = new Set(['bisa', 'ada', 'iya', 'ya', 'udah', 'sudah', 'boleh', 'aman', 'gampang', 'mudah', 'enak', 'bener', 'benar', 'beneran', 'gak', 'nggak', 'ga', 'tidak']);
/** "apa aja", "siapa pun", "gimana lagi": indefinite, not interrogative, without a question mark. */
const ID_INDEFINITE_NEXT = new Set(['aja', 'saja', 'pun', 'lagi']);
/** Negations that make an A-not-A question at the end of a clause ("bisa di self-host gak"). */
const ID_NEGATIONS = new Set(['gak', 'ga', 'nggak', 'ngga', 'enggak', 'engga', 'gk', 'g', 'tidak', 'belum', 'blm', 'ndak']);
const ID_KAH_BASES = new Set(['apa', 'bisa', 'boleh', 'ada', 'benar', 'bener', 'harus', 'perlu', 'mungkin', 'siapa', 'kapan', 'mana', 'berapa', 'bagaimana', 'sudah', 'udah', 'masih']);

/** One-word reactions ("what?", "hah serius??", "lah kok gitu?"): surprise, not a request. */
const REACTION_WORDS = new Set(
  ('what huh hah heh eh hm hmm hmmm really seriously serious serius beneran masa sih yang bener ciyus cius apa why wait ' +
    'lol lmao wkwk wkwkwk haha hahaha lah kok gitu gini begitu bisa oh wow omg wtf for real fr sure right ya kan apaan ' +
    'wah waduh astaga so and then nani ok oke')
    .split(' '),
);
/** Praise words that make "X, right?" / "X kan?" an invitation to agree rather than a question. */
const EVALUATIVE_WORDS = new Set(
  ('nice cool great awesome amazing slick neat sweet beautiful good easy fun told love lovely perfect ' +
    'keren bagus mantap mantul cepet cepat lucu gila enak seru canggih mudah gampang indah cakep asik asyik kece rame ramai lumayan')
    .split(' '),
);

const SMALL_TALK_OPENINGS: readonly string[][] = [
  'how are you', 'how are u', 'how r u', 'how are ya', 'how are y\'all', 'how are yall', 'how are things', 'how are we',
  'how are everyone', 'how is everyone', 'how\'s everyone', 'hows everyone', 'how is it going', 'how\'s it going',
  'hows it going', 'how is everything', 'how\'s everything', 'how\'s life', 'hows life', 'how have you been',
  'how you doing', 'how ya doing', 'what\'s up', 'whats up', 'what is up', 'wassup', 'sup', 'what\'s good',
  'what\'s new', 'how was your', 'how was the weekend', 'how\'s your', 'how is your', 'you good', 'everyone good',
  'how\'s everyone\'s', 'hows everyone\'s', 'how is everyone\'s',
  'apa kabar', 'apa kabarnya', 'gimana kabar', 'gimana kabarnya', 'gmn kabar', 'gmn kabarnya', 'bagaimana kabar',
  'bagaimana kabarnya', 'kabar gimana', 'kabarnya gimana', 'kabar baik', 'sehat', 'sehat semua', 'lagi apa',
  'lagi ngapain', 'udah makan', 'gimana weekendnya', 'gimana liburannya',
].map((phrase) => phrase.split(' '));
/** Words that may follow a small-talk opening without turning it into a real question. */
const SMALL_TALK_TAIL = new Set(
  ('all guys doing today tonight there everyone everybody folks holding up been lately this morning evening week weekend ' +
    'day holiday holidays nowadays going fam people friends team gengs gaes semua semuanya nih sih kak ka min bang gan ' +
    'teman-teman temen-temen kalian hari ini pagi siang sore malam ya yah dong lama gak muncul')
    .split(' '),
);

/** Fixed rhetorical openings ("who knows", "why not", "siapa cepat dia dapat"). */
const RHETORICAL_OPENINGS: readonly string[][] = [
  'who knows', 'who cares', 'why not', 'why yes', 'why no', 'are you kidding', 'you kidding', 'how about we',
  'how about us', 'how is that even', 'how\'s that for', 'who\'s ready', 'whos ready', 'who is ready', 'guess what',
  'why would anyone', 'why would anybody', 'who would have thought', 'who\'d have thought', 'apa banget', 'apa bgt',
  'siapa cepat', 'siapa yang siap', 'kenapa gak dari dulu', 'kenapa nggak dari dulu', 'kenapa ga dari dulu',
  'kenapa tidak dari dulu', 'apa-apaan', 'mau gimana lagi',
].map((phrase) => phrase.split(' '));

/**
 * Help-request phrases, matched anywhere in a sentence. Regexes over the sentence's tokens
 * joined by single spaces, so `\b` boundaries are token boundaries.
 */
const HELP_PATTERNS: readonly RegExp[] = [
  // English
  /\b(?:does|did|has|have|do) (?:anyone|anybody|someone|somebody|any one|any1)\b/,
  /\b(?:can|could|would|will) (?:someone|somebody|anyone|anybody|any1|you|u|y'all|yall|you guys|u guys|you folks) (?:please |pls |plz |kindly )?(?:help|check|look|explain|point|walk|tell|share|confirm|advise|take|guide|show|send|recommend)\b/,
  /^(?:anyone|anybody|any one|any1|someone|somebody)(?: else)? (?:know|knows|seen|tried|have|has|had|got|experienced|ran|run|hit|using|use|used|managed|able|familiar|encountered|facing|getting|solved|figured)\b/,
  /\bneed(?:s|ing)? (?:some |a little |urgent )?help\b/,
  /\bhelp (?:me|pls|plz|please|needed|wanted)\b/,
  /^(?:help|halp|sos)$/, // a sentence of its own: "... loops on login. help"
  /\b(?:please|pls|plz) help\b/,
  /\blooking for (?:some )?(?:help|advice|guidance)\b/,
  /\bany (?:idea|ideas|clue|clues|tips|advice|pointers|suggestions|recommendations|update|updates|news|luck|chance)\b/,
  /\b(?:i'm |im |i am |was )?(?:wondering|curious) (?:if|how|whether|what|why|where|when|who)\b/,
  /\b(?:could|can) (?:really )?use (?:some |a little |a bit of )?(?:help|guidance|advice|pointers|input)\b/,
  /\b(?:i'm|im|i am) stuck\b/,
  // Indonesian
  /\b(?:ada|adakah) (?:yang|yg) (?:tau|tahu|tw|bisa|pernah|ngalamin|mengalami|ngerti|paham|punya|kena|sama|udah|sudah)\b/,
  /^(?:yang|yg) (?:tau|tahu|ngerti|paham|pernah)\b/,
  /\b(?:tolong|tlg|tolongin)\b/,
  /\bminta (?:tolong|bantuan|bantu|info|informasi|pencerahan)\b/,
  /\bmohon (?:bantuan|bantuannya|bantu|info|informasinya|informasi|petunjuk|arahan|pencerahan|pencerahannya|dibantu|dicek)\b/,
  /\b(?:numpang|mau|mo|pengen|ingin|izin|ijin) (?:tanya|nanya|bertanya)\b/,
  /\b(?:butuh|perlu) (?:bantuan|bantu|pencerahan)\b/,
  /\bbantu(?:in)? (?:dong|donk|plis|pls|please)\b/,
  /\bhelp (?:dong|donk)\b/,
  // "bingung nih cara setting domain": confusion stated about how to do something.
  /\bbingung (?:(?:nih|sih|banget|bgt|deh) )?(?:cara|caranya|gimana|gmn|bagaimana|kenapa|mau|harus)\b/,
  /\bbisa (?:dibantu|bantu)\b/,
];
/** Phrases that look like help requests but are not ("tolong ya semua, jangan spam"). */
const HELP_EXCLUSIONS: readonly RegExp[] = [/\b(?:jangan|dilarang|harap)\b/, /\bin case (?:anyone|anybody|someone)\b/];

// ---------------------------------------------------------------------------------------
// Text preparation

/**
 * Removes what the author did not say in their own words: code (fenced and inline), quoted
 * lines, links (a "?" in a query string is no question mark), mentions and custom emoji.
 */
function stripNonProse(text: string): string {
  return text
    .replace(/```[\s\S]*?(?:```|$)/g, '\n')
    .replace(/`[^`\n]*`/g, ' ')
    .split('\n')
    .filter((line) => !/^\s*(?:>|&gt;)/.test(line))
    .join('\n')
    .replace(/<(?:https?:\/\/|mailto:)[^|>\s]{0,2000}\|([^>]{0,200})>/gi, '$1') // Slack link with a label: keep the label
    .replace(/<?(?:https?:\/\/|www\.)[^\s>]+>?/gi, ' ')
    .replace(/<a?:\w+:\d+>/g, ' ') // Discord custom emoji
    .replace(/<[@#!&][^>\s]{0,100}>/g, ' ') // user, channel and role mentions
    .replace(/(^|\s):[a-z0-9_+-]+:(?=\s|$)/gi, '$1 '); // emoji shortcodes
}

interface Sentence {
  /** Clauses (split at , ; : dashes and emoji), each as lower-case tokens. */
  clauses: string[][];
  tokens: string[];
  /** The tokens joined by single spaces, for phrase patterns. */
  joined: string;
  endsWithQuestionMark: boolean;
  endsWithExclamation: boolean;
}

const TOKEN = /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu;
const CLAUSE_BREAK = /[,;:()[\]"“”]|\s[-–—]+\s|\p{Extended_Pictographic}/u;

function tokenize(text: string): string[] {
  return text.toLowerCase().replace(/[’‘`]/g, '\'').match(TOKEN) ?? [];
}

function toSentences(prose: string): Sentence[] {
  return prose
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?…])\s+/))
    .map((raw): Sentence => {
      // The end of the sentence, past emoji, closing brackets and quotes: "(timezone?)", "why??? 😭".
      // Only the tail is scanned, which keeps a long run of punctuation from costing quadratic time.
      const ending = /[\s\p{P}\p{S}]*$/u.exec(raw.slice(-32))?.[0] ?? '';
      const clauses = raw.split(new RegExp(CLAUSE_BREAK.source, 'gu')).map(tokenize).filter((c) => c.length > 0);
      const tokens = clauses.flat();
      return {
        clauses,
        tokens,
        joined: tokens.join(' '),
        endsWithQuestionMark: ending.includes('?'),
        endsWithExclamation: ending.includes('!'),
      };
    })
    .filter((s) => s.tokens.length > 0);
}

function withoutLeadingFillers(tokens: string[]): string[] {
  let i = 0;
  while (i < tokens.length - 1 && LEADING_FILLERS.has(tokens[i]!)) i++;
  return tokens.slice(i);
}

function withoutTrailingParticles(tokens: string[]): string[] {
  let end = tokens.length;
  while (end > 1 && TRAILING_PARTICLES.has(tokens[end - 1]!)) end--;
  return tokens.slice(0, end);
}

function startsWith(tokens: string[], phrase: readonly string[]): boolean {
  return phrase.length <= tokens.length && phrase.every((word, i) => tokens[i] === word);
}

// ---------------------------------------------------------------------------------------
// Sentence rules

type Verdict = { question: true; kind: QuestionKind; reason: string } | { question: false; reason: string | null };

const LAUGHTER = /^(?:w?k(?:wk)+w?|(?:ha){2,}h?|(?:he){2,}|(?:hi){2,}|lol|lmao|lmfao|rofl|xd)$/;

/** Laughter ("wkwk", "lol") does not count: "kok bisa gitu wkwk" is still a bare reaction. */
function isReaction(s: Sentence): boolean {
  const words = s.tokens.filter((t) => !LAUGHTER.test(t));
  return words.length <= 3 && words.every((t) => REACTION_WORDS.has(t));
}

/** Small talk whatever follows: "how's the weather in Bandung today". */
const SMALL_TALK_ANY_TAIL: readonly string[][] = ['how\'s the weather', 'hows the weather', 'how is the weather', 'gimana cuacanya', 'cuacanya gimana'].map((p) => p.split(' '));

function smallTalk(s: Sentence): string | null {
  const tokens = withoutLeadingFillers(s.tokens);
  const open = SMALL_TALK_ANY_TAIL.find((phrase) => startsWith(tokens, phrase));
  if (open) return open.join(' ');
  for (const opening of SMALL_TALK_OPENINGS) {
    if (startsWith(tokens, opening) && tokens.slice(opening.length).every((t) => SMALL_TALK_TAIL.has(t))) {
      return opening.join(' ');
    }
  }
  return null;
}

function rhetorical(s: Sentence): string | null {
  const tokens = withoutLeadingFillers(s.tokens);
  const opening = RHETORICAL_OPENINGS.find((phrase) => startsWith(tokens, phrase));
  if (opening) return `rhetorical "${opening.join(' ')}"`;
  const [first, second] = tokens;
  // "what a day!", "what an awesome turnout": exclamations, with or without the "!".
  if (first === 'what' && (second === 'a' || second === 'an')) return 'exclamation';
  // "how cool is that!": a wh-word and an adjective, closed by "!" and no "?".
  if (s.endsWithExclamation && !s.endsWithQuestionMark && (first === 'how' || first === 'what') && second !== undefined && !EN_AUX.has(second)) {
    return 'exclamation';
  }
  // "kok keren banget sih": surprise at something good, not a "why".
  if (first === 'kok' && second !== undefined && EVALUATIVE_WORDS.has(second)) return 'exclamation';
  if (s.tokens.includes('apa-apaan')) return 'exclamation';
  // "who's ready for the hackathon?!": "?!" is hype or outrage; a help request still counts (checked before).
  if (s.endsWithQuestionMark && s.endsWithExclamation) return 'exclamatory question';
  return null;
}

/** "nice, right?", "keren kan?", "told you, didn't I?": invitations to agree, not questions. */
function tagQuestion(s: Sentence): boolean {
  if (!s.endsWithQuestionMark) return false;
  const t = s.tokens;
  const last = t[t.length - 1];
  const lastTwo = t.slice(-2).join(' ');
  if (last === 'huh' || last === 'innit' || ['didn\'t i', 'didnt i', 'isn\'t it', 'isnt it', 'ain\'t it'].includes(lastTwo)) return true;
  const tagLength = ['ya kan', 'kan ya', 'bukan sih'].includes(lastTwo) ? 2 : last === 'right' || last === 'kan' || last === 'bukan' || last === 'eh' ? 1 : 0;
  const before = withoutLeadingFillers(t.slice(0, t.length - tagLength));
  if (tagLength > 0) {
    const opensAsQuestion = before.length > 0 && (EN_WH.has(before[0]!) || ID_WH_START.has(before[0]!));
    return !opensAsQuestion && (before.length <= 2 || before.some((w) => EVALUATIVE_WORDS.has(w)));
  }
  // "seru kan acaranya?": the "kan" sits after the praise, before the subject.
  return t.some((w, i) => w === 'kan' && i > 0 && EVALUATIVE_WORDS.has(t[i - 1]!));
}

function helpRequest(s: Sentence): string | null {
  if (HELP_EXCLUSIONS.some((re) => re.test(s.joined))) return null;
  for (const clause of s.clauses) {
    const text = withoutLeadingFillers(clause).join(' ');
    for (const re of HELP_PATTERNS) {
      const match = re.exec(text);
      if (match) return match[0];
    }
  }
  return null;
}

/** An English interrogative opening the clause: "how do I", "what's the", "can I", "is there". */
function englishInterrogative(clause: string[]): string | null {
  const [first, second] = clause;
  if (first === undefined || second === undefined) return null;
  if (EN_WH_CONTRACTED.has(first)) return first;
  if (EN_WH.has(first)) {
    if (second === 'to') return `${first} to`;
    if (first === 'how' && (second === 'come' || second === 'many' || second === 'much')) return `how ${second}`;
    if (first === 'what' && (second === 'happens' || second === 'happened')) return `what ${second}`;
    if (first === 'which' && second === 'is' && clause[2] === 'why') return null;
    if (EN_AUX.has(second)) return `${first} ${second}`;
    if (EN_EMBEDDED_SUBJECTS.has(second)) return null; // "what I did was ..."
    // "what time does", "which node version do", "how long does": an auxiliary soon after.
    const aux = clause.slice(2, 6).find((t) => EN_AUX.has(t));
    return aux ? `${first} … ${aux}` : null;
  }
  // Yes/no questions need a subject after the auxiliary: "can I", not "can confirm".
  if (EN_AUX.has(first) && EN_SUBJECTS.has(second)) return `${first} ${second}`;
  if ((first === 'anyone' || first === 'anybody') && !['who', 'that', 'interested', 'wanting', 'wants'].includes(second)) return first;
  // An alternative question whose second half is inverted: "are RSVPs required or can I just show up".
  const or = clause.findIndex((t, i) => t === 'or' && EN_AUX.has(clause[i + 1] ?? '') && EN_SUBJECTS.has(clause[i + 2] ?? ''));
  if (or > 0 && EN_AUX.has(first)) return `${first} … or ${clause[or + 1]}`;
  return null;
}

/** An Indonesian question form: opening interrogative, in-place interrogative, A-not-A, "-kah". */
function indonesianInterrogative(clause: string[]): string | null {
  const [first, second] = clause;
  if (first === undefined || second === undefined) return null;
  // "gimana kalau meetup berikutnya di Malang": a proposal; only a question mark makes it a question.
  if (['gimana', 'gmn', 'bagaimana'].includes(first) && ['kalau', 'kalo', 'klo'].includes(second)) return null;
  if (ID_WH_START.has(first) && !ID_INDEFINITE_NEXT.has(second)) return first;
  if (first === 'di' && second === 'mana' && !ID_INDEFINITE_NEXT.has(clause[2] ?? '')) return 'di mana';
  // "bisa gak ...", "udah belum ...": the A-not-A question asked up front.
  if (['bisa', 'boleh', 'ada', 'udah', 'sudah', 'mau', 'perlu', 'harus', 'jadi', 'masih', 'bener', 'benar', 'beneran'].includes(first) && ID_NEGATIONS.has(second)) {
    return `${first} ${second}`;
  }
  // "webhook saya kok dobel terus": "kok" before the predicate asks why; after it ("bisa kok") it insists.
  const kok = clause.indexOf('kok');
  if (kok > 0 && kok < clause.length - 1 && !ID_EMPHATIC_KOK_AFTER.has(clause[kok - 1]!) && !EVALUATIVE_WORDS.has(clause[kok + 1]!)) return 'kok';
  const kah = clause.find((t) => t === 'kah' || (t.endsWith('kah') && ID_KAH_BASES.has(t.slice(0, -3))));
  if (kah) return kah;
  const core = withoutTrailingParticles(clause);
  const tail = core.slice(-2);
  // "cara upgrade plan gimana min", "tokennya expire berapa lama sih".
  const inPlace = tail.find((t, i) => ID_WH_END.has(t) && !ID_INDEFINITE_NEXT.has(tail[i + 1] ?? ''));
  if (inPlace && core.length >= 2) return inPlace;
  // "SDK nya support Node 18 gak", "udah ada yang coba ... belum", "wajib ga atau ...".
  const last = core[core.length - 1]!;
  if (core.length >= 3 && ID_NEGATIONS.has(last)) return last;
  const alternative = clause.findIndex((t, i) => ID_NEGATIONS.has(t) && clause[i + 1] === 'atau');
  if (alternative > 0) return `${clause[alternative]} atau`;
  return null;
}

function judgeSentence(s: Sentence): Verdict {
  const help = helpRequest(s);
  if (help) return { question: true, kind: 'help-request', reason: `help request "${help}"` };
  if (isReaction(s)) return { question: false, reason: 'short reaction' };
  const chat = smallTalk(s);
  if (chat) return { question: false, reason: `small talk "${chat}"` };
  const figure = rhetorical(s);
  if (figure) return { question: false, reason: figure };
  if (tagQuestion(s)) return { question: false, reason: 'tag question inviting agreement' };
  for (const clause of s.clauses) {
    const tokens = withoutLeadingFillers(clause);
    const found = englishInterrogative(tokens) ?? indonesianInterrogative(tokens);
    if (found) return { question: true, kind: 'interrogative', reason: `interrogative "${found}"` };
  }
  if (s.endsWithQuestionMark) return { question: true, kind: 'question-mark', reason: 'ends with a question mark' };
  return { question: false, reason: null };
}

// ---------------------------------------------------------------------------------------
// Language

/** Counts common words of each language; returns the fallback when neither clearly leads. */
export function detectLanguage(text: string, fallback: QuestionLanguage = 'en'): QuestionLanguage {
  let en = 0;
  let id = 0;
  for (const token of tokenize(text)) {
    if (EN_WORDS.has(token)) en++;
    if (ID_WORDS.has(token)) id++;
    // The "-nya" suffix ("caranya", "tokennya") is a strong Indonesian sign.
    else if (token.length > 4 && token.endsWith('nya')) id++;
  }
  if (en === id) return fallback;
  return en > id ? 'en' : 'id';
}

// ---------------------------------------------------------------------------------------

const KIND_STRENGTH: Record<QuestionKind, number> = { 'help-request': 3, interrogative: 2, 'question-mark': 1 };

/**
 * Decides whether `text` is a real question. `locale` is the community's default language,
 * used when the message itself does not tell (for instance "hah?").
 */
export function detectQuestion(text: string, locale: QuestionLanguage = 'en'): QuestionDetection {
  const prose = stripNonProse(text);
  const language = detectLanguage(prose, locale);
  const sentences = toSentences(prose);
  if (sentences.length === 0) {
    return { isQuestion: false, language, reason: 'nothing but code, quotes, links or mentions' };
  }
  let best: { kind: QuestionKind; reason: string } | null = null;
  let dismissed: string | null = null;
  for (const sentence of sentences) {
    const verdict = judgeSentence(sentence);
    if (verdict.question) {
      if (!best || KIND_STRENGTH[verdict.kind] > KIND_STRENGTH[best.kind]) best = verdict;
    } else {
      dismissed ??= verdict.reason;
    }
  }
  if (best) return { isQuestion: true, language, reason: best.reason, kind: best.kind };
  if (dismissed) return { isQuestion: false, language, reason: dismissed };
  const hiddenMark = text.includes('?') && !prose.includes('?');
  return { isQuestion: false, language, reason: hiddenMark ? 'question mark only inside code, a quote or a link' : 'no question signal' };
}

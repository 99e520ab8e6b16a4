import { describe, expect, it } from 'vitest';
import { testText } from '../../../../src/engine/moderation/automod/index.js';
import { rulesFor } from './helpers.js';

const standard = rulesFor();
const bannedWord = (text: string, rules = standard) => testText(text, rules).find((h) => h.rule === 'bannedWords');

describe('banned words in English', () => {
  it.each([
    ['a plain swear word', 'what the fuck is this'],
    ['leetspeak', 'you are sh1t'],
    ['a look-alike vowel', 'fvck off'],
    ['a banned word hidden with zero-width characters', 'f\u200bu\u200bc\u200bk you'],
    ['a banned word split by zero-width joiners and soft hyphens', 'f\u200du\u00adc\u2060k'],
    ['letters separated by dots', 'f.u.c.k'],
    ['letters separated by spaces and dashes', 'f u c k - s-h-i-t'],
    ['letters spelled down the lines', 'f\nu\nc\nk'],
    ['a phonetic spelling', 'phuck this'],
    ['Cyrillic look-alikes', 'ѕһіt happens'],
    ['a Greek and Armenian mix', 'fսсκ'],
    ['fullwidth letters', 'ｆｕｃｋ'],
    ['mathematical letters', '𝐟𝐮𝐜𝐤'],
    ['accents', 'fück'],
    ['repeated letters', 'fuuuuuuck'],
    ['zalgo marks on top', 'f̸̢̛u̴̡͉c̸̗k̵̙͝'],
    ['text reversed by a right-to-left override', '\u202Ekcuf'],
    ['a slur', 'you are a retard'],
  ])('catches %s', (_label, text) => {
    expect(bannedWord(text)).toMatchObject({ rule: 'bannedWords', deleteMessage: true, points: 2 });
  });

  it.each([
    ['Scunthorpe', 'I grew up in Scunthorpe'],
    ['class assignment', 'the class assignment is due friday'],
    ['fuchsia', 'a fuchsia dress'],
    ['assessment and passing', 'passing the assessment'],
    ['analysis', 'the analysis of the analog signal'],
    ['grapes', 'grapes are tasty'],
    ['a cockpit', 'the pilot left the cockpit'],
    ['kung fu', 'kung fu panda'],
    ['version numbers', 'upgrade to 5.3.x then 1.2.3'],
    ['a spelled-out acronym', 'the U.S.A. and the E.U.'],
  ])('leaves %s alone', (_label, text) => {
    expect(bannedWord(text)).toBeUndefined();
  });

  it('reports a censored word, never the raw one', () => {
    expect(bannedWord('what the fuck')).toMatchObject({ reason: 'banned word "f*ck"', evidence: 'f*ck' });
    expect(bannedWord('sh1t')?.reason).toBe('banned word "sh*t"');
  });
});

describe('banned words in Indonesian', () => {
  it.each([
    ['anjing', 'anjing'],
    ['anjing in a sentence', 'dasar anjing lu'],
    ['bangsat', 'bangsat kau'],
    ['kontol with leetspeak', 'k0nt0l'],
    ['kontol with a suffix', 'kontolnya'],
    ['memek', 'memek'],
    ['goblok and goblog', 'goblog banget sih'],
    ['tolol', 'tolol'],
    ['bajingan', 'dasar bajingan'],
    ['ngentot', 'ngentot'],
    ['jancok and jancuk', 'jancuk'],
    ['asu as a word', 'asu kowe'],
    ['anjing with repeated letters', 'anjiiiing'],
    ['anjing spelled out', 'a n j i n g'],
    ['anjing hidden with a zero-width space', 'an\u200bjing'],
    ['bangsat in capitals with accents', 'BÁNGSAT'],
  ])('catches %s', (_label, text) => {
    expect(bannedWord(text)).toMatchObject({ rule: 'bannedWords' });
  });

  it.each([
    ['an ordinary sentence', 'Saya mau masuk kelas besok pagi, jangan lupa bawa buku ya'],
    ['cement (semen)', 'harga semen naik lagi minggu ini'],
    ['squid (cumi)', 'cumi goreng tepung enak sekali'],
    ['analysis and a YouTube channel (kanal)', 'analisis data untuk kanal youtube kita'],
    ['cocok', 'warnanya cocok sekali'],
    ['a beach (pantai)', 'santai di pantai'],
    ['a greeting', 'assalamualaikum semua'],
    ['control (kontrol)', 'kontrol kualitas produk'],
    ['tofu and tempeh', 'tahu tempe'],
    ['the medical faculty (FK)', 'kuliah di FK UI'],
    ['masuk, which contains asu', 'silakan masuk'],
  ])('leaves %s alone', (_label, text) => {
    expect(bannedWord(text)).toBeUndefined();
  });
});

describe('configured banned words', () => {
  it('catches a community word at the start of a word, with suffixes', () => {
    const rules = rulesFor({ rules: { bannedWords: { words: ['bodoh'] } } });
    expect(bannedWord('kamu bodohnya kebangetan', rules)?.reason).toBe('banned word "b*doh"');
    expect(bannedWord('kamu bodohnya kebangetan')).toBeUndefined();
    expect(bannedWord('b.o.d.o.h', rules)).toBeDefined();
  });

  it('catches a phrase whatever the spacing and case', () => {
    const rules = rulesFor({ rules: { bannedWords: { phrases: ['kill yourself'] } } });
    expect(bannedWord('just KILL   yourself', rules)).toBeDefined();
    expect(bannedWord('kill the process yourself', rules)).toBeUndefined();
  });

  it('can allow a word the built-in lists ban', () => {
    const rules = rulesFor({ rules: { bannedWords: { allow: ['tolol'] } } });
    expect(bannedWord('tolol', rules)).toBeUndefined();
    expect(bannedWord('bangsat', rules)).toBeDefined();
  });

  it('can do without the built-in lists', () => {
    const rules = rulesFor({ rules: { bannedWords: { useBuiltInLists: false, words: ['spoiler'] } } });
    expect(bannedWord('fuck', rules)).toBeUndefined();
    expect(bannedWord('SPOILER: he dies', rules)).toBeDefined();
  });

  it('can be switched off', () => {
    expect(bannedWord('fuck', rulesFor({ rules: { bannedWords: { enabled: false } } }))).toBeUndefined();
  });
});

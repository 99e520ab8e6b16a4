import { describe, expect, it } from 'vitest';
import { censorWord, foldForWords, joinSpacedLetters, normalizeForMatching, plainForLinks, safeEcho } from '../../../../src/engine/moderation/automod/normalize.js';

describe('normalizing text for word matching', () => {
  it('lower-cases and removes accents and combining marks', () => {
    expect(normalizeForMatching('Ça VA, Señor? z̸̢a̶l̴g̸o̵')).toBe('ca va, senor? zalgo');
  });

  it('removes zero-width, bidi and other invisible characters', () => {
    expect(normalizeForMatching('a\u200bn\u200cj\u200di\u2060n\ufeffg\u00ad\u202e\u2066')).toMatch(/^anjing/);
  });

  it('maps look-alike letters to Latin ones', () => {
    expect(normalizeForMatching('ѕһіt')).toBe('shit'); // Cyrillic
    expect(normalizeForMatching('ΑΡΡLΕ')).toBe('apple'); // Greek
    expect(normalizeForMatching('ｆｕｌｌｗｉｄｔｈ 𝐛𝐨𝐥𝐝 ⓒⓘⓡⓒⓛⓔ')).toBe('fullwidth bold circle');
  });

  it('appends text shown reversed by a right-to-left override in display order', () => {
    expect(normalizeForMatching('x \u202Eabc\u202C y')).toBe('x abc y cba');
  });

  it('joins letters spelled out one by one, but not versions or ordinary words', () => {
    expect(joinSpacedLetters('f.u.c.k and k o n t o l and s-h-1-t')).toBe('fuck and kontol and sh1t');
    expect(joinSpacedLetters('version 5.3.x, a b, plan a or b')).toBe('version 5.3.x, a b, plan a or b');
    expect(joinSpacedLetters('x f u c k')).toBe('xfuck');
    expect(joinSpacedLetters('so: f.u.c.k you')).toBe('so: fuck you');
  });

  it('folds leetspeak and repeated letters the way obscenity does', () => {
    expect(foldForWords('sh1t fuuuuck $$$ a$$ b00bs \n\n  x')).toBe('shit fuck ss ass boobs x');
  });

  it('keeps plain text for links readable', () => {
    expect(plainForLinks('ｄｉｓｃｏｒｄ．ｇｇ／ａｂｃ')).toBe('discord.gg/abc');
    expect(plainForLinks('disc\u200bord.gg')).toBe('discord.gg');
  });

  it('is linear on long hostile input', () => {
    const started = performance.now();
    normalizeForMatching('a\u0300\u200b.'.repeat(30_000));
    normalizeForMatching('a '.repeat(60_000));
    expect(performance.now() - started).toBeLessThan(300);
  });
});

describe('echoing user text safely', () => {
  it('neutralizes mentions and pings', () => {
    expect(safeEcho('@everyone <@123> <!channel> @here')).toBe('@\u200beveryone <\u200b@\u200b123> <\u200b!channel> @\u200bhere');
  });

  it('drops bidi overrides, zalgo and code fences, and truncates', () => {
    expect(safeEcho('\u202Eabc``` z̸̢̛̗')).toBe('abcˋˋˋ z');
    expect(safeEcho('x'.repeat(200), 10)).toBe('xxxxxxxxxx…');
  });

  it('censors words', () => {
    expect([censorWord('fuck'), censorWord('anjing'), censorWord('sh1t'), censorWord('a')]).toEqual(['f*ck', 'anj*ng', 'sh*t', '*']);
  });
});

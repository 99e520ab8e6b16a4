import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectQuestion } from '../../../src/engine/questions/detect-question.js';

const fixturePath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/questions.jsonl');

describe('detectQuestion', () => {
  describe('question marks', () => {
    it('treats a sentence ending with "?" as a question', () => {
      expect(detectQuestion('Are RSVPs required for the meetup?')).toMatchObject({ isQuestion: true });
      expect(detectQuestion('meetupnya gratis atau bayar?', 'id')).toMatchObject({ isQuestion: true, kind: 'question-mark' });
    });

    it('ignores a "?" inside a URL', () => {
      const result = detectQuestion('Docs for the new API are live: https://docs.example.com/v2/auth?tab=oauth');
      expect(result.isQuestion).toBe(false);
    });

    it('ignores "?" in code blocks, inline code and quoted lines', () => {
      expect(detectQuestion('```ts\nconst x = a ? b : c;\n```\ngini aja udah cukup').isQuestion).toBe(false);
      expect(detectQuestion('you can use `user?.name ?? "anon"` there').isQuestion).toBe(false);
      expect(detectQuestion('> how do I reset my password?\nfrom Settings → Security, button at the bottom').isQuestion).toBe(false);
    });
  });

  describe('interrogatives without a question mark', () => {
    it('finds an English interrogative at the start of a clause', () => {
      expect(detectQuestion('hey <@482910>, when is the next meetup in Jakarta')).toMatchObject({ isQuestion: true, kind: 'interrogative' });
      expect(detectQuestion('how to change the billing email')).toMatchObject({ isQuestion: true, kind: 'interrogative' });
      expect(detectQuestion('can i self host this or is it cloud only')).toMatchObject({ isQuestion: true, kind: 'interrogative' });
    });

    it('does not take an auxiliary without a subject for a question ("can confirm", "will do")', () => {
      expect(detectQuestion('can confirm, same error on 2.4.1').isQuestion).toBe(false);
      expect(detectQuestion('will do, thanks!').isQuestion).toBe(false);
      expect(detectQuestion('What I did was clear the cache and reinstall').isQuestion).toBe(false);
    });

    it('finds "gimana caranya install di windows" and in-place Indonesian interrogatives', () => {
      expect(detectQuestion('gimana caranya install di windows')).toMatchObject({ isQuestion: true, language: 'id', kind: 'interrogative' });
      expect(detectQuestion('cara upgrade plan gimana min')).toMatchObject({ isQuestion: true, kind: 'interrogative' });
      expect(detectQuestion('lagi nyoba install di ubuntu tapi muncul EACCES, solusinya apa')).toMatchObject({ isQuestion: true });
    });

    it('finds Indonesian yes/no forms: A-not-A, "-kah" and "kok"', () => {
      expect(detectQuestion('bang, SDK nya support Node 18 gak')).toMatchObject({ isQuestion: true, kind: 'interrogative' });
      expect(detectQuestion('bisakah bayar pakai transfer bank')).toMatchObject({ isQuestion: true, kind: 'interrogative' });
      expect(detectQuestion('kok API nya return 401 terus padahal token baru')).toMatchObject({ isQuestion: true });
    });

    it('does not read "apa aja", "bisa kok" or "kapan-kapan" as questions', () => {
      expect(detectQuestion('apa aja boleh, yang penting datang 😄').isQuestion).toBe(false);
      expect(detectQuestion('Bisa kok, tinggal aktifin di settings').isQuestion).toBe(false);
      expect(detectQuestion('kapan-kapan kita bikin meetup di Jogja juga ya').isQuestion).toBe(false);
    });
  });

  describe('help requests', () => {
    it('treats "anyone know how to reset my password" as a help request', () => {
      expect(detectQuestion('anyone know how to reset my password')).toMatchObject({ isQuestion: true, language: 'en', kind: 'help-request' });
      expect(detectQuestion('need help with billing, I got charged twice this month')).toMatchObject({ kind: 'help-request' });
    });

    it('treats "tolong bantu error ini" and "ada yg tau" as help requests', () => {
      expect(detectQuestion('tolong bantu error ini dong')).toMatchObject({ isQuestion: true, language: 'id', kind: 'help-request' });
      expect(detectQuestion('ada yg tau cara generate api key')).toMatchObject({ kind: 'help-request' });
      expect(detectQuestion('numpang tanya, invoice bulan lalu bisa didownload di mana')).toMatchObject({ kind: 'help-request' });
    });

    it('does not take a moderator\'s "tolong ... jangan" for a request for help', () => {
      expect(detectQuestion('tolong ya semua, jangan spam link di #general').isQuestion).toBe(false);
    });
  });

  describe('social and rhetorical questions', () => {
    it('treats "apa kabar?" and "how are you?" as small talk, not a question', () => {
      expect(detectQuestion('apa kabar?')).toMatchObject({ isQuestion: false, language: 'id' });
      expect(detectQuestion('gimana kabarnya gengs?').isQuestion).toBe(false);
      expect(detectQuestion('how are you all doing today?').reason).toMatch(/small talk/);
      expect(detectQuestion("hey hey, how's it going?").isQuestion).toBe(false);
    });

    it('still hears a real question after the greeting', () => {
      expect(detectQuestion('Apa kabar kak? btw gimana cara reset password').isQuestion).toBe(true);
    });

    it('treats exclamations as statements', () => {
      expect(detectQuestion('what a day! finally shipped the integration 🎉').isQuestion).toBe(false);
      expect(detectQuestion('how cool is that!').isQuestion).toBe(false);
      expect(detectQuestion('apa-apaan ini 😂').isQuestion).toBe(false);
    });

    it('treats tag questions inviting agreement as statements, not confirmations of fact', () => {
      expect(detectQuestion('nice, right?').isQuestion).toBe(false);
      expect(detectQuestion('keren kan?', 'id').isQuestion).toBe(false);
      expect(detectQuestion('meetup Bandung jadi hari sabtu kan?').isQuestion).toBe(true);
    });

    it('treats very short reactions as reactions', () => {
      for (const text of ['what?', 'huh?', 'hah?', 'serius?', 'really?', 'lah kok gitu?', 'kok bisa gitu wkwk']) {
        expect(detectQuestion(text, 'id').isQuestion, text).toBe(false);
      }
    });
  });

  describe('language', () => {
    it('detects the language of the message and falls back to the community default', () => {
      expect(detectQuestion('kenapa invoice saya dalam USD padahal pilih IDR', 'en').language).toBe('id');
      expect(detectQuestion('why is my invoice in USD when I selected IDR', 'id').language).toBe('en');
      expect(detectQuestion('hah?', 'id').language).toBe('id');
      expect(detectQuestion('hah?', 'en').language).toBe('en');
    });
  });
});

interface Labeled {
  text: string;
  lang: 'en' | 'id';
  question: boolean;
}

describe('the labeled fixture', () => {
  const rows = readFileSync(fixturePath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Labeled);

  it('is large enough and has both languages', () => {
    expect(rows.length).toBeGreaterThanOrEqual(300);
    expect(rows.some((r) => r.lang === 'en')).toBe(true);
    expect(rows.some((r) => r.lang === 'id')).toBe(true);
  });

  it('is detected with precision and recall of at least 0.9 overall and 0.85 per language', () => {
    // Without a locale, so the language must come from the text (default 'en' when unclear).
    const predictions = rows.map((row) => ({ row, predicted: detectQuestion(row.text).isQuestion }));
    const score = (subset: typeof predictions) => {
      const tp = subset.filter((p) => p.predicted && p.row.question).length;
      const fp = subset.filter((p) => p.predicted && !p.row.question).length;
      const fn = subset.filter((p) => !p.predicted && p.row.question).length;
      return { precision: tp / (tp + fp), recall: tp / (tp + fn), n: subset.length };
    };
    const figures = {
      en: score(predictions.filter((p) => p.row.lang === 'en')),
      id: score(predictions.filter((p) => p.row.lang === 'id')),
      overall: score(predictions),
    };
    // The figures for the README (PRINT_FIGURES=1); test runs stay quiet.
    if (process.env.PRINT_FIGURES) for (const [name, f] of Object.entries(figures)) {
      console.log(`question detection ${name}: precision ${f.precision.toFixed(3)}, recall ${f.recall.toFixed(3)} (n=${f.n})`);
    }
    expect(figures.overall.precision).toBeGreaterThanOrEqual(0.9);
    expect(figures.overall.recall).toBeGreaterThanOrEqual(0.9);
    for (const lang of ['en', 'id'] as const) {
      expect(figures[lang].precision).toBeGreaterThanOrEqual(0.85);
      expect(figures[lang].recall).toBeGreaterThanOrEqual(0.85);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { testText, type RuleName } from '../../../../src/engine/moderation/automod/index.js';
import { rulesFor } from './helpers.js';

const standard = rulesFor();
const strict = rulesFor({ preset: 'strict' });
const hitOf = (rule: RuleName, text: string, rules = standard) => testText(text, rules).find((h) => h.rule === rule);

describe('links', () => {
  it('flags a known IP logger in every preset', () => {
    for (const preset of ['relaxed', 'standard', 'strict'] as const) {
      expect(hitOf('links', 'free skins https://grabify.link/ABC123', rulesFor({ preset }))?.reason).toBe('link to a known IP logger (grabify.link)');
    }
  });

  it('lets ordinary links through with the standard preset', () => {
    expect(hitOf('links', 'see https://example.com/docs and www.some-blog.net/post')).toBeUndefined();
  });

  it('flags denied domains and their subdomains', () => {
    const rules = rulesFor({ rules: { links: { deny: ['https://Bad.Example'] } } });
    expect(hitOf('links', 'go to http://cdn.bad.example/x', rules)?.reason).toBe('link to a denied domain (cdn.bad.example)');
    expect(hitOf('links', 'go to notbad.example', rules)).toBeUndefined();
  });

  it('flags every domain not allowed in strict mode, and allows listed ones with subdomains', () => {
    expect(hitOf('links', 'look https://random-site.xyz/page', strict)?.reason).toBe('link to a domain not on the allow list (random-site.xyz)');
    expect(hitOf('links', 'code at https://github.com/acme/guyub and www.youtube.com/watch?v=1 and en.wikipedia.org/wiki/Bot', strict)).toBeUndefined();
  });

  it('lets the allow list win over the deny list', () => {
    const rules = rulesFor({ rules: { links: { allow: ['good.example'], deny: ['good.example'] } } });
    expect(hitOf('links', 'https://good.example', rules)).toBeUndefined();
  });

  it.each([
    ['a misspelt Discord', 'claim at dlscord.com/nitro'],
    ['a Discord gift bait', 'https://discord-nitro.gift/claim'],
    ['a Discord domain on another top-level domain', 'discord.com.ru/login'],
    ['a Cyrillic Discord', 'https://dіscord.com/gift'],
    ['a Steam look-alike', 'trade offer steamcommunlty.com/tradeoffer'],
  ])('flags %s as a look-alike', (_label, text) => {
    expect(hitOf('links', text)?.reason).toMatch(/^link to a look-alike of (discord|steamcommunity)\.com/);
  });

  it('leaves the real Discord and Discord-named sites alone', () => {
    expect(hitOf('links', 'https://discord.com/channels/1/2 https://cdn.discordapp.com/a.png https://discordjs.guide https://discord.js.org')).toBeUndefined();
  });

  it('does not take e-mail addresses, file names or sentences for links', () => {
    const text = 'mail me at ayu@example.com, edit index.ts and README.md. Then run it.Done';
    expect(hitOf('links', text, strict)).toBeUndefined();
  });
});

describe('invites', () => {
  it.each([
    ['discord.gg', 'join us discord.gg/abc123'],
    ['discord.com/invite', 'https://discord.com/invite/abc123'],
    ['discordapp.com/invite', 'https://discordapp.com/invite/xyz'],
    ['a Slack workspace', 'https://join.slack.com/t/othercorp/shared_invite/zt-1abc-DEF'],
    ['a Slack share link', 'join.slack.com/share/enQtMzg4'],
    ['spaced-out dots and slashes', 'discord . gg / abc123'],
    ['a (dot) spelling', 'discord(dot)gg/abc123'],
    ['fullwidth letters', 'ｄｉｓｃｏｒｄ．ｇｇ／ａｂｃ'],
    ['zero-width characters', 'disc\u200bord.gg/abc123'],
  ])('flags an invite via %s', (_label, text) => {
    expect(hitOf('invites', text)).toMatchObject({ rule: 'invites', deleteMessage: true });
  });

  it('names the platform in the reason', () => {
    expect(hitOf('invites', 'discord.gg/abc')?.reason).toBe('invite link to another Discord server');
    expect(hitOf('invites', 'join.slack.com/t/other')?.reason).toBe('invite link to another Slack workspace');
  });

  it("allows the community's own invites", () => {
    const rules = rulesFor({ rules: { invites: { allowOwn: ['https://discord.gg/OurCode', 'ourteam'] } } });
    expect(hitOf('invites', 'come back via discord.gg/ourcode', rules)).toBeUndefined();
    expect(hitOf('invites', 'https://join.slack.com/t/ourteam/shared_invite/zt-1', rules)).toBeUndefined();
    expect(hitOf('invites', 'discord.gg/theirs', rules)).toBeDefined();
  });

  it('leaves links to channels and talk about Discord alone', () => {
    expect(hitOf('invites', 'I like discord, see https://discord.com/channels/1/2')).toBeUndefined();
  });

  it('is not reported again as a link in strict mode', () => {
    const hits = testText('discord.gg/abc123', strict);
    expect(hits.map((h) => h.rule)).toEqual(['invites']);
  });

  it('is off in the relaxed preset', () => {
    expect(hitOf('invites', 'discord.gg/abc123', rulesFor({ preset: 'relaxed' }))).toBeUndefined();
  });
});

describe('mentions', () => {
  it.each(['@everyone free nitro', 'hey @here', '<!channel> meeting now', '<!here|here> look', '<!everyone>'])('flags a mass mention in %j', (text) => {
    const hit = hitOf('mentions', text);
    expect(hit?.reason).toBe('mass mention of everyone or here');
    expect(hit?.reason).not.toMatch(/@everyone|@here|<!/);
    expect(hit?.evidence).not.toMatch(/@everyone|@here|<!/);
  });

  it('does not mistake addresses and words for mass mentions', () => {
    expect(hitOf('mentions', 'mail me@here.com, everyone is here')).toBeUndefined();
  });

  it('can allow @everyone', () => {
    expect(hitOf('mentions', '@everyone hi', rulesFor({ rules: { mentions: { everyone: false } } }))).toBeUndefined();
  });

  it('counts distinct mentions in the text', () => {
    const seven = Array.from({ length: 7 }, (_, i) => `<@${100 + i}>`).join(' ');
    expect(hitOf('mentions', seven)?.reason).toBe('mass mention (7 members or roles, more than 6)');
    expect(hitOf('mentions', '<@1> <@!1> <@1> <@&2> <@3> <@4> <@5>')).toBeUndefined();
    expect(hitOf('mentions', '<@U1> <@U2|ayu> <!subteam^S1> <@U3> <@U4> <@U5> <@U6>')).toBeDefined();
  });
});

describe('caps', () => {
  it('flags shouting in English and Indonesian', () => {
    expect(hitOf('caps', 'THIS IS COMPLETELY UNACCEPTABLE BEHAVIOUR')?.reason).toBe('excessive caps (100% of 35 letters)');
    expect(hitOf('caps', 'TOLONG BANTU SAYA SEKARANG JUGA')).toBeDefined();
  });

  it('leaves short, mixed or laughing messages alone', () => {
    for (const text of ['OK', 'LOL that is funny', 'WKWKWKWKWKWKWKWKWK', 'HAHAHAHAHAHAHAHA lucu', 'I met NASA and the FBI at the CIA office yesterday']) {
      expect(hitOf('caps', text)).toBeUndefined();
    }
  });

  it('ignores links, mention markup and emoji short codes', () => {
    expect(hitOf('caps', 'see https://EXAMPLE.COM/ABCDEFGHIJKLMNOP <@ABCDEFGHIJKLMN> :SMILEY_FACE_BIG: ok')).toBeUndefined();
  });

  it('is off in the relaxed preset and stricter in the strict one', () => {
    expect(hitOf('caps', 'THIS IS COMPLETELY UNACCEPTABLE BEHAVIOUR', rulesFor({ preset: 'relaxed' }))).toBeUndefined();
    expect(hitOf('caps', 'STOP DOING THAT')).toBeUndefined();
    expect(hitOf('caps', 'STOP DOING THAT', strict)).toBeDefined();
  });
});

describe('zalgo', () => {
  const zalgo = 'h̷̢̧̛̛̗̲̼̹̱̭̖̗̙̤e̸̡̛̼͉͇̭͎̣̝̗̥̲l̸l̸o̸';
  it('flags stacked combining marks', () => {
    expect(hitOf('zalgo', zalgo)?.reason).toBe('zalgo text (15 marks stacked on one character)');
  });

  it('leaves accents, decomposed Vietnamese and keycap emoji alone', () => {
    const text = 'Café résumé naïve. Tiếng Việt 1️⃣ 2️⃣'.normalize('NFD');
    expect(hitOf('zalgo', text, strict)).toBeUndefined();
  });

  it('depends on the threshold', () => {
    const four = 'a\u0300\u0301\u0302\u0303 b';
    expect(hitOf('zalgo', four, rulesFor({ preset: 'relaxed' }))).toBeUndefined();
    expect(hitOf('zalgo', four, strict)).toBeDefined();
  });
});

describe('testText', () => {
  it('reports several rules at once, in a stable order', () => {
    const hits = testText('FUCK THIS, JOIN DISCORD.GG/ABC123 NOW @here', standard);
    expect(hits.map((h) => h.rule)).toEqual(['bannedWords', 'invites', 'mentions', 'caps']);
  });

  it('finds nothing in an ordinary message', () => {
    expect(testText('Halo semua, rapat besok jam 10 ya. See you at https://meet.google.com/abc', strict)).toEqual([]);
  });
});

import type { NeutralMessage } from '../../contracts/index.js';
import { translate } from '../../i18n/index.js';
import type { Locale } from '../../config/index.js';
import { FIGURES, type DigestData, type Figure } from './stats.js';

type T = (key: string, variables?: Record<string, string | number>) => string;

const clip = (text: string, max = 80): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return [...flat].length <= max ? flat : `${[...flat].slice(0, max - 1).join('')}…`;
};

const signed = (value: number | null, base: number | null): string => {
  if (value === null || base === null) return '–';
  const delta = Math.round((value - base) * 10) / 10;
  return delta > 0 ? `+${delta}` : delta < 0 ? `${delta}` : '±0';
};

/** "12 (+3 vs day before, -1 vs week before)". */
export function describeFigure(f: Figure, t: T): string {
  return t('digest.change', { value: f.value === null ? '–' : f.value, day: signed(f.value, f.dayBefore), week: signed(f.value, f.weekBefore) });
}

/** The digest's sections as (name, lines): shared by the chat message, Markdown and HTML. */
export function digestSections(data: DigestData, t: T): { name: string; lines: string[] }[] {
  const none = [t('digest.none')];
  const or = (lines: string[]) => (lines.length ? lines : none);
  const list = (items: { count: number }[], label: (i: never) => string) => items.map((i) => `${label(i as never)} ${i.count}`).join(', ');
  return [
    { name: t('digest.fieldFigures'), lines: FIGURES.map((name) => `${t(`digest.figure.${name}`)}: ${describeFigure(data.figures[name], t)}`) },
    { name: t('digest.fieldLeaders'), lines: or(data.leaders.map((l, i) => `${i + 1}. <@${l.member}> (${l.score})`)) },
    { name: t('digest.fieldTiers'), lines: or(data.tierChanges.map((c) => `<@${c.member}> → ${c.tier}`)) },
    { name: t('digest.fieldNominations'), lines: or(data.nominations.map((n) => `<@${n.member}> (${n.status})`)) },
    {
      name: t('digest.fieldUnanswered', { total: data.unanswered.total }),
      lines: or(data.unanswered.items.map((q) => `[${clip(q.text, 60)}](${q.link}) · ${q.asker} · ${q.team}`)),
    },
    { name: t('digest.fieldEscalations'), lines: or(data.escalationsByTeam.map((e) => `${e.team} (${t('digest.level', { level: e.level })}): ${e.count}`)) },
    {
      name: t('digest.fieldModeration'),
      lines: data.moderation.byKind.length
        ? [
            t('digest.byKind', { list: list(data.moderation.byKind, (k: { kind: string }) => k.kind) }),
            ...(data.moderation.byRule.length ? [t('digest.byRule', { list: list(data.moderation.byRule, (r: { rule: string }) => r.rule) })] : []),
          ]
        : none,
    },
    {
      name: t('digest.fieldPolls'),
      lines: or(
        data.polls.map((p) =>
          t('digest.pollLine', { number: p.number, question: clip(p.question, 60), options: p.options.map((o) => `${o.label} ${o.votes}`).join(', '), voters: p.voters }),
        ),
      ),
    },
    {
      name: t('digest.fieldFeedback'),
      lines: data.feedback.total
        ? [
            data.feedback.byCategory.map((c) => `${c.category} ${c.count}`).join(', '),
            ...(data.feedback.themes.length ? [t('digest.themes', { list: data.feedback.themes.map((th) => `${th.term} (${th.items})`).join(', ') })] : []),
          ]
        : none,
    },
    {
      name: t('digest.fieldTopics'),
      lines: or(data.topics.map((topic) => `${topic.term}: ${topic.day} (${topic.previousWeek ? `${topic.previousWeek} / 7d` : t('digest.topicNew')})`)),
    },
    {
      name: t('digest.fieldThreads'),
      lines: or(
        data.threads.map((c) =>
          t('digest.threadLine', { channel: c.channelName, text: clip(c.text || c.keyMessages[0]?.text || '', 60), starter: c.starter || '?', replies: c.replies, participants: c.participants.length }),
        ),
      ),
    },
  ];
}

/** The digest as a neutral chat message: a title and one field per section. */
export function digestMessage(data: DigestData, locale: Locale): NeutralMessage {
  const t: T = (key, variables) => translate(locale, key, variables);
  return {
    text: t('digest.title', { community: data.community.name, day: data.day }),
    fields: digestSections(data, t).map((s) => ({ name: s.name, value: clip(s.lines.join('\n'), 1000) })),
  };
}

export function digestMarkdown(data: DigestData, locale: Locale): string {
  const t: T = (key, variables) => translate(locale, key, variables);
  const out = [`# ${t('digest.title', { community: data.community.name, day: data.day }).replace(/\*\*/g, '')}`, ''];
  for (const s of digestSections(data, t)) out.push(`## ${s.name}`, '', ...s.lines.map((l) => `- ${l}`), '');
  return out.join('\n');
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Links `[text](url)` of the markdown subset become anchors; everything else is escaped. */
const inlineHtml = (line: string): string =>
  escapeHtml(line).replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, text: string, url: string) => `<a href="${url}">${text}</a>`);

export function digestHtml(data: DigestData, locale: Locale, chartDataUri?: string): string {
  const t: T = (key, variables) => translate(locale, key, variables);
  const title = t('digest.title', { community: data.community.name, day: data.day }).replace(/\*\*/g, '');
  const body = digestSections(data, t)
    .map((s) => `<h2>${escapeHtml(s.name)}</h2>\n<ul>\n${s.lines.map((l) => `  <li>${inlineHtml(l)}</li>`).join('\n')}\n</ul>`)
    .join('\n');
  const chart = chartDataUri ? `\n<img alt="${escapeHtml(t('digest.chartTitle'))}" src="${chartDataUri}">` : '';
  return `<!doctype html>\n<html lang="${locale}">\n<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n<h1>${escapeHtml(title)}</h1>${chart}\n${body}\n</body>\n</html>\n`;
}

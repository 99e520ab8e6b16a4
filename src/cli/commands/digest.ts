import { writeFile } from 'node:fs/promises';
import { systemClock } from '../../core/clock.js';
import { openDatabase } from '../../db/index.js';
import { computeDigest, digestHtml, digestMarkdown, isDay } from '../../engine/digest/index.js';
import { previousDay } from '../../engine/digest/index.js';
import { renderActivityChart } from '../../engine/charts/index.js';
import { translate } from '../../i18n/index.js';
import { UsageError } from '../errors.js';
import { loadRunConfig } from '../runtime.js';

export interface DigestCommandOptions {
  community?: string;
  platform?: string;
  date?: string;
  format?: string;
  out?: string;
}

const FORMATS = ['json', 'md', 'html'] as const;

/**
 * `guyub digest --community <id> [--date <day>] [--format json|md|html]`: a community's digest
 * of one local day (default yesterday in its time zone), from DATABASE_URL or the embedded
 * database; it sends nothing and stores nothing. HTML embeds the activity chart.
 */
export async function digestCommand(options: DigestCommandOptions): Promise<number> {
  if (!options.community) throw new UsageError('--community <id> is required (the guild or team id)');
  const format = (options.format ?? 'md') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be json, md or html, got "${options.format}"`);
  if (options.platform !== undefined && !['discord', 'slack', 'shell'].includes(options.platform)) {
    throw new UsageError(`--platform must be discord, slack or shell, got "${options.platform}"`);
  }
  if (options.date !== undefined && !isDay(options.date)) throw new UsageError(`--date must be a day YYYY-MM-DD, got "${options.date}"`);
  const config = loadRunConfig();
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? 'data' });
  try {
    const communities = await database.prisma.community.findMany({
      where: { externalId: options.community, ...(options.platform && { platform: options.platform as 'discord' | 'slack' | 'shell' }) },
      orderBy: { id: 'asc' },
    });
    if (!communities.length) throw new UsageError(`no community "${options.community}" in the database`);
    if (communities.length > 1) throw new UsageError(`community "${options.community}" exists on several platforms; add --platform`);
    const community = communities[0]!;
    const communityConfig = config.for(community.platform, community.externalId);
    const day = options.date ?? previousDay(systemClock.now(), communityConfig.timeZone);
    const data = await computeDigest(database.prisma, community, communityConfig, day);
    let output: string;
    if (format === 'json') output = `${JSON.stringify(data, null, 2)}\n`;
    else if (format === 'md') output = digestMarkdown(data, communityConfig.locale);
    else {
      let chart: string | undefined;
      try {
        const t = (key: string) => translate(communityConfig.locale, key);
        const png = await renderActivityChart({
          title: `${t('digest.chartTitle')} · ${data.community.name}`,
          labels: data.activity.map((a) => a.day.slice(5)),
          bars: { label: t('digest.chartMessages'), values: data.activity.map((a) => a.messages) },
          line: { label: t('digest.chartActive'), values: data.activity.map((a) => a.activeMembers) },
        });
        chart = `data:image/png;base64,${png.png.toString('base64')}`;
      } catch (error) {
        process.stderr.write(`guyub: the chart could not be rendered (${(error as Error).message}); HTML without it\n`);
      }
      output = digestHtml(data, communityConfig.locale, chart);
    }
    if (options.out) {
      try {
        await writeFile(options.out, output);
      } catch (error) {
        throw new UsageError(`cannot write ${options.out}: ${(error as Error).message}`);
      }
    } else process.stdout.write(output);
    return 0;
  } finally {
    await database.close();
  }
}

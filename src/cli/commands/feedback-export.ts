import { writeFile } from 'node:fs/promises';
import { openDatabase } from '../../db/index.js';
import { exportFeedbackCsv } from '../../engine/feedback/index.js';
import { parseStatus } from '../../engine/feedback/format.js';
import { UsageError } from '../errors.js';

export interface FeedbackExportOptions {
  out?: string;
  platform?: string;
  community?: string;
  since?: string;
  category?: string;
  status?: string;
}

/**
 * `guyub feedback export`: every feedback item as CSV (to stdout, or --out <file>), from
 * DATABASE_URL or the embedded database in DATA_DIR; filters by platform, community, time,
 * category and status.
 */
export async function feedbackExportCommand(options: FeedbackExportOptions): Promise<number> {
  if (options.platform !== undefined && !['discord', 'slack', 'shell'].includes(options.platform)) {
    throw new UsageError(`--platform must be discord, slack or shell, got "${options.platform}"`);
  }
  let since: Date | undefined;
  if (options.since !== undefined) {
    since = new Date(options.since);
    if (Number.isNaN(since.getTime())) throw new UsageError(`--since must be an ISO 8601 date or time, got "${options.since}"`);
  }
  const status = options.status === undefined ? undefined : parseStatus(options.status);
  if (options.status !== undefined && !status) throw new UsageError(`--status must be open, planned, in-progress, done or declined, got "${options.status}"`);
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? 'data' });
  try {
    const { csv, rows } = await exportFeedbackCsv(database.prisma, {
      platform: options.platform as 'discord' | 'slack' | 'shell' | undefined,
      community: options.community,
      since,
      category: options.category?.toLowerCase(),
      status,
    });
    if (options.out) {
      try {
        await writeFile(options.out, csv);
      } catch (error) {
        throw new UsageError(`cannot write ${options.out}: ${(error as Error).message}`);
      }
      process.stderr.write(`exported ${rows} feedback item(s) to ${options.out}\n`);
    } else {
      process.stdout.write(csv);
    }
    return 0;
  } finally {
    await database.close();
  }
}

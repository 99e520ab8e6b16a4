import { access } from 'node:fs/promises';
import { replayFile } from '../../adapters/replay/replay-file.js';
import { VirtualClock } from '../../core/clock.js';
import { createLogger } from '../../core/logger.js';
import { openDatabase } from '../../db/index.js';
import { InMemoryRateCounters } from '../../engine/moderation/automod/index.js';
import { VirtualTimeScheduler } from '../../jobs/in-process-scheduler.js';
import { EXIT, UsageError } from '../errors.js';
import { createEngine, loadRunConfig } from '../runtime.js';

export interface ReplayCommandOptions {
  config?: string;
  until?: string;
  json?: boolean;
}

/** `guyub replay <file>`: a dry run on a fresh in-memory database and a virtual clock. */
export async function replayCommand(file: string, options: ReplayCommandOptions): Promise<number> {
  try {
    await access(file);
  } catch {
    throw new UsageError(`cannot read the replay file ${file}`);
  }
  let until: Date | undefined;
  if (options.until !== undefined) {
    until = new Date(options.until);
    if (Number.isNaN(until.getTime())) throw new UsageError(`--until must be an ISO 8601 time, got "${options.until}"`);
  }
  const config = loadRunConfig(options.config);
  const logger = createLogger({ pretty: true, level: process.env.LOG_LEVEL ?? 'warn' });
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const clock = new VirtualClock(0);
    const scheduler = new VirtualTimeScheduler(clock, {
      onError: (err, job) => process.stderr.write(`job ${job.id} (${job.name}) failed: ${(err as Error)?.message ?? String(err)}\n`),
    });
    const engine = createEngine({ prisma: database.prisma, config, clock, scheduler, logger, counters: new InMemoryRateCounters() });
    const summary = await replayFile({ file, engine, clock, scheduler, logger, until, json: Boolean(options.json), out: process.stdout, err: process.stderr });
    process.stderr.write(
      `replayed ${summary.events} events (${summary.duplicates} duplicate, ${summary.failedEvents} failed, ${summary.badLines} bad lines): ${summary.actions} actions\n`,
    );
    if (summary.badLines) return EXIT.badInput;
    return summary.failedEvents ? EXIT.failure : EXIT.ok;
  } finally {
    await database.close();
  }
}

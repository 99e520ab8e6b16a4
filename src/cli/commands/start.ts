import { ShellSession, SHELL_COMMUNITY } from '../../adapters/shell/shell-session.js';
import { systemClock } from '../../core/clock.js';
import { createLogger } from '../../core/logger.js';
import { openDatabase } from '../../db/index.js';
import { RealTimeScheduler } from '../../jobs/in-process-scheduler.js';
import { RuntimeFailure } from '../errors.js';
import { createEngine, createRateCounters, loadRunConfig } from '../runtime.js';

/** Which platforms the environment has credentials for. */
function configuredPlatforms(env: NodeJS.ProcessEnv): string[] {
  const platforms: string[] = [];
  if (env.DISCORD_TOKEN) platforms.push('Discord (DISCORD_TOKEN)');
  if (env.SLACK_BOT_TOKEN || env.SLACK_APP_TOKEN) platforms.push('Slack (SLACK_BOT_TOKEN / SLACK_APP_TOKEN)');
  return platforms;
}

/** `guyub start`: with no platform tokens, the interactive shell on the embedded database. */
export async function startCommand(): Promise<number> {
  const config = loadRunConfig();
  const platforms = configuredPlatforms(process.env);
  if (platforms.length) {
    throw new RuntimeFailure(
      `${platforms.join(' and ')} configured, but this build has only the shell adapter; the platform adapters are not built yet. Unset the token to use the shell.`,
    );
  }
  // The shell is a conversation on stdout: logs go to stderr, and only warnings unless asked.
  const logger = createLogger({ pretty: true, level: process.env.LOG_LEVEL ?? 'warn' });
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? 'data' });
  const scheduler = new RealTimeScheduler(systemClock, { onError: (err, job) => logger.error({ err, job: job.id }, 'scheduled job failed') });
  const rate = await createRateCounters(process.env.REDIS_URL, logger);
  try {
    const engine = createEngine({ prisma: database.prisma, config, clock: systemClock, scheduler, logger, counters: rate.counters });
    const shell = new ShellSession({
      engine,
      prisma: database.prisma,
      clock: systemClock,
      logger,
      locale: config.for('shell', SHELL_COMMUNITY).locale,
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
    });
    engine.attachJobs((actions) => shell.execute(actions));
    await scheduler.start();
    await shell.run();
  } finally {
    await scheduler.stop();
    await rate.close();
    await database.close();
  }
  return 0;
}

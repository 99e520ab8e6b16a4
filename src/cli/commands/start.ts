import { ShellSession, SHELL_COMMUNITY } from '../../adapters/shell/shell-session.js';
import { systemClock } from '../../core/clock.js';
import { createLogger } from '../../core/logger.js';
import { openDatabase } from '../../db/index.js';
import { EngineMetrics } from '../../ops/metrics.js';
import { startOpsServer, type OpsServer } from '../../ops/ops-server.js';
import { RuntimeFailure, UsageError } from '../errors.js';
import { createEngine, createRateCounters, createScheduler, loadRunConfig } from '../runtime.js';

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
  let jobs: Awaited<ReturnType<typeof createScheduler>> | undefined;
  let rate: Awaited<ReturnType<typeof createRateCounters>> | undefined;
  let ops: OpsServer | undefined;
  try {
    // BullMQ when REDIS_URL is set, in-process otherwise; one clear line when Redis is unreachable.
    jobs = await createScheduler(process.env.REDIS_URL, { logger, clock: systemClock });
    rate = await createRateCounters(process.env.REDIS_URL, logger);
    const { scheduler } = jobs;
    const metrics = new EngineMetrics({
      pendingJobs: async () => ('pendingJobIds' in scheduler && typeof scheduler.pendingJobIds === 'function' ? (await scheduler.pendingJobIds()).length : 0),
    });
    const engine = createEngine({ prisma: database.prisma, config, clock: systemClock, scheduler, logger, counters: rate.counters, observer: metrics });
    if (process.env.HTTP_PORT) {
      const port = Number(process.env.HTTP_PORT);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`HTTP_PORT must be a port number, got "${process.env.HTTP_PORT}"`);
      const checks = [{ name: 'database', check: async () => void (await database.prisma.$queryRaw`SELECT 1`) }];
      ops = await startOpsServer({ port, host: process.env.HTTP_HOST ?? '127.0.0.1', metrics, checks });
      logger.info({ url: ops.url }, 'serving /healthz and /metrics');
    }
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
    // Timers the previous run left (a poll's deadline, repeating jobs) are armed again.
    await engine.recover();
    await scheduler.start();
    await shell.run();
  } finally {
    await ops?.close();
    // The scheduler first: it waits for running jobs, which use the counters and the database.
    await jobs?.close();
    await rate?.close();
    await database.close();
  }
  return 0;
}

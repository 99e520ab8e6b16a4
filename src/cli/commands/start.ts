import { ShellSession, SHELL_COMMUNITY } from '../../adapters/shell/shell-session.js';
import { systemClock } from '../../core/clock.js';
import { createLogger } from '../../core/logger.js';
import { openDatabase } from '../../db/index.js';
import { EngineMetrics } from '../../ops/metrics.js';
import type { OpsServer } from '../../ops/ops-server.js';
import { databaseHealthCheck, pendingJobCount, startOpsIfConfigured } from '../../runtime/ops.js';
import type { ConfigStore } from '../../config/index.js';
import { configuredPlatforms } from '../../runtime/platforms.js';
import { RoleSchema, ROLE_NAMES, type Role } from '../../runtime/roles.js';
import { runService } from '../../runtime/service.js';
import { UsageError } from '../errors.js';
import { createEngine, createRateCounters, createScheduler, loadRunConfig } from '../runtime.js';

/**
 * `guyub start [--role all|gateway|worker|scheduler]`: the bot on every platform whose
 * credentials are in the environment; with none (and role `all`), the interactive shell.
 */
export async function startCommand(options: { role?: string } = {}): Promise<number> {
  const rawRole = options.role ?? process.env.GUYUB_ROLE ?? 'all';
  const parsedRole = RoleSchema.safeParse(rawRole);
  if (!parsedRole.success) throw new UsageError(`--role must be one of ${ROLE_NAMES.join(', ')}, got "${rawRole}"`);
  const role = parsedRole.data;
  const config = loadRunConfig();
  const platforms = configuredPlatforms(process.env);
  if (role !== 'all' || platforms.discord || platforms.slack) return runPlatforms(role, config);
  return runShell(config);
}

/** Runs the service until SIGINT or SIGTERM, then stops in order (intake first, stores last). */
async function runPlatforms(role: Role, config: ConfigStore): Promise<number> {
  const logger = createLogger({ pretty: Boolean(process.stdout.isTTY), level: process.env.LOG_LEVEL ?? 'info' });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  // A library promise nobody awaits (e.g. discord.js failing to build an object from a malformed
  // packet) must not take every community down with it: it is logged, and the bot keeps running.
  const onUnhandled = (reason: unknown) => logger.error({ err: reason }, 'unhandled rejection; the bot keeps running');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('unhandledRejection', onUnhandled);
  try {
    await runService({ role, env: process.env, config, logger, signal: stop.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('unhandledRejection', onUnhandled);
  }
  return 0;
}

/** The interactive shell on the embedded database (or DATABASE_URL). */
async function runShell(config: ConfigStore): Promise<number> {
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
    const metrics = new EngineMetrics({ pendingJobs: pendingJobCount(scheduler) });
    const engine = createEngine({ prisma: database.prisma, config, clock: systemClock, scheduler, logger, counters: rate.counters, observer: metrics });
    ops = await startOpsIfConfigured(process.env, { metrics, checks: [databaseHealthCheck(database.prisma)], logger });
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

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.js';
import { packageRoot } from '../core/paths.js';
import { RedisUnreachableError } from '../core/redis.js';
import { DatabaseUnreachableError } from '../db/index.js';
import { configCheckCommand } from './commands/config-check.js';
import { dbMigrateCommand } from './commands/db-migrate.js';
import { digestCommand } from './commands/digest.js';
import { discordRegisterCommand } from './commands/discord-register.js';
import { feedbackExportCommand } from './commands/feedback-export.js';
import { replayCommand } from './commands/replay.js';
import { slackManifestCommand } from './commands/slack-manifest.js';
import { startCommand } from './commands/start.js';
import { EXIT, RuntimeFailure, UsageError } from './errors.js';

const { version } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string };

/** Maps every failure to the documented exit codes, with one clear message and no stack trace. */
function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`guyub: ${error.message}\n`);
    return EXIT.badInput;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`guyub: ${error.message}\n`);
    return EXIT.badInput;
  }
  if (error instanceof DatabaseUnreachableError || error instanceof RedisUnreachableError || error instanceof RuntimeFailure) {
    process.stderr.write(`guyub: ${error.message}\n`);
    return EXIT.failure;
  }
  process.stderr.write(`guyub: ${(error as Error)?.message ?? String(error)}\n`);
  if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT.failure;
}

function run<A extends unknown[]>(action: (...args: A) => Promise<number>) {
  return async (...args: A) => {
    try {
      process.exitCode = await action(...args);
    } catch (error) {
      process.exitCode = exitCodeFor(error);
    }
  };
}

const program = new Command('guyub')
  .description('One community engine for Discord and Slack')
  .version(version)
  .exitOverride()
  .showHelpAfterError();

program
  .command('start')
  .description('run the bot on every platform with credentials in the environment (the interactive shell when there are none)')
  .option('--role <role>', 'all (default), gateway, worker or scheduler: split the work over processes sharing REDIS_URL and DATABASE_URL (or GUYUB_ROLE)')
  .action(run(startCommand));

program
  .command('replay')
  .description('dry run: feed a JSONL file of events through the engine on a fresh database and print the actions')
  .argument('<events.jsonl>', 'one CommunityEvent per line')
  .option('--config <file>', 'a configuration file merged over config/ for this run')
  .option('--until <time>', 'run scheduled work up to this ISO 8601 time (default: last event + 24 h)')
  .option('--json', 'print actions as JSON, one per line')
  .action(run(replayCommand));

const db = program.command('db').description('database maintenance');
db.command('migrate').description('apply pending migrations to DATABASE_URL (or the embedded database)').action(run(dbMigrateCommand));

const feedback = program.command('feedback').description('feedback for the product team');
feedback
  .command('export')
  .description('every feedback item as CSV, from DATABASE_URL (or the embedded database in DATA_DIR)')
  .option('--out <file>', 'write the CSV to this file instead of stdout')
  .option('--platform <platform>', 'only this platform: discord, slack or shell')
  .option('--community <id>', 'only this community (its guild or team id)')
  .option('--since <time>', 'only items created at or after this ISO 8601 time')
  .option('--category <name>', 'only this category')
  .option('--status <status>', 'only this status: open, planned, in-progress, done or declined')
  .action(run(feedbackExportCommand));

program
  .command('digest')
  .description("a community's daily digest of one day, from DATABASE_URL (or the embedded database in DATA_DIR)")
  .requiredOption('--community <id>', 'the community (its guild or team id)')
  .option('--platform <platform>', 'discord, slack or shell (when the id exists on several)')
  .option('--date <day>', 'the local day YYYY-MM-DD (default: yesterday in the community\'s time zone)')
  .option('--format <format>', 'json, md or html', 'md')
  .option('--out <file>', 'write to this file instead of stdout')
  .action(run(digestCommand));

const discord = program.command('discord').description('Discord application');
discord
  .command('register')
  .description('make the slash commands registered for DISCORD_APPLICATION_ID (global, or one guild) match the definitions')
  .option('--guild <id>', "register the guild's own commands instead of the global ones")
  .option('--dry-run', 'print what would change, change nothing')
  .action(run(discordRegisterCommand));

const slack = program.command('slack').description('Slack app');
slack
  .command('manifest')
  .description('write the Slack app manifest (slash commands, scopes, events) from the definitions')
  .option('--out <file>', 'where to write it', 'config/slack-manifest.yaml')
  .option('--url <https base>', 'the public https base URL of the bot: request URLs <url>/slack/events, OAuth redirect <url>/slack/oauth_redirect')
  .option('--socket-mode', 'Socket Mode (SLACK_APP_TOKEN) instead of request URLs')
  .action(run(slackManifestCommand));

const config = program.command('config').description('configuration');
config
  .command('check')
  .description('validate config/ and, if given, an override file')
  .argument('[file]', 'an override file to validate with the defaults')
  .action(run(configCheckCommand));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  else process.exitCode = exitCodeFor(error);
}

import { pino, type Logger, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear (two levels deep). */
const SECRET_KEYS = [
  'token',
  'password',
  'secret',
  'signingSecret',
  'appToken',
  'botToken',
  'authorization',
  'cookie',
  'databaseUrl',
  'redisUrl',
  'DISCORD_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_SIGNING_SECRET',
  'DATABASE_URL',
  'REDIS_URL',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Removes the password from a connection URL, for messages that name a server. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]+@/, '//$1:***@');
  }
}

export interface LoggerOptions {
  /** Human-readable lines (the shell) instead of JSON (production). */
  pretty?: boolean;
  level?: string;
  destination?: DestinationStream | NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'guyub' } };
  if (options.pretty) {
    const stream = pretty({
      destination: options.destination ?? process.stderr,
      colorize: Boolean((options.destination as { isTTY?: boolean } | undefined)?.isTTY ?? process.stderr.isTTY),
      ignore: 'pid,hostname,app',
      translateTime: 'HH:MM:ss',
      sync: true,
    });
    return pino(base, stream);
  }
  return options.destination ? pino(base, options.destination as DestinationStream) : pino(base);
}

export const silentLogger: Logger = pino({ level: 'silent' });

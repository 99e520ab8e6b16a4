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

/**
 * Webhook and interaction tokens travel in Discord's URL paths (/webhooks/<app>/<token>,
 * /interactions/<id>/<token>), and an error of the platform client carries that URL.
 */
const TOKEN_IN_PATH = /(\/(?:webhooks|interactions)\/[^/\s]+\/)[^/\s?]+/g;

/** Masks the tokens and passwords a text (an error message, a URL) may carry. */
export function redactText(text: string): string {
  return text.replace(TOKEN_IN_PATH, '$1***').replace(/\/\/([^:/@\s]+):[^@/\s]+@/g, '//$1:***@');
}

/**
 * Errors as pino serializes them, minus what may hold a secret: request bodies (files, message
 * contents) and tokens inside URLs and messages, at any depth of `cause`.
 */
function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (!value || typeof value !== 'object' || depth > 4) return value;
    if (Array.isArray(value)) return value.map((item) => clean(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === 'requestBody') continue;
      out[key] = clean(item, depth + 1);
    }
    return out;
  };
  return clean(serialized, 0);
}

export interface LoggerOptions {
  /** Human-readable lines (the shell) instead of JSON (production). */
  pretty?: boolean;
  level?: string;
  destination?: DestinationStream | NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, serializers: { err: serializeError }, base: { app: 'guyub' } };
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

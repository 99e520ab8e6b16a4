import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { redactText, type Logger } from '../../../core/logger.js';

const describe = (parts: unknown[]): string =>
  // The WebClient logs each request's URL (at debug): a SLACK_API_URL proxy's password stays out.
  redactText(parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part))).join(' '));

/**
 * Bolt's and the WebClient's logger interface on top of guyub's pino logger, so their lines
 * join ours (same level, same redaction of tokens) instead of going to the console.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ lib: 'slack' });
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => child.debug(describe(msg)),
    info: (...msg) => child.info(describe(msg)),
    warn: (...msg) => child.warn(describe(msg)),
    error: (...msg) => child.error(describe(msg)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

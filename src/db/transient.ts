/**
 * Whether a failure is a store (PostgreSQL, or Redis for the automod counters) being away for a while (PostgreSQL restarting, a dropped
 * connection, a pool timeout, a serialization conflict) rather than a bug or bad data: the
 * first is worth retrying until it comes back, the second would fail again.
 */
const TRANSIENT_CODES = new Set([
  // Node sockets
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL SQLSTATEs: connection exceptions, admin shutdown, cannot connect now, serialization, deadlock
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '40001',
  '40P01',
  '53300',
  // Prisma: can't reach, closed, timed out, pool timeout, transaction conflict or expired
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'P2028',
  'P2034',
]);

const TRANSIENT_MESSAGES = /Connection terminated|connection (?:is )?closed|Can't reach database|timeout exceeded when trying to connect|Transaction already closed|Transaction not found|Unable to start a transaction in the given time|server closed the connection|terminating connection due to administrator command|the database system is (?:starting up|shutting down|in recovery mode)|Connection refused/i;
/** Prisma's driver adapters put the SQLSTATE in the message: "Database error. Code: `57P01`. …". */
const SQLSTATE_IN_MESSAGE = /Code: `([0-9A-Z]{5})`/;

export function isTransientStoreFailure(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const record = current as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown; kind?: unknown };
    for (const code of [record.code, record.originalCode]) if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (typeof record.message === 'string') {
      if (TRANSIENT_MESSAGES.test(record.message)) return true;
      const sqlstate = SQLSTATE_IN_MESSAGE.exec(record.message)?.[1];
      if (sqlstate && TRANSIENT_CODES.has(sqlstate)) return true;
    }
    // ioredis, when Redis (automod counters) stays away longer than a command's retries.
    if ((current as Error).name === 'MaxRetriesPerRequestError') return true;
    if (record.kind === 'DatabaseNotReachable' || record.kind === 'ConnectionClosed' || record.kind === 'SocketTimeout') return true;
    current = record.cause;
  }
  return false;
}

// Connecting to PostgreSQL with a short timeout, and turning "cannot connect" into one clear,
// password-free error.
import pg from 'pg';

/** How long a first connection may take before the server counts as unreachable. */
export const CONNECT_TIMEOUT_MS = 5_000;

export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/**
 * PostgreSQL could not be used at all: nothing listening, unknown host, no answer in time, or
 * the server refused the login or does not have the database. The message is one line naming
 * host:port and what to check; it never contains the password.
 */
export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
  readonly host: string;
  readonly port: number;

  constructor(target: Pick<PostgresTarget, 'host' | 'port'>, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.host = target.host;
    this.port = target.port;
  }
}

/** Host, port, database and user of a postgres:// URL, for messages (never the password). */
export function describeTarget(databaseUrl: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    // Not the URL in the message (nor the URL parser's error, which carries it): it may hold a password.
    throw new Error('DATABASE_URL is not a valid URL: expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE');
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new Error(`DATABASE_URL must start with postgresql:// (it starts with ${url.protocol}//)`);
  }
  const host = url.searchParams.get('host') || url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = Number(url.searchParams.get('port') || url.port || 5432);
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres';
  return { host, port, database, user: decodeURIComponent(url.username) || 'postgres' };
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const code = errorCode(inner);
      if (code) return code;
    }
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The DatabaseUnreachableError for a failed connection attempt, or undefined for other errors. */
export function unreachableError(error: unknown, target: PostgresTarget): DatabaseUnreachableError | undefined {
  const where = `PostgreSQL at ${target.host}:${target.port}`;
  const check = 'check that PostgreSQL is running there and that DATABASE_URL points to it';
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const make = (text: string) => new DatabaseUnreachableError(target, text, { cause: error });
  switch (code) {
    case 'ECONNREFUSED':
      return make(`${where} refused the connection (nothing listening): ${check}.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return make(`${where} is unreachable (host name ${target.host} not found): ${check}.`);
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
    case 'EPIPE':
      return make(`${where} is unreachable (${code}): ${check}.`);
    case 'ENOENT': // a Unix socket path that does not exist
      return make(`${where} is unreachable (no socket at ${target.host}): ${check}.`);
    case '28P01':
    case '28000':
      return make(`${where} rejected the login of user "${target.user}": check the user and password in DATABASE_URL.`);
    case '3D000':
      return make(`${where} has no database "${target.database}": create it or correct DATABASE_URL.`);
    case '57P03':
      return make(`${where} is not accepting connections yet (starting up or shutting down): try again shortly.`);
  }
  if (/timeout|timed out/i.test(message)) {
    return make(`${where} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s: ${check}.`);
  }
  if (/Connection terminated unexpectedly/i.test(message)) {
    return make(`${where} closed the connection during start-up: ${check}.`);
  }
  return undefined;
}

/** pg connection settings for a URL, with the short connection timeout. */
export function pgConfig(databaseUrl: string, connectionTimeoutMillis = CONNECT_TIMEOUT_MS): pg.ClientConfig {
  return { connectionString: databaseUrl, connectionTimeoutMillis };
}

/** One connected pg Client, or a DatabaseUnreachableError. The caller ends it. */
export async function connectClient(databaseUrl: string): Promise<pg.Client> {
  const target = describeTarget(databaseUrl);
  const client = new pg.Client(pgConfig(databaseUrl));
  // A connection lost while idle must not crash the process through an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw unreachableError(error, target) ?? error;
  }
}

// Throwaway PostgreSQL databases for tests and benchmarks.
import { randomBytes } from 'node:crypto';
import { connectClient } from './connect.js';

/** The local server's maintenance database; `postgres` (and `root`) log in with trust auth here. */
export const DEFAULT_SCRATCH_BASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ScratchPostgres {
  /** URL of the new, empty database. */
  url: string;
  /** Drops the database (WITH (FORCE): open connections are closed). Safe to call twice. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database named guyub_test_<pid>_<random> on the server of `baseUrl` (a URL
 * of a database the role can connect to and create databases from).
 */
export async function createScratchPostgres(baseUrl: string = DEFAULT_SCRATCH_BASE_URL): Promise<ScratchPostgres> {
  const name = `guyub_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await connectClient(baseUrl);
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      const client = await connectClient(baseUrl);
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        dropped = true;
      } finally {
        await client.end();
      }
    },
  };
}

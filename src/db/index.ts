// The database layer's public surface.
//
// Prisma 7's generated client (src/generated/prisma) on one of two stores:
// - PostgreSQL (a DATABASE_URL): a pg Pool through @prisma/adapter-pg;
// - PGlite (embedded PostgreSQL in WebAssembly), persisted in a data folder, or in memory for
//   replay and tests, through pglite-prisma-adapter.
// Both are migrated at open by guyub's own migrator (./migrate.ts) unless told otherwise.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { connectClient, describeTarget, unreachableError } from './connect.js';
import { applyMigrations, pgliteMigrationConnection, pgMigrationConnection, type MigrateOptions } from './migrate.js';

export type { PrismaClient } from '../generated/prisma/client.js';
// A value as well as a namespace of types: it carries Prisma.PrismaClientKnownRequestError & co.
export { Prisma } from '../generated/prisma/client.js';
export { DatabaseUnreachableError } from './connect.js';
export { MigrationError, listMigrations, migrationsDir } from './migrate.js';
export { createScratchPostgres, type ScratchPostgres } from './scratch.js';
export { isTransientStoreFailure } from './transient.js';

/** The `dataDir` that keeps PGlite in memory (nothing written to disk). */
export const IN_MEMORY = 'memory://';

export interface OpenDatabaseOptions {
  /** A postgresql:// URL. When absent (or empty), PGlite is used. */
  databaseUrl?: string;
  /** PGlite's folder (created if missing), default ./data; `memory://` for an in-memory database. */
  dataDir?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

export interface Database {
  prisma: PrismaClient;
  kind: 'postgres' | 'pglite';
  /** Disconnects Prisma and closes the pg pool or the PGlite instance. Safe to call twice. */
  close(): Promise<void>;
}

/** Pool connections wait this long for a free slot or a new connection before failing. */
const POOL_CONNECTION_TIMEOUT_MS = 10_000;

/**
 * Opens the store of record, migrated (unless `migrate: false`).
 * Throws DatabaseUnreachableError when PostgreSQL cannot be reached.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const { databaseUrl, dataDir = 'data', migrate = true } = options;
  return databaseUrl ? openPostgres(databaseUrl, migrate) : openPglite(dataDir, migrate);
}

/** `guyub db migrate`: applies the pending migrations to the PostgreSQL database at `databaseUrl`. */
export async function migrateDatabase(databaseUrl: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const client = await connectClient(databaseUrl);
  try {
    return await applyMigrations(pgMigrationConnection(client), options);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function openPostgres(databaseUrl: string, migrate: boolean): Promise<Database> {
  const target = describeTarget(databaseUrl);
  if (migrate) {
    await migrateDatabase(databaseUrl);
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, connectionTimeoutMillis: POOL_CONNECTION_TIMEOUT_MS });
  // An idle connection dropped by the server must not crash the process; the next query fails instead.
  pool.on('error', () => undefined);
  if (!migrate) {
    // Fail now, with a clear error, rather than at the first query.
    try {
      (await pool.connect()).release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw unreachableError(error, target) ?? error;
    }
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { prisma, kind: 'postgres', close: once(async () => {
    try {
      await prisma.$disconnect();
    } finally {
      await pool.end();
    }
  }) };
}

async function openPglite(dataDir: string, migrate: boolean): Promise<Database> {
  let db: PGlite;
  if (dataDir === IN_MEMORY) {
    db = await openMemoryPglite(migrate);
  } else {
    const location = path.resolve(dataDir);
    mkdirSync(location, { recursive: true });
    db = await bootPglite(new PGlite(location), migrate);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return { prisma, kind: 'pglite', close: once(async () => {
    try {
      await prisma.$disconnect();
    } finally {
      // $disconnect leaves PGlite open (and the process alive for seconds): close it ourselves.
      if (!db.closed) await db.close();
    }
  }) };
}

async function bootPglite(db: PGlite, migrate: boolean): Promise<PGlite> {
  try {
    await db.waitReady;
    if (migrate) await applyMigrations(pgliteMigrationConnection(db));
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

// A fresh PGlite runs initdb, about 3 s; one loaded from a copy of a migrated, empty data
// folder starts in about 0.5 s. Processes that open several in-memory databases (tests,
// benchmarks) keep such a copy from their second open on (it costs ~40 MB); a process that
// opens one (replay) never makes it.
let memoryOpens = 0;
let memoryTemplate: Promise<Blob> | undefined;

async function openMemoryPglite(migrate: boolean): Promise<PGlite> {
  if (!migrate) return bootPglite(new PGlite(), false);
  memoryOpens += 1;
  if (memoryOpens === 1) return bootPglite(new PGlite(), true);
  memoryTemplate ??= (async () => {
    const template = await bootPglite(new PGlite(), true);
    try {
      return await template.dumpDataDir('none');
    } finally {
      await template.close();
    }
  })();
  let dump: Blob;
  try {
    dump = await memoryTemplate;
  } catch (error) {
    memoryTemplate = undefined;
    throw error;
  }
  // Migrating again is a cheap check (nothing to apply unless the migrations changed since).
  return bootPglite(new PGlite({ loadDataDir: dump }), true);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

// guyub's migrator: applies prisma/migrations/*/migration.sql in Prisma's order and records each
// one in `_prisma_migrations` exactly as Prisma does (same table, checksum = sha256 hex of the
// file), so that wherever Prisma's engine can be downloaded, `prisma migrate status` and
// `prisma migrate deploy` agree with it. It needs no Prisma engine, and it runs on a pg
// connection or on PGlite alike.
//
// - Under Prisma's advisory lock (key 72707369), held for the whole run on ONE session: two
//   processes starting together apply each migration once (the second waits, then finds it done;
//   it gives up with a clear error after lockTimeoutMs, 5 minutes by default).
// - One transaction per migration: the record and the script commit together or not at all
//   (Prisma itself runs the script without a transaction). A migration script must therefore not
//   contain BEGIN/COMMIT or statements that cannot run in a transaction block
//   (CREATE INDEX CONCURRENTLY, for instance), nor use an enum value added by
//   ALTER TYPE ... ADD VALUE in the same migration (put that in a migration of its own).
// - Refuses to run when an applied migration's file has changed (checksum mismatch) or when
//   Prisma recorded a failed migration that was never resolved.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../core/paths.js';

/** The folder of the checked-in migrations, from src/ (tsx, vitest) or dist/ (compiled) alike. */
export const migrationsDir = path.join(packageRoot, 'prisma', 'migrations');

/** Prisma's advisory lock key for migrations (schema-engine, postgres flavour). */
export const PRISMA_MIGRATION_LOCK_KEY = 72707369;

/** Prisma's own definition of its bookkeeping table on PostgreSQL. */
export const PRISMA_MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

/** The little the migrator needs of a database session: a pg Client or a PGlite instance. */
export interface MigrationConnection {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<unknown>;
}

export interface MigrationFile {
  /** The folder name, e.g. 20261123123000_init: what `_prisma_migrations.migration_name` holds. */
  name: string;
  file: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma computes it. */
  checksum: string;
}

export interface MigrateOptions {
  /** Defaults to the package's prisma/migrations. */
  migrationsDir?: string;
  /** How long to wait for another process's migration run to finish (default 5 minutes). */
  lockTimeoutMs?: number;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The migrations in `dir`, in the order Prisma applies them (folder names, localeCompare). */
export async function listMigrations(dir: string = migrationsDir): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    const file = path.join(dir, name, 'migration.sql');
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new MigrationError(`migration folder ${name} has no migration.sql (in ${dir})`);
      }
      throw error;
    }
    migrations.push({ name, file, sql: bytes.toString('utf8'), checksum: sha256(bytes) });
  }
  return migrations;
}

/** Prisma accepts a checksum computed before git converted line endings (LF <-> CRLF). */
function checksumMatches(migration: MigrationFile, recorded: string): boolean {
  if (migration.checksum === recorded) return true;
  const lf = migration.sql.replace(/\r\n/g, '\n');
  return sha256(lf) === recorded || sha256(lf.replace(/\n/g, '\r\n')) === recorded;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/**
 * Applies the pending migrations on `connection` (one session: the advisory lock is held on it).
 * Returns the names of the migrations applied by this call, in order.
 */
export async function applyMigrations(connection: MigrationConnection, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const migrations = await listMigrations(options.migrationsDir);
  await acquireLock(connection, options.lockTimeoutMs ?? 5 * 60_000);
  try {
    await connection.exec(PRISMA_MIGRATIONS_TABLE_SQL);
    const { rows } = await connection.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at, migration_name',
    );
    const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed.length > 0) {
      const names = failed.map((row) => row.migration_name).join(', ');
      throw new MigrationError(
        `migration ${names} failed earlier and was never resolved (_prisma_migrations.finished_at is empty); fix the database, then mark it with \`prisma migrate resolve\``,
      );
    }
    const done = new Map<string, string>();
    for (const row of rows) if (row.finished_at !== null && row.rolled_back_at === null) done.set(row.migration_name, row.checksum);
    for (const migration of migrations) {
      const recorded = done.get(migration.name);
      if (recorded !== undefined && !checksumMatches(migration, recorded)) {
        throw new MigrationError(
          `migration ${migration.name} was modified after it was applied to this database (checksum ${recorded.slice(0, 12)}… recorded, ${migration.checksum.slice(0, 12)}… on disk): restore ${path.relative(packageRoot, migration.file)} and put the change in a new migration`,
        );
      }
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await applyOne(connection, migration);
      applied.push(migration.name);
    }
    return { applied };
  } finally {
    await connection.query(`SELECT pg_advisory_unlock(${PRISMA_MIGRATION_LOCK_KEY})`).catch(() => undefined);
  }
}

/** Prisma's session-level advisory lock, waited for with a deadline rather than forever. */
async function acquireLock(connection: MigrationConnection, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await connection.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${PRISMA_MIGRATION_LOCK_KEY}) AS locked`);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new MigrationError(
        `another process has held the migration lock (advisory lock ${PRISMA_MIGRATION_LOCK_KEY}) for over ${Math.round(timeoutMs / 1000)} s; is a migration stuck? (see pg_locks and pg_stat_activity)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function applyOne(connection: MigrationConnection, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await connection.exec('BEGIN');
  try {
    await connection.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, clock_timestamp(), 0)',
      [id, migration.checksum, migration.name],
    );
    await connection.exec(migration.sql);
    await connection.query(
      'UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1 WHERE id = $1',
      [id],
    );
    await connection.exec('COMMIT');
  } catch (error) {
    await connection.exec('ROLLBACK').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
  }
}

/** A pg Client (or a client checked out of a pool, for the whole run) as a MigrationConnection. */
export function pgMigrationConnection(client: {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}): MigrationConnection {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)) as { rows: Row[] },
    exec: (sql: string) => client.query(sql),
  };
}

/** A PGlite instance as a MigrationConnection. */
export function pgliteMigrationConnection(db: {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(sql: string): Promise<unknown>;
}): MigrationConnection {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await db.query(sql, params)) as { rows: Row[] },
    exec: (sql: string) => db.exec(sql),
  };
}

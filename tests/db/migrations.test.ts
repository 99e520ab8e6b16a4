import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchPostgres,
  DatabaseUnreachableError,
  migrateDatabase,
  openDatabase,
  type ScratchPostgres,
} from '../../src/db/index.js';
import {
  applyMigrations,
  listMigrations,
  MigrationError,
  migrationsDir,
  pgliteMigrationConnection,
  PRISMA_MIGRATION_LOCK_KEY,
  type MigrationConnection,
} from '../../src/db/migrate.js';
import { withClient } from '../support/postgres.js';

const scratches: ScratchPostgres[] = [];
const tempDirs: string[] = [];
async function scratch(): Promise<ScratchPostgres> {
  const db = await createScratchPostgres();
  scratches.push(db);
  return db;
}
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(scratches.map((db) => db.drop()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the checked-in migrations in a temporary folder, to add to or tamper with. */
function copyOfMigrations(): string {
  const dir = path.join(tempDir('guyub-migrations-'), 'migrations');
  cpSync(migrationsDir, dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const MIGRATIONS_TABLE_COLUMNS = `
  SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
  FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`;

// Prisma's own definition (schema-engine, postgres flavour), as information_schema shows it.
const PRISMA_TABLE = [
  { column_name: 'id', data_type: 'character varying', character_maximum_length: 36, is_nullable: 'NO', column_default: null },
  { column_name: 'checksum', data_type: 'character varying', character_maximum_length: 64, is_nullable: 'NO', column_default: null },
  { column_name: 'finished_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
  { column_name: 'migration_name', data_type: 'character varying', character_maximum_length: 255, is_nullable: 'NO', column_default: null },
  { column_name: 'logs', data_type: 'text', character_maximum_length: null, is_nullable: 'YES', column_default: null },
  { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'YES', column_default: null },
  { column_name: 'started_at', data_type: 'timestamp with time zone', character_maximum_length: null, is_nullable: 'NO', column_default: 'now()' },
  { column_name: 'applied_steps_count', data_type: 'integer', character_maximum_length: null, is_nullable: 'NO', column_default: '0' },
];

function expectRecorded(rows: MigrationRow[], names: string[], checksums: Map<string, string>): void {
  expect(rows.map((row) => row.migration_name).sort()).toEqual([...names].sort());
  for (const row of rows) {
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.checksum).toBe(checksums.get(row.migration_name));
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    expect(row.applied_steps_count).toBe(1);
    expect(row.logs).toBeNull();
    expect(row.rolled_back_at).toBeNull();
  }
}

describe('checked-in migrations', () => {
  it('are listed in order, with the sha256 of each file as checksum', async () => {
    const migrations = await listMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.name)).toEqual(migrations.map((m) => m.name).sort());
    for (const m of migrations) {
      expect(m.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
      expect(m.checksum).toBe(createHash('sha256').update(readFileSync(m.file)).digest('hex'));
    }
    expect(readFileSync(path.join(migrationsDir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
  });
});

describe('migrator on PostgreSQL', () => {
  it('applies every migration once, recorded as Prisma records them', async () => {
    const migrations = await listMigrations();
    const db = await scratch();
    const first = await migrateDatabase(db.url);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    expect((await migrateDatabase(db.url)).applied).toEqual([]);
    await withClient(db.url, async (client) => {
      expect((await client.query(MIGRATIONS_TABLE_COLUMNS)).rows).toEqual(PRISMA_TABLE);
      const { rows } = await client.query<MigrationRow>('SELECT * FROM "_prisma_migrations"');
      expectRecorded(rows, first.applied, new Map(migrations.map((m) => [m.name, m.checksum])));
      // The lock is released at the end.
      const locks = await client.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1`, [PRISMA_MIGRATION_LOCK_KEY]);
      expect(locks.rowCount).toBe(0);
    });
  });

  it('applies each migration once when two migrators start together', async () => {
    const dir = copyOfMigrations();
    // A slow migration, so that the two runs overlap for certain.
    addMigration(dir, '29990101000000_slow', 'SELECT pg_sleep(0.5);\nCREATE TABLE "SlowProbe" ("id" INTEGER NOT NULL);\n');
    const names = (await listMigrations(dir)).map((m) => m.name);
    const db = await scratch();
    const [a, b] = await Promise.all([migrateDatabase(db.url, { migrationsDir: dir }), migrateDatabase(db.url, { migrationsDir: dir })]);
    expect([...a.applied, ...b.applied].sort()).toEqual([...names].sort());
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, names.length]);
    await withClient(db.url, async (client) => {
      const { rows } = await client.query('SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY 1 ORDER BY 1');
      expect(rows).toEqual(names.map((name) => ({ migration_name: name, n: 1 })));
    });
  });

  it('waits for the migration lock, and gives up clearly after its deadline', async () => {
    const db = await scratch();
    await withClient(db.url, async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATION_LOCK_KEY]);
      await expect(migrateDatabase(db.url, { lockTimeoutMs: 600 })).rejects.toThrow(/held the migration lock/);
      const waiting = migrateDatabase(db.url);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await holder.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATION_LOCK_KEY]);
      expect((await waiting).applied.length).toBeGreaterThan(0);
    });
  });

  it('refuses to run when an applied migration was modified', async () => {
    const dir = copyOfMigrations();
    const db = await scratch();
    await migrateDatabase(db.url, { migrationsDir: dir });
    const [first] = await listMigrations(dir);
    appendFileSync(first!.file, '\n-- an innocent-looking edit\n');
    addMigration(dir, '29990101000000_after', 'CREATE TABLE "AfterProbe" ("id" INTEGER NOT NULL);\n');
    const attempt = migrateDatabase(db.url, { migrationsDir: dir });
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(attempt).rejects.toThrow(new RegExp(`${first!.name} was modified after it was applied`));
    // Nothing after it was applied either.
    await withClient(db.url, async (client) => {
      expect((await client.query(`SELECT to_regclass('"AfterProbe"') AS t`)).rows[0].t).toBeNull();
    });
  });

  it('rolls a failing migration back whole, recording nothing', async () => {
    const dir = copyOfMigrations();
    addMigration(dir, '29990101000000_broken', 'CREATE TABLE "BrokenProbe" ("id" INTEGER NOT NULL);\nSELECT no_such_function();\n');
    const db = await scratch();
    await expect(migrateDatabase(db.url, { migrationsDir: dir })).rejects.toThrow(/29990101000000_broken failed and was rolled back/);
    await withClient(db.url, async (client) => {
      expect((await client.query(`SELECT to_regclass('"BrokenProbe"') AS t`)).rows[0].t).toBeNull();
      const { rows } = await client.query('SELECT migration_name FROM "_prisma_migrations"');
      expect(rows.map((row) => row.migration_name)).not.toContain('29990101000000_broken');
    });
    // Once fixed, it applies.
    writeFileSync(path.join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "BrokenProbe" ("id" INTEGER NOT NULL);\n');
    expect((await migrateDatabase(db.url, { migrationsDir: dir })).applied).toEqual(['29990101000000_broken']);
  });
});

describe('migrator on PGlite', () => {
  let db: PGlite;
  let connection: MigrationConnection;
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
    connection = pgliteMigrationConnection(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('applies every migration once, recorded as Prisma records them', async () => {
    const migrations = await listMigrations();
    const first = await applyMigrations(connection);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    expect((await applyMigrations(connection)).applied).toEqual([]);
    expect((await db.query(MIGRATIONS_TABLE_COLUMNS)).rows).toEqual(PRISMA_TABLE);
    const { rows } = await db.query<MigrationRow>('SELECT * FROM "_prisma_migrations"');
    expectRecorded(rows, first.applied, new Map(migrations.map((m) => [m.name, m.checksum])));
  });

  it('refuses to run when an applied migration was modified', async () => {
    const dir = copyOfMigrations();
    const [first] = await listMigrations(dir);
    writeFileSync(first!.file, readFileSync(first!.file, 'utf8').replace('TEXT', 'VARCHAR(10)'));
    await expect(applyMigrations(connection, { migrationsDir: dir })).rejects.toThrow(/was modified after it was applied/);
  });
});

describe('openDatabase', () => {
  const password = 's3cret-Pa55word';
  const unreachable = `postgresql://guyub:${password}@127.0.0.1:1/guyub`;

  it('reports an unreachable PostgreSQL in one line, without the password', async () => {
    for (const attempt of [() => openDatabase({ databaseUrl: unreachable }), () => migrateDatabase(unreachable)]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseUnreachableError);
      const { message, host, port } = error as DatabaseUnreachableError;
      expect({ host, port }).toEqual({ host: '127.0.0.1', port: 1 });
      expect(message).toContain('127.0.0.1:1');
      expect(message).toMatch(/PostgreSQL is running/);
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).not.toContain(password);
      expect(message).not.toContain('\n');
    }
  });

  it('reports an unknown host and a missing database the same way', async () => {
    const unknownHost = openDatabase({ databaseUrl: `postgresql://guyub:${password}@no-such-host.invalid:5432/guyub` });
    await expect(unknownHost).rejects.toThrow(DatabaseUnreachableError);
    await expect(unknownHost).rejects.toThrow(/no-such-host\.invalid:5432/);
    const missing = openDatabase({ databaseUrl: `postgresql://postgres:${password}@127.0.0.1:5432/guyub_no_such_database`, migrate: false });
    await expect(missing).rejects.toThrow(/no database "guyub_no_such_database"/);
  });

  it('does not echo a malformed DATABASE_URL', async () => {
    const error = await openDatabase({ databaseUrl: `postgresql://guyub:${password}@[bad` }).catch((e: Error) => e);
    expect((error as Error).message).not.toContain(password);
  });

  it('opens a migrated PostgreSQL database', async () => {
    const db = await scratch();
    const database = await openDatabase({ databaseUrl: db.url });
    try {
      expect(database.kind).toBe('postgres');
      const community = await database.prisma.community.create({ data: { platform: 'discord', externalId: 'g1' } });
      expect(await database.prisma.community.findUnique({ where: { id: community.id } })).toMatchObject({ externalId: 'g1' });
    } finally {
      await database.close();
      await database.close(); // twice is fine
    }
  });

  it('keeps a PGlite data folder across close and reopen', async () => {
    const dataDir = path.join(tempDir('guyub-pglite-'), 'nested', 'data');
    const first = await openDatabase({ dataDir });
    expect(first.kind).toBe('pglite');
    try {
      await first.prisma.community.create({ data: { platform: 'shell', externalId: 'kept' } });
    } finally {
      await first.close();
    }
    const second = await openDatabase({ dataDir });
    try {
      expect((await second.prisma.community.findMany()).map((c) => c.externalId)).toEqual(['kept']);
    } finally {
      await second.close();
    }
  });

  it('gives every in-memory database its own empty, migrated store', async () => {
    const databases = [];
    try {
      for (let i = 0; i < 3; i++) {
        const database = await openDatabase({ dataDir: 'memory://' });
        databases.push(database);
        expect(await database.prisma.community.count()).toBe(0);
        await database.prisma.community.create({ data: { platform: 'shell', externalId: `c${i}` } });
      }
    } finally {
      await Promise.all(databases.map((database) => database.close()));
    }
  });
});

// The checked-in migrations must build exactly the schema that prisma/schema.prisma describes.
// On the real PostgreSQL: one scratch database gets the migrations, another the SQL that Prisma
// writes for the whole current schema (Prisma 6's offline `migrate diff --from-empty`); their
// catalogs must match. A schema change without its migration (`npm run db:migration -- <name>`)
// fails here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE } from '../../scripts/new-migration.js';
import { prisma6Diff } from '../../scripts/prisma6-diff.js';
import { createScratchPostgres, migrateDatabase, type ScratchPostgres } from '../../src/db/index.js';
import { listMigrations, migrationsDir } from '../../src/db/migrate.js';
import { packageRoot } from '../../src/core/paths.js';
import { withClient } from '../support/postgres.js';

const schema = readFileSync(path.join(packageRoot, 'prisma', 'schema.prisma'), 'utf8');

const OWN_TABLE = '_prisma_migrations';

/** Everything of the public schema that Prisma's migrations decide, in a comparable form. */
async function describeSchema(url: string) {
  return withClient(url, async (client) => {
    const rows = async (sql: string, params: unknown[] = [OWN_TABLE]) => (await client.query(sql, params)).rows;
    return {
      tables: await rows(`
        SELECT table_name, table_type FROM information_schema.tables
        WHERE table_schema = 'public' AND table_name <> $1 ORDER BY table_name`),
      // Not ordinal_position: a column added by a later migration comes last, which is fine.
      columns: await rows(`
        SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default,
               character_maximum_length, numeric_precision, numeric_scale, datetime_precision,
               is_identity, is_generated
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> $1 ORDER BY table_name, column_name`),
      indexes: await rows(`
        SELECT tablename, indexname, indexdef FROM pg_indexes
        WHERE schemaname = 'public' AND tablename <> $1 ORDER BY tablename, indexname`),
      // contype 'n' (NOT NULL as constraints, PostgreSQL 18) is covered by is_nullable above.
      constraints: await rows(`
        SELECT rel.relname AS table_name, con.conname, con.contype, pg_get_constraintdef(con.oid) AS definition
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_namespace ns ON ns.oid = rel.relnamespace
        WHERE ns.nspname = 'public' AND rel.relname <> $1 AND con.contype <> 'n'
        ORDER BY rel.relname, con.conname`),
      // Labels as a set: ALTER TYPE ... ADD VALUE appends, while a fresh CREATE TYPE follows the schema's order.
      enums: await rows(`
        SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumlabel) AS labels
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace ns ON ns.oid = t.typnamespace
        WHERE ns.nspname = 'public' GROUP BY t.typname ORDER BY t.typname`, []),
      sequences: await rows(`
        SELECT sequence_name, data_type, start_value, increment, maximum_value, cycle_option
        FROM information_schema.sequences WHERE sequence_schema = 'public' AND sequence_name <> $1 ORDER BY sequence_name`),
    };
  });
}

const scratches: ScratchPostgres[] = [];
async function scratch(): Promise<ScratchPostgres> {
  const db = await createScratchPostgres();
  scratches.push(db);
  return db;
}

/** A database built from the whole of `schemaText` in one script, as Prisma would write it. */
async function databaseFromSchema(schemaText: string): Promise<ScratchPostgres> {
  const sql = await prisma6Diff(null, schemaText);
  expect(sql).toContain('CREATE TABLE');
  const db = await scratch();
  await withClient(db.url, (client) => client.query(sql));
  return db;
}

describe('migrations vs schema.prisma', () => {
  let fromMigrations: Awaited<ReturnType<typeof describeSchema>>;

  beforeAll(async () => {
    const db = await scratch();
    await migrateDatabase(db.url);
    fromMigrations = await describeSchema(db.url);
  });

  afterAll(async () => {
    await Promise.all(scratches.map((db) => db.drop()));
  });

  it('the migrations build the schema that schema.prisma describes', async () => {
    const fromSchema = await describeSchema((await databaseFromSchema(schema)).url);
    expect(fromMigrations.tables.length).toBeGreaterThan(0);
    expect(fromMigrations).toEqual(fromSchema);
  });

  it('the comparison catches a column and an index that have no migration', async () => {
    const changed = schema.replace(/^model Message \{$/m, 'model Message {\n  driftProbe String?\n  @@index([driftProbe])');
    expect(changed).not.toBe(schema);
    const fromChanged = await describeSchema((await databaseFromSchema(changed)).url);
    expect(fromChanged).not.toEqual(fromMigrations);
    expect(fromChanged.columns.filter((c) => c.column_name === 'driftProbe')).toHaveLength(1);
    expect(fromChanged.indexes.filter((i) => i.indexname === 'Message_driftProbe_idx')).toHaveLength(1);
  });

  it('the newest migration snapshot is the current schema, so the next db:migration starts from it', async () => {
    const latest = (await listMigrations()).at(-1);
    expect(latest).toBeDefined();
    const snapshot = readFileSync(path.join(migrationsDir, latest!.name, SNAPSHOT_FILE), 'utf8');
    expect(await prisma6Diff(snapshot, schema)).toBe('');
  });
});

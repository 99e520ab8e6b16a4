import { migrateDatabase, openDatabase } from '../../db/index.js';

/** `guyub db migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
export async function dbMigrateCommand(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { applied } = await migrateDatabase(url);
    process.stdout.write(applied.length ? `applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join('\n')}\n` : 'database is up to date\n');
    return 0;
  }
  const database = await openDatabase({ dataDir: process.env.DATA_DIR ?? 'data' });
  await database.close();
  process.stdout.write(`embedded database in ${process.env.DATA_DIR ?? 'data'} is up to date (set DATABASE_URL to migrate PostgreSQL)\n`);
  return 0;
}

// Prisma 6's offline `migrate diff`, shared by scripts/new-migration.ts and tests/db/drift.test.ts.
//
// Prisma 7 (the project's Prisma) cannot run any migrate command without downloading its native
// schema engine. Prisma 6.19.3 (devDependency `prisma6`, an npm alias) can, with its experimental
// WebAssembly schema engine (`engine: "js"` in its config). That engine wants a driver adapter
// and sends one query at start-up (does the schema exist, version(), server_version_num); a
// diff between two schema files touches no database otherwise, so a fake adapter that answers
// that query with a fixed row is enough. See ../../shared/PRISMA-OFFLINE.md.
//
// Everything happens in a temporary folder, so that no prisma.config.* of the project is read:
//   schema copies: Prisma 6 needs `url = env(...)` in the datasource (Prisma 7 rejects it) and a
//     `prisma-client-js` generator with `engineType = "client"` (otherwise the CLI downloads a
//     query engine before running the command);
//   prisma.config.mjs: engine "js" and the fake adapter.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The Prisma 6 CLI entry point (the alias has no bin of its own). */
function prisma6Cli(): string {
  const packageJson = require.resolve('prisma6/package.json');
  return path.join(path.dirname(packageJson), 'build', 'index.js');
}

/** A Prisma 7 schema rewritten for Prisma 6's CLI (see the header). */
export function toPrisma6Schema(schema: string): string {
  let result = schema.replace(/^[ \t]*generator\s+\w+\s*\{[^}]*\}/gm, '');
  result += '\n\ngenerator guyub_offline_diff {\n  provider   = "prisma-client-js"\n  engineType = "client"\n}\n';
  result = result.replace(/^([ \t]*datasource\s+\w+\s*\{)([^}]*)\}/m, (block: string, head: string, body: string) =>
    /^\s*url\s*=/m.test(body) ? block : `${head}${body.replace(/\s*$/, '')}\n  url = env("DATABASE_URL")\n}`,
  );
  return result;
}

const FAKE_ADAPTER_CONFIG = `// Written by guyub's scripts/prisma6-diff.ts for one offline \`prisma migrate diff\`.
const info = { provider: 'postgres', adapterName: 'guyub-offline-diff' };
const noRows = { columnNames: [], columnTypes: [], rows: [] };
const adapter = {
  ...info,
  async queryRaw(query) {
    // The start-up probe: schema exists, version(), server_version_num (Boolean, Text, Int32).
    if (/server_version_num/.test(query.sql)) {
      return { columnNames: ['exists', 'version', 'numeric_version'], columnTypes: [5, 7, 0], rows: [[true, 'PostgreSQL 15.0 (offline diff)', 150000]] };
    }
    return noRows;
  },
  async executeRaw() { return 0; },
  async executeScript() {},
  async startTransaction() { throw new Error('the offline diff adapter has no database'); },
  getConnectionInfo() { return { schemaName: 'public', supportsRelationJoins: true }; },
  async dispose() {},
};
const factory = { ...info, async connect() { return adapter; }, async connectToShadowDb() { return adapter; } };
export default { schema: 'to.prisma', experimental: { adapter: true }, engine: 'js', adapter: async () => factory };
`;

export class Prisma6DiffError extends Error {
  override readonly name = 'Prisma6DiffError';
}

/**
 * The SQL that takes a database from schema `from` (null: an empty database) to schema `to`,
 * as Prisma's `migrate diff --script` writes it; '' when there is nothing to do.
 * Both arguments are schema.prisma texts (Prisma 7 style; see toPrisma6Schema).
 */
export async function prisma6Diff(from: string | null, to: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'guyub-prisma6-diff-'));
  try {
    await writeFile(path.join(dir, 'prisma.config.mjs'), FAKE_ADAPTER_CONFIG);
    await writeFile(path.join(dir, 'to.prisma'), toPrisma6Schema(to));
    const fromArgs = from === null ? ['--from-empty'] : ['--from-schema-datamodel', 'from.prisma'];
    if (from !== null) await writeFile(path.join(dir, 'from.prisma'), toPrisma6Schema(from));
    const args = [prisma6Cli(), 'migrate', 'diff', ...fromArgs, '--to-schema-datamodel', 'to.prisma', '--script', '--exit-code'];
    const { code, stdout, stderr } = await run(process.execPath, args, dir);
    // --exit-code: 0 = no difference, 2 = a difference (the script is on stdout), else an error.
    if (code === 0) return '';
    if (code === 2) return stdout;
    throw new Prisma6DiffError(`prisma@6 migrate diff failed (exit code ${code}):\n${(stderr + '\n' + stdout).trim()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `--from-empty` starts from a database without any schema, so its script begins with
 * `CREATE SCHEMA IF NOT EXISTS "public"`. `prisma migrate dev` would not write that line (its
 * shadow database has a public schema), and it needs the CREATE privilege on the database even
 * when the schema exists, which an application role often lacks. Migrations leave it out.
 */
export function withoutPublicSchemaCreation(sql: string): string {
  return sql.replace(/^-- CreateSchema\r?\nCREATE SCHEMA IF NOT EXISTS "public";\r?\n(\r?\n)*/m, '');
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: {
        ...process.env,
        // Read only by Prisma 6's config validation (the fake adapter connects nowhere).
        DATABASE_URL: 'postgresql://offline@localhost:5432/offline',
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        NO_COLOR: '1',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

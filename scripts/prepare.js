// Run by npm's `prepare` script (after `npm ci` / `npm install` in this repository):
//   1. `prisma generate`: Prisma 7 writes the client to src/generated/prisma. It works offline
//      as long as the CLI is told not to fetch its native schema engine, which generate does
//      not need (PRISMA_SCHEMA_ENGINE_BINARY=/bin/false, set for this command only).
//   2. `tsc -p tsconfig.build.json`: compiles src/ (generated client included) to dist/.
// Quiet on success (one line); on failure prints the failing command's output and exits non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm install --package-lock-only` (and --dry-run) run prepare too, with no node_modules to use.
if (process.env.npm_config_package_lock_only === 'true' || process.env.npm_config_dry_run === 'true') process.exit(0);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const started = performance.now();

function run(label, command, args, extraEnv = {}) {
  if (!existsSync(command)) {
    fail(label, `${path.relative(root, command)} is missing: install the dev dependencies first (npm ci).`);
  }
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
    timeout: 10 * 60_000,
  });
  if (result.error || result.status !== 0) {
    const output = [result.stdout, result.stderr].filter(Boolean).join('\n').trim();
    const why = result.error ? result.error.message : result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`;
    fail(label, `${why}${output ? `\n${output}` : ''}`);
  }
}

function fail(label, details) {
  process.stderr.write(`\nguyub prepare: ${label} FAILED: ${details}\n\n`);
  process.exit(1);
}

run('prisma generate', bin('prisma'), ['generate'], {
  PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false',
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
});
// A clean dist/, so that a file removed from src/ does not live on in the build.
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
run('tsc -p tsconfig.build.json', bin('tsc'), ['-p', 'tsconfig.build.json']);

const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(`guyub prepare: Prisma client generated, src/ compiled to dist/ (${seconds} s)\n`);

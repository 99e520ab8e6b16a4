import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ActionSchema } from '../../src/contracts/index.js';
import { packageRoot } from '../../src/core/paths.js';

const run = promisify(execFile);
const tsxLoader = pathToFileURL(path.join(packageRoot, 'node_modules/tsx/dist/loader.mjs')).href;
const fixtures = path.join(packageRoot, 'tests/fixtures');
const temp = mkdtempSync(path.join(tmpdir(), 'guyub-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the guyub command line from source, as `npx guyub` would from the build. */
async function guyub(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...options.env };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'DISCORD_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'GUYUB_CONFIG']) if (!options.env?.[key]) delete env[key];
  const child = run(process.execPath, ['--import', tsxLoader, path.join(packageRoot, 'src/cli/main.ts'), ...args], { env, cwd: temp, timeout: 60_000 });
  if (options.input !== undefined) {
    child.child.stdin?.end(options.input);
  } else child.child.stdin?.end();
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('guyub replay', () => {
  it('prints one message.send per new member in the Action format, and nothing for a repeated event id', async () => {
    const result = await guyub(['replay', path.join(fixtures, 'joins.jsonl'), '--json']);
    expect(result.code).toBe(0);
    const actions = result.stdout.trim().split('\n').map((line) => ActionSchema.parse(JSON.parse(line)));
    expect(actions.map((a) => [a.type, a.cause, a.platform, a.community, a.type === 'message.send' && a.channel])).toEqual([
      ['message.send', 'j1', 'discord', 'g1', 'general'],
      ['message.send', 'j2', 'discord', 'g1', 'general'],
      ['message.send', 'j3', 'slack', 'T1', 'general'],
    ]);
    expect(result.stderr).toMatch(/replayed 5 events \(1 duplicate, 0 failed, 0 bad lines\): 3 actions/);
  });

  it('gives the same output on a second run', async () => {
    const [a, b] = await Promise.all([guyub(['replay', path.join(fixtures, 'joins.jsonl'), '--json']), guyub(['replay', path.join(fixtures, 'joins.jsonl'), '--json'])]);
    expect(a.stdout).toBe(b.stdout);
  });

  it('prints actions readably without --json', async () => {
    const result = await guyub(['replay', path.join(fixtures, 'joins.jsonl')]);
    expect(result.stdout.split('\n')[0]).toBe(
      '[#general] guyub: Welcome to g1, @Ayu! 👋 Please read #rules, then tell us a little about yourself in #introductions.',
    );
  });

  it('names each bad line and its reason, still runs the others, and exits 2', async () => {
    const file = path.join(fixtures, 'bad-lines.jsonl');
    const result = await guyub(['replay', file, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:3: not valid JSON`);
    expect(result.stderr).toMatch(new RegExp(`${file}:4: not a valid event: type: `));
    expect(result.stderr).toMatch(new RegExp(`${file}:5: not a valid event: member: `));
    expect(result.stdout.trim().split('\n').map((l) => JSON.parse(l).cause)).toEqual(['j1', 'j5']);
  });

  it('applies a configuration file given with --config', async () => {
    const config = path.join(temp, 'indonesian.yaml');
    writeFileSync(config, 'locale: id\nname: Kopi\n');
    const result = await guyub(['replay', path.join(fixtures, 'joins.jsonl'), '--json', '--config', config]);
    expect(JSON.parse(result.stdout.split('\n')[0]!).message.text).toMatch(/^Selamat datang di Kopi, <@u1>!/);
  });

  it('refuses an invalid configuration with every problem and exit code 2, without a stack trace', async () => {
    const config = path.join(temp, 'bad.yaml');
    writeFileSync(config, 'locale: fr\nwelcome:\n  enabled: maybe\n');
    const result = await guyub(['replay', path.join(fixtures, 'joins.jsonl'), '--config', config]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml: locale: expected one of "en", "id", got string "fr"/);
    expect(result.stderr).toMatch(/bad\.yaml: welcome\.enabled: expected boolean, got string "maybe"/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a missing file and for a bad --until', async () => {
    expect((await guyub(['replay', path.join(temp, 'nope.jsonl')])).code).toBe(2);
    const until = await guyub(['replay', path.join(fixtures, 'joins.jsonl'), '--until', 'tomorrow']);
    expect(until.code).toBe(2);
    expect(until.stderr).toMatch(/--until must be an ISO 8601 time/);
  });
});

describe('guyub start', () => {
  it('welcomes a member in the shell, and remembers them after a restart', async () => {
    const env = { DATA_DIR: path.join(temp, 'data') };
    const first = await guyub(['start'], { env, input: '/join Ayu\n' });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('[#general] guyub: Welcome to the guyub shell, @Ayu! 👋');
    const second = await guyub(['start'], { env, input: '/join Ayu\n/as Ayu\n/members\n/ping\n' });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Ayu is already a member.');
    expect(second.stdout).toContain('You are now Ayu.');
    expect(second.stdout).toContain('Members: Ayu');
    expect(second.stdout).toContain('[only @Ayu sees] guyub: There is no /ping command here. Try /help.');
    expect(second.stdout).not.toContain('Welcome to');
  });

  it('says in one line which database it cannot reach, without the password, and exits 1', async () => {
    const result = await guyub(['start'], { env: { DATABASE_URL: 'postgresql://guyub:hunter2@127.0.0.1:1/guyub' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('127.0.0.1:1');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('says in one line which Redis it cannot reach, without the password, and exits 1', async () => {
    const result = await guyub(['start'], { env: { REDIS_URL: 'redis://:hunter2@127.0.0.1:1' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'guyub: Redis at 127.0.0.1:1 refused the connection (nothing listening): check that Redis is running there and that REDIS_URL points to it.',
    ]);
  });

  it('runs the shell with jobs on BullMQ when REDIS_URL is set', async () => {
    const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `guyub-test-${randomUUID()}`;
    const result = await guyub(['start'], { env: { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, DATA_DIR: path.join(temp, 'data-redis') }, input: '/join Ayu\n' });
    const redis = new Redis(redisUrl);
    try {
      // Its keys (job schedulers it declared, automod counters) are under its own prefix.
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys.some((key) => key.startsWith(`${prefix}:jobs:`))).toBe(true);
      if (keys.length) await redis.del(...keys);
    } finally {
      await redis.quit();
    }
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Welcome to the guyub shell, @Ayu!');
    expect(result.stderr).toBe('');
  });

  it('says which platform it cannot reach when a token is set, without printing the token, and exits 1', async () => {
    const result = await guyub(['start'], { env: { DISCORD_TOKEN: 'secret-token-value', DISCORD_API_URL: 'http://127.0.0.1:1/api' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not connect to Discord: .*ECONNREFUSED/);
    expect(result.stderr + result.stdout).not.toContain('secret-token-value');
  });

  it('exits 2 for an unknown command', async () => {
    expect((await guyub(['dance'])).code).toBe(2);
  });
});

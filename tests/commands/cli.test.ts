import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { COMMAND_DEFINITIONS } from '../../src/commands/index.js';
import { packageRoot } from '../../src/core/paths.js';
import { FakeDiscordCommands } from './fake-discord-commands.js';

const run = promisify(execFile);
const tsxLoader = pathToFileURL(path.join(packageRoot, 'node_modules/tsx/dist/loader.mjs')).href;
const temp = mkdtempSync(path.join(tmpdir(), 'guyub-commands-cli-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** Runs the guyub command line from source, as tests/cli/cli.test.ts does, with the platform variables only when given. */
async function guyub(args: string[], options: { env?: Record<string, string> } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...options.env };
  for (const key of ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_API_URL']) if (options.env?.[key] === undefined) delete env[key];
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsxLoader, path.join(packageRoot, 'src/cli/main.ts'), ...args], { env, cwd: temp, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.concurrent('guyub discord register', () => {
  const applicationId = '123456789012345678';
  const token = 'cli-test-token';
  const count = COMMAND_DEFINITIONS.length;

  it('registers every command against DISCORD_API_URL, and changes nothing when run again', async () => {
    const fake = new FakeDiscordCommands({ applicationId, token });
    const api = await fake.start();
    try {
      const env = { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: applicationId, DISCORD_API_URL: api };
      const first = await guyub(['discord', 'register'], { env });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('created /poll\n');
      expect(first.stdout.trim().split('\n').at(-1)).toBe(`created ${count}, updated 0, deleted 0, unchanged 0`);
      expect(fake.list().map((c) => c.name)).toEqual(COMMAND_DEFINITIONS.map((d) => d.name));

      fake.calls.length = 0;
      const second = await guyub(['discord', 'register'], { env });
      expect(second.code).toBe(0);
      expect(second.stdout).toBe(`created 0, updated 0, deleted 0, unchanged ${count}\n`);
      expect(fake.writes()).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('with --guild and --dry-run, says what it would register in that guild and changes nothing', async () => {
    const fake = new FakeDiscordCommands({ applicationId, token });
    const api = await fake.start();
    try {
      const result = await guyub(['discord', 'register', '--guild', '42', '--dry-run'], { env: { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: applicationId, DISCORD_API_URL: api } });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('would create /warn\n');
      expect(result.stdout.trim().split('\n').at(-1)).toBe(`dry run, nothing changed: would have created ${count}, updated 0, deleted 0, unchanged 0`);
      expect(fake.calls.map((c) => `${c.method} ${c.path}`)).toEqual([`GET /api/v10/applications/${applicationId}/guilds/42/commands`]);
    } finally {
      await fake.close();
    }
  });

  it('exits 2 naming the missing variable', async () => {
    const noToken = await guyub(['discord', 'register'], { env: { DISCORD_APPLICATION_ID: applicationId } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/^guyub: DISCORD_TOKEN is not set/);
    const noApplication = await guyub(['discord', 'register'], { env: { DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: '' } });
    expect(noApplication.code).toBe(2);
    expect(noApplication.stderr).toMatch(/^guyub: DISCORD_APPLICATION_ID is not set/);
  });

  it('exits 1 with Discord\'s answer when the token is refused, without printing the token', async () => {
    const fake = new FakeDiscordCommands({ applicationId, token });
    const api = await fake.start();
    try {
      const result = await guyub(['discord', 'register'], { env: { DISCORD_TOKEN: 'wrong-secret-token', DISCORD_APPLICATION_ID: applicationId, DISCORD_API_URL: api } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^guyub: Discord answered 401 to GET .*\/applications\/123456789012345678\/commands/);
      expect(result.stderr).not.toContain('wrong-secret-token');
      expect(fake.list()).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe.concurrent('guyub slack manifest', () => {
  it('writes the manifest that config/slack-manifest.yaml holds (so the committed file cannot go stale)', async () => {
    const out = path.join(temp, 'slack', 'manifest.yaml');
    const result = await guyub(['slack', 'manifest', '--url', 'https://bot.example.com', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`wrote the Slack app manifest to ${out}\n`);
    const written = readFileSync(out, 'utf8');
    expect(parseYaml(written)).toMatchObject({ display_information: { name: 'guyub' } });
    expect(written).toBe(readFileSync(path.join(packageRoot, 'config/slack-manifest.yaml'), 'utf8'));
  });

  it('writes a Socket Mode manifest without request URLs', async () => {
    const out = path.join(temp, 'socket.yaml');
    expect((await guyub(['slack', 'manifest', '--socket-mode', '--out', out])).code).toBe(0);
    const manifest = parseYaml(readFileSync(out, 'utf8')) as { settings: { socket_mode_enabled: boolean; event_subscriptions: object } };
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions).not.toHaveProperty('request_url');
  });

  it('exits 2 without --url or --socket-mode, and for a URL that is not https', async () => {
    const none = await guyub(['slack', 'manifest', '--out', path.join(temp, 'none.yaml')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('guyub: give --url <https base of the bot> (request URLs) or --socket-mode\n');
    const plain = await guyub(['slack', 'manifest', '--url', 'http://bot.example.com', '--out', path.join(temp, 'plain.yaml')]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/--url must be https/);
  });
});

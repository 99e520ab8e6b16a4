import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { packageRoot } from '../../src/core/paths.js';

const dirs: string[] = [];
function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'guyub-config-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'default.yaml'), readFileSync(path.join(packageRoot, 'config/default.yaml')));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('loads the embedded defaults with welcome on, in English, in UTC', () => {
    const config = loadConfig().for('discord', 'any-guild');
    expect(config.welcome.enabled).toBe(true);
    expect(config.locale).toBe('en');
    expect(config.timeZone).toBe('UTC');
    expect(config.roles.moderator).toEqual(['moderator', 'admin']);
  });

  it('applies a community file over the defaults for that community only', () => {
    const dir = configDir({ 'communities/jakarta.yaml': 'community: "123"\nplatform: discord\nlocale: id\nwelcome:\n  channel: halo\n' });
    const store = loadConfig({ dir });
    expect(store.for('discord', '123')).toMatchObject({ locale: 'id', welcome: { channel: 'halo', enabled: true } });
    expect(store.for('slack', '123').locale).toBe('en');
    expect(store.for('discord', '999').locale).toBe('en');
  });

  it('lists every problem with its file and path', () => {
    const dir = configDir({
      'communities/bad.yaml': 'community: T1\nlocale: fr\ntimeZone: Mars/Olympus\nwelcome:\n  enabled: "yes"\n  colour: blue\n',
    });
    const problems = problemsOf(() => loadConfig({ dir }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/bad\.yaml: locale: expected one of "en", "id", got string "fr"/),
        expect.stringMatching(/bad\.yaml: timeZone: an IANA time zone/),
        expect.stringMatching(/bad\.yaml: welcome\.enabled: expected boolean, got string "yes"/),
        expect.stringMatching(/bad\.yaml: welcome: unknown key colour/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('reports a YAML syntax error with its line', () => {
    const dir = configDir({ 'communities/broken.yaml': 'community: T1\nwelcome: [unclosed\n' });
    expect(problemsOf(() => loadConfig({ dir }))[0]).toMatch(/broken\.yaml:\d+:\d+: /);
  });

  it('refuses a welcome template with an unknown variable', () => {
    const dir = configDir({ 'override.yaml': 'welcome:\n  message:\n    en: "Hi {{user}}"\n' });
    const problems = problemsOf(() => loadConfig({ dir, overrideFile: path.join(dir, 'override.yaml') }));
    expect(problems).toEqual([expect.stringMatching(/welcome\.message\.en: unknown template variable \{\{user\}\}/)]);
  });

  it('refuses a community file without a community id and the same community twice', () => {
    const dir = configDir({
      'communities/a.yaml': 'locale: id\n',
      'communities/b.yaml': 'community: T1\n',
      'communities/c.yaml': 'community: T1\n',
    });
    const problems = problemsOf(() => loadConfig({ dir }));
    expect(problems).toEqual([expect.stringMatching(/a\.yaml: community: the id of the community this file configures .*, got nothing/), expect.stringMatching(/c\.yaml: community T1 is configured twice/)]);
  });
});

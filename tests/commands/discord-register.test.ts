import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMAND_DEFINITIONS } from '../../src/commands/index.js';
import { discordCommands } from '../../src/commands/discord.js';
import { normalizedCommand, syncDiscordCommands } from '../../src/commands/discord-sync.js';
import { FakeDiscordCommands } from './fake-discord-commands.js';

const applicationId = '111111111111111111';
const token = 'test-token';
const everyName = COMMAND_DEFINITIONS.map((d) => d.name);

describe('syncDiscordCommands against a fake Discord', () => {
  let fake: FakeDiscordCommands;
  let rest: REST;
  let api: string;

  beforeEach(async () => {
    fake = new FakeDiscordCommands({ applicationId, token });
    api = await fake.start();
    rest = new REST({ api, retries: 0 }).setToken(token);
  });
  afterEach(async () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await fake.close();
  });

  it('creates every command on an empty application, then changes nothing on a second run', async () => {
    const first = await syncDiscordCommands(rest, { applicationId });
    expect(first).toEqual({ created: everyName, updated: [], deleted: [], unchanged: [] });
    expect(fake.writes().map((c) => `${c.method} ${c.path}`)).toEqual(everyName.map(() => `POST /api/v10/applications/${applicationId}/commands`));
    expect(fake.list().map((c) => c.name)).toEqual(everyName);

    fake.calls.length = 0;
    const second = await syncDiscordCommands(rest, { applicationId });
    expect(second).toEqual({ created: [], updated: [], deleted: [], unchanged: everyName });
    expect(fake.writes()).toEqual([]);
    expect(fake.calls.map((c) => c.method)).toEqual(['GET']);
  });

  it('patches a changed command, deletes one no longer defined and posts a missing one, touching nothing else', async () => {
    await syncDiscordCommands(rest, { applicationId });
    const stored = fake.list();
    const warn = stored.find((c) => c.name === 'warn')!;
    const rank = stored.find((c) => c.name === 'rank')!;
    fake.commands.set('global', [
      ...stored.filter((c) => c.name !== 'rank').map((c) => (c.name === 'warn' ? { ...c, description: 'an old description' } : c)),
      { ...warn, id: '999', name: 'oldcommand', description: 'gone from the definitions' },
    ]);
    fake.calls.length = 0;

    const result = await syncDiscordCommands(rest, { applicationId });
    expect(result.created).toEqual(['rank']);
    expect(result.updated).toEqual(['warn']);
    expect(result.deleted).toEqual(['oldcommand']);
    expect(result.unchanged).toHaveLength(everyName.length - 2);
    expect(fake.writes().map((c) => `${c.method} ${c.path}`)).toEqual([
      `PATCH /api/v10/applications/${applicationId}/commands/${warn.id}`,
      `POST /api/v10/applications/${applicationId}/commands`,
      `DELETE /api/v10/applications/${applicationId}/commands/999`,
    ]);
    expect(fake.list().find((c) => c.name === 'warn')!.description).toBe(warn.description);
    expect(rank.id).not.toBe(fake.list().find((c) => c.name === 'rank')!.id);
  });

  it('sees a changed Indonesian description or option as a change (localizations are compared too)', async () => {
    await syncDiscordCommands(rest, { applicationId });
    const poll = fake.list().find((c) => c.name === 'poll')!;
    fake.commands.set(
      'global',
      fake.list().map((c) => (c.name === 'poll' ? { ...c, description_localizations: { id: 'lama' } } : c.name === 'case' ? { ...c, options: [] } : c)),
    );
    const result = await syncDiscordCommands(rest, { applicationId });
    expect(result.updated.sort()).toEqual(['case', 'poll']);
    expect(fake.list().find((c) => c.name === 'poll')!.description_localizations).toEqual(poll.description_localizations);
  });

  it('registers a guild\'s own commands (without contexts) under --guild, apart from the global ones', async () => {
    const result = await syncDiscordCommands(rest, { applicationId, guildId: '222' });
    expect(result.created).toEqual(everyName);
    expect(fake.list('global')).toEqual([]);
    expect(fake.list('222').map((c) => c.name)).toEqual(everyName);
    const body = fake.writes()[0]!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('contexts');
    expect(body).not.toHaveProperty('integration_types');
    expect(await syncDiscordCommands(rest, { applicationId, guildId: '222' })).toMatchObject({ created: [], updated: [], deleted: [], unchanged: everyName });
  });

  it('changes nothing in a dry run, and reports what it would do', async () => {
    const result = await syncDiscordCommands(rest, { applicationId, dryRun: true });
    expect(result.created).toEqual(everyName);
    expect(fake.writes()).toEqual([]);
    expect(fake.list()).toEqual([]);
  });

  it('leaves context-menu commands alone', async () => {
    await syncDiscordCommands(rest, { applicationId });
    const userMenu = { ...fake.list()[0]!, id: '777', type: 2, name: 'Report member', description: '' };
    fake.commands.set('global', [...fake.list(), userMenu as never]);
    const result = await syncDiscordCommands(rest, { applicationId });
    expect(result.deleted).toEqual([]);
    expect(fake.list().some((c) => c.id === '777')).toBe(true);
  });

  it('fails with Discord\'s answer on a wrong token, having changed nothing', async () => {
    const wrong = new REST({ api, retries: 0 }).setToken('wrong');
    try {
      await expect(syncDiscordCommands(wrong, { applicationId })).rejects.toMatchObject({ status: 401 });
    } finally {
      wrong.clearHashSweeper();
      wrong.clearHandlerSweeper();
    }
    expect(fake.list()).toEqual([]);
  });
});

describe('normalizedCommand', () => {
  it('treats what Discord fills in (ids, versions, required: false, empty localizations, nsfw: false) as equal to the definitions', () => {
    const [warn] = discordCommands();
    const asDiscordReturnsIt = {
      ...warn,
      id: '1',
      application_id: '2',
      version: '3',
      nsfw: false,
      dm_permission: true,
      name_localizations: null,
      options: warn!.options!.map((o) => ({ ...o, name_localizations: null, ...(o.required ? {} : { required: undefined }) })),
    };
    expect(normalizedCommand(asDiscordReturnsIt, 'global')).toBe(normalizedCommand(warn, 'global'));
    expect(normalizedCommand({ ...asDiscordReturnsIt, description: 'x' }, 'global')).not.toBe(normalizedCommand(warn, 'global'));
  });
});

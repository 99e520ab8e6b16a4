import { ApplicationCommandOptionType, InteractionContextType, Locale, PermissionFlagsBits, type APIApplicationCommandOption } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { COMMAND_DEFINITIONS } from '../../src/commands/index.js';
import { discordCommands } from '../../src/commands/discord.js';

const commands = discordCommands();
const byName = (name: string) => commands.find((c) => c.name === name)!;
const sub = (command: string, name: string) => byName(command).options!.find((o) => o.name === name) as APIApplicationCommandOption & { options: APIApplicationCommandOption[] };

/** Every name, description and option list in a command, for Discord's rules. */
function* nodes(node: { name: string; description: string; options?: APIApplicationCommandOption[] }): Generator<{ name: string; description: string; options?: APIApplicationCommandOption[] }> {
  yield node;
  for (const option of node.options ?? []) yield* nodes(option);
}

describe('the Discord application commands', () => {
  it('are one per definition, at most 100 (Discord\'s limit of global chat-input commands), with unique names', () => {
    expect(commands.map((c) => c.name)).toEqual(COMMAND_DEFINITIONS.map((d) => d.name));
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
    expect(commands.length).toBeLessThanOrEqual(100);
  });

  it('keep Discord\'s rules: lower-case names of 1-32, descriptions of 1-100, at most 25 options, required before optional, 25 choices', () => {
    for (const command of commands) {
      let characters = 0;
      for (const node of nodes(command)) {
        expect(node.name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
        expect(node.name).toBe(node.name.toLowerCase());
        expect(node.description.length).toBeGreaterThanOrEqual(1);
        expect(node.description.length).toBeLessThanOrEqual(100);
        characters += node.name.length + node.description.length;
        const options = node.options ?? [];
        expect(options.length).toBeLessThanOrEqual(25);
        const requiredFlags = options.filter((o) => o.type !== ApplicationCommandOptionType.Subcommand).map((o) => 'required' in o && o.required === true);
        expect(requiredFlags).toEqual([...requiredFlags].sort((a, b) => Number(b) - Number(a)));
        for (const option of options) {
          const choices = 'choices' in option ? (option.choices ?? []) : [];
          expect(choices.length).toBeLessThanOrEqual(25);
          for (const choice of choices) {
            expect(choice.name.length).toBeGreaterThanOrEqual(1);
            expect(choice.name.length).toBeLessThanOrEqual(100);
            characters += choice.name.length + String(choice.value).length;
          }
        }
      }
      // Discord refuses a command whose names, descriptions and choice values add up to more than 4000 characters.
      expect(characters).toBeLessThanOrEqual(4000);
    }
  });

  it('carry Indonesian descriptions under Discord\'s locale id, and localized choice names', () => {
    expect(Locale.Indonesian).toBe('id');
    for (const command of commands) for (const node of nodes(command)) expect((node as { description_localizations?: Record<string, string> }).description_localizations?.id).toBeTruthy();
    const period = byName('leaderboard').options![0]!;
    expect('choices' in period && period.choices).toEqual([
      { name: 'This week', name_localizations: { id: 'Minggu ini' }, value: 'week' },
      { name: 'This month', name_localizations: { id: 'Bulan ini' }, value: 'month' },
      { name: 'All time', name_localizations: { id: 'Sepanjang waktu' }, value: 'all' },
    ]);
  });

  it('give members as USER options, channels as CHANNEL options, numbers as INTEGER with the schema\'s bounds', () => {
    expect(byName('warn').options).toMatchObject([
      { name: 'member', type: ApplicationCommandOptionType.User, required: true },
      { name: 'reason', type: ApplicationCommandOptionType.String, required: false, max_length: 1000 },
    ]);
    expect(byName('summarize').options![0]).toMatchObject({ name: 'channel', type: ApplicationCommandOptionType.Channel });
    expect(byName('purge').options![0]).toMatchObject({ name: 'count', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 1000 });
  });

  it('turn subcommands into Discord subcommands, the plain form of /poll and /feedback first', () => {
    expect(byName('poll').options!.map((o) => [o.type, o.name])).toEqual([
      [ApplicationCommandOptionType.Subcommand, 'create'],
      [ApplicationCommandOptionType.Subcommand, 'close'],
      [ApplicationCommandOptionType.Subcommand, 'results'],
    ]);
    expect(sub('poll', 'create').options.map((o) => o.name)).toEqual(['question', 'choices', 'multi', 'anonymous', 'duration', 'closes', 'results']);
    expect(sub('poll', 'close').options).toMatchObject([{ name: 'poll', type: ApplicationCommandOptionType.Integer, required: true }]);
    expect(byName('feedback').options!.map((o) => o.name)).toEqual(['send', 'status', 'top', 'show']);
    expect(byName('automod').options!.map((o) => o.name)).toEqual(['test']);
  });

  it('are for servers only, and hidden by default from members without the fitting permission', () => {
    for (const command of commands) expect(command.contexts).toEqual([InteractionContextType.Guild]);
    expect(byName('kick').default_member_permissions).toBe(String(PermissionFlagsBits.KickMembers));
    expect(byName('ban').default_member_permissions).toBe(String(PermissionFlagsBits.BanMembers));
    expect(byName('purge').default_member_permissions).toBe(String(PermissionFlagsBits.ManageMessages));
    expect(byName('warn').default_member_permissions).toBe(String(PermissionFlagsBits.ModerateMembers));
    expect(byName('digest').default_member_permissions).toBe(String(PermissionFlagsBits.ManageGuild));
    expect(byName('rank').default_member_permissions).toBeNull();
  });
});

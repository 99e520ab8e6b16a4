import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMMAND_DEFINITIONS, CommandDefinitionSchema, validateOption } from '../../src/commands/index.js';

const allOptions = COMMAND_DEFINITIONS.flatMap((d) => [...d.options, ...d.subcommands.flatMap((s) => s.options)]);

describe('the command definitions', () => {
  it('accept, by each option\'s own schema, every choice that option offers', () => {
    for (const option of allOptions) for (const choice of option.choices ?? []) expect(validateOption(option, choice.value)).toEqual({ value: choice.value });
  });

  it('validate typed values by kind: integers (with #), yes/no for booleans, members, durations', () => {
    const find = (command: string, name: string) => COMMAND_DEFINITIONS.find((d) => d.name === command)!.options.find((o) => o.name === name)!;
    expect(validateOption(find('case', 'number'), '#12')).toEqual({ value: 12 });
    expect(validateOption(find('case', 'number'), '0')).toHaveProperty('error');
    expect(validateOption(find('purge', 'count'), '1001')).toHaveProperty('error');
    expect(validateOption(find('poll', 'multi'), 'ya')).toEqual({ value: true });
    expect(validateOption(find('poll', 'multi'), 'maybe')).toHaveProperty('error');
    expect(validateOption(find('timeout', 'duration'), '90m')).toEqual({ value: '90m' });
    expect(validateOption(find('digest', 'date'), 'yesterday')).toEqual({ error: 'option date: a day as YYYY-MM-DD (got "yesterday")' });
  });

  it('refuse a definition with a required option after an optional one, or options beside subcommands without a plain subcommand', () => {
    const option = (name: string, required: boolean) => ({ name, kind: 'string' as const, required, description: { en: 'x', id: 'x' }, schema: z.string() });
    const base = { name: 'x', description: { en: 'x', id: 'x' }, access: 'everyone' as const };
    expect(CommandDefinitionSchema.safeParse({ ...base, options: [option('a', true), option('b', false)] }).success).toBe(true);
    expect(CommandDefinitionSchema.safeParse({ ...base, options: [option('a', false), option('b', true)] }).success).toBe(false);
    expect(CommandDefinitionSchema.safeParse({ ...base, options: [option('a', true), option('a', false)] }).success).toBe(false);
    const withSub = { ...base, options: [option('a', true)], subcommands: [{ name: 'close', description: { en: 'x', id: 'x' } }] };
    expect(CommandDefinitionSchema.safeParse(withSub).success).toBe(false);
    expect(CommandDefinitionSchema.safeParse({ ...withSub, plainSubcommand: { name: 'create', description: { en: 'x', id: 'x' } } }).success).toBe(true);
    expect(CommandDefinitionSchema.safeParse({ ...base, name: 'Poll' }).success).toBe(false);
    expect(CommandDefinitionSchema.safeParse({ ...base, description: { en: 'x'.repeat(101), id: 'x' } }).success).toBe(false);
  });
});

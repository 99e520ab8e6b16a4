import type { CommandDefinition, OptionDefinition } from './definitions.js';

/** `<member>`, `[reason]`; an option typed only by name as `choices:<choices>`, `[multi:yes|no]`. */
const optionHint = (option: OptionDefinition) => {
  const values = option.choices ? option.choices.map((c) => c.value).join('|') : option.kind === 'boolean' ? 'yes|no' : undefined;
  const shown = option.named ? `${option.name}:${values ?? `<${option.name}>`}` : (values ?? option.name);
  if (option.required) return option.named ? shown : `<${shown}>`;
  return `[${shown}]`;
};

/** How a command is typed after its name: `<member> [reason]`, or its forms: `<question> choices:<choices> … | close <poll> | results <poll>`. */
export function usageHint(definition: CommandDefinition): string | undefined {
  const forms = [
    ...(definition.options.length || !definition.subcommands.length ? [definition.options.map(optionHint).join(' ')] : []),
    ...definition.subcommands.map((s) => [s.name, ...s.options.map(optionHint)].join(' ')),
  ].filter(Boolean);
  return forms.join(' | ') || undefined;
}


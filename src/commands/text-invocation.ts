import type { CommandDefinition, OptionDefinition, OptionValue, SubcommandDefinition } from './definitions.js';
import { COMMAND_DEFINITIONS } from './definitions.js';

/** What the engine receives in a `command.invoked`: the command's words and its options. */
export interface Invocation {
  command: string;
  options: Record<string, OptionValue>;
}

/** Splits on spaces, keeping "quoted strings" (straight or curly quotes, as Slack's clients type them) and key:"quoted values" together. */
export function tokenize(input: string): string[] {
  const normalized = input.replace(/[\u201c\u201d\u201e\u201f]/g, '"');
  const tokens: string[] = [];
  for (const match of normalized.matchAll(/(?:[^\s"]+|"[^"]*")+/g)) tokens.push(match[0].replace(/"([^"]*)"/g, '$1'));
  return tokens;
}

/** A `key:value` token: the key, and the value after the first colon. */
export function keyValue(token: string): { key: string; value: string } | undefined {
  const match = /^([a-z][a-z0-9_-]*):(.+)$/s.exec(token);
  return match?.[1] && match[2] !== undefined ? { key: match[1], value: match[2] } : undefined;
}

const YES = ['true', 'yes', 'y', 'ya', '1', 'on'];
const NO = ['false', 'no', 'n', 'tidak', '0', 'off'];

/** A typed value as its option's kind: numbers (a leading # allowed: `case:#12`) and yes/no for booleans. */
function coerce(definition: OptionDefinition, raw: string): OptionValue {
  if (definition.kind === 'integer' || definition.kind === 'number') {
    const number = Number(raw.trim().replace(/^#/, ''));
    return raw.trim() !== '' && Number.isFinite(number) ? number : raw;
  }
  if (definition.kind === 'boolean') {
    const word = raw.trim().toLowerCase();
    if (YES.includes(word)) return true;
    if (NO.includes(word)) return false;
  }
  return raw;
}

/** Validates one named value with its option's schema: the value, or why it is refused. */
export function validateOption(definition: OptionDefinition, raw: OptionValue): { value: OptionValue } | { error: string } {
  const value = typeof raw === 'string' ? coerce(definition, raw) : raw;
  const result = definition.schema.safeParse(value);
  if (result.success) return { value: result.data };
  return { error: `option ${definition.name}: ${result.error.issues.map((issue) => issue.message).join('; ')} (got ${JSON.stringify(raw)})` };
}

export function findDefinition(name: string): CommandDefinition | undefined {
  return COMMAND_DEFINITIONS.find((definition) => definition.name === name);
}

/** The options a command or one of its subcommands takes (a command's plain subcommand takes the command's own). */
function optionsOf(definition: CommandDefinition, subcommand: string | undefined): readonly OptionDefinition[] {
  if (subcommand === undefined || subcommand === definition.plainSubcommand?.name) return definition.options;
  return definition.subcommands.find((s) => s.name === subcommand)?.options ?? [];
}

/**
 * The invocation as the engine's handlers expect it, from one that follows the definitions'
 * structure (what a Discord interaction gives: command, subcommand, options by name):
 * a command's plain subcommand (`poll create`) becomes the command itself (`poll`), and a
 * subcommand the engine takes only as free text (`feedback show` with ref FB-3) becomes
 * the parent with that text (`feedback`, text "show FB-3"). Anything else passes unchanged.
 */
export function engineInvocation(command: string, options: Record<string, OptionValue>): Invocation {
  const [name = '', subcommand, ...more] = command.split(' ');
  const definition = findDefinition(name);
  if (!definition || subcommand === undefined || more.length) return { command, options };
  if (subcommand === definition.plainSubcommand?.name) return { command: name, options };
  const sub: SubcommandDefinition | undefined = definition.subcommands.find((s) => s.name === subcommand);
  if (!sub?.viaParentText) return { command, options };
  const words = [subcommand, ...sub.options.map((o) => options[o.name]).filter((v) => v !== undefined && v !== '').map(String)];
  if (typeof options.text === 'string' && options.text.trim()) words.push(options.text.trim());
  return { command: name, options: { text: words.join(' ') } };
}

/**
 * A command typed as text after its name (`close 3`, `@ayu spamming reason:"two words"`):
 * a leading subcommand word, `key:value` options for the options the command defines
 * (validated by their schemas), and every other word kept, in order, as `text`, which the
 * engine splits by position (src/engine/command-args.ts). Unknown keys stay in the text, so
 * a link such as https://… is not taken for an option.
 */
export function invocationFromText(definition: CommandDefinition, input: string): Invocation | { error: string } {
  const tokens = tokenize(input);
  let subcommand: string | undefined;
  const first = tokens[0]?.toLowerCase();
  if (first && (definition.subcommands.some((s) => s.name === first) || first === definition.plainSubcommand?.name)) {
    subcommand = first;
    tokens.shift();
  }
  const known = optionsOf(definition, subcommand);
  const options: Record<string, OptionValue> = {};
  const words: string[] = [];
  for (const token of tokens) {
    const pair = keyValue(token);
    const target = pair && known.find((o) => o.name === pair.key);
    if (!pair || !target) {
      words.push(token);
      continue;
    }
    const checked = validateOption(target, pair.value);
    if ('error' in checked) return { error: `/${[definition.name, subcommand].filter(Boolean).join(' ')}: ${checked.error}` };
    options[target.name] = checked.value;
  }
  const rest = words.join(' ');
  if (rest) options.text = typeof options.text === 'string' ? `${rest} ${options.text}` : rest;
  return engineInvocation(subcommand ? `${definition.name} ${subcommand}` : definition.name, options);
}

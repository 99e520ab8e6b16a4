import { keyValue, tokenize } from '../../commands/index.js';

/** A line typed in the shell: a plain message, or a /command with options. */
export type ShellLine =
  | { kind: 'empty' }
  | { kind: 'message'; text: string }
  | { kind: 'command'; name: string; args: string[]; options: Record<string, string | number | boolean>; rest: string };

function coerce(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/**
 * `/name word word key:value key:"two words"`: key:value pairs become options; the other
 * words are kept as `args` (the shell's own commands use them), and `rest` is the text after
 * the name as typed, which the bot's commands parse by their definitions (src/commands).
 */
export function parseShellLine(line: string): ShellLine {
  const trimmed = line.trim();
  if (!trimmed) return { kind: 'empty' };
  if (!trimmed.startsWith('/') || trimmed.startsWith('//')) return { kind: 'message', text: trimmed.replace(/^\/\//, '/') };
  const [head = '', ...tokens] = tokenize(trimmed.slice(1));
  const rest = /^\S+\s*([\s\S]*)$/.exec(trimmed.slice(1))?.[1] ?? '';
  const args: string[] = [];
  const options: Record<string, string | number | boolean> = {};
  for (const token of tokens) {
    const pair = keyValue(token);
    if (pair) options[pair.key] = coerce(pair.value);
    else args.push(token);
  }
  return { kind: 'command', name: head.toLowerCase(), args, options, rest };
}

/** The id the shell gives a member: their name in lower case, spaces as dashes. */
export function shellMemberId(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '-');
}

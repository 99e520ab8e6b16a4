/** A line typed in the shell: a plain message, or a /command with options. */
export type ShellLine =
  | { kind: 'empty' }
  | { kind: 'message'; text: string }
  | { kind: 'command'; name: string; args: string[]; options: Record<string, string | number | boolean> };

/** Splits on spaces, keeping "quoted strings" (and key:"quoted values") together. */
function tokenize(input: string): string[] {
  const tokens: string[] = [];
  const pattern = /(?:[^\s"]+|"[^"]*")+/g;
  for (const match of input.matchAll(pattern)) tokens.push(match[0].replace(/"([^"]*)"/g, '$1'));
  return tokens;
}

function coerce(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/**
 * `/name word word key:value key:"two words"`: key:value pairs become options; the other
 * words are kept as `args` (the shell's own commands use them; others receive them as `text`).
 */
export function parseShellLine(line: string): ShellLine {
  const trimmed = line.trim();
  if (!trimmed) return { kind: 'empty' };
  if (!trimmed.startsWith('/') || trimmed.startsWith('//')) return { kind: 'message', text: trimmed.replace(/^\/\//, '/') };
  const [head = '', ...rest] = tokenize(trimmed.slice(1));
  const args: string[] = [];
  const options: Record<string, string | number | boolean> = {};
  for (const token of rest) {
    const match = /^([a-z][a-z0-9_-]*):(.*)$/s.exec(token);
    if (match && match[1] && match[2] !== undefined) options[match[1]] = coerce(match[2]);
    else args.push(token);
  }
  return { kind: 'command', name: head.toLowerCase(), args, options };
}

/** The id the shell gives a member: their name in lower case, spaces as dashes. */
export function shellMemberId(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '-');
}

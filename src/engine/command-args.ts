import type { EventOfType } from '../contracts/index.js';

/**
 * A command's arguments by name: named options first (Discord and Slack send those), then the
 * free `text` (the shell, Slack's plain slash-command text) split into the remaining names in
 * order, the last name taking the rest of the text. `/warn ayu spamming links` gives
 * { member: 'ayu', reason: 'spamming links' }.
 */
export function commandArgs<N extends string>(event: EventOfType<'command.invoked'>, names: readonly (N & Exclude<N, 'text'>)[]): Partial<Record<N, string>> {
  const args: Partial<Record<N, string>> = {};
  for (const name of names) {
    const value = event.options[name];
    if (value !== undefined && value !== '') args[name] = String(value);
  }
  let rest = typeof event.options.text === 'string' ? event.options.text.trim() : '';
  const missing = names.filter((name) => args[name] === undefined);
  missing.forEach((name, i) => {
    if (!rest) return;
    if (i === missing.length - 1) {
      args[name] = rest;
      rest = '';
      return;
    }
    const match = /^(\S+)\s*([\s\S]*)$/.exec(rest);
    args[name] = match?.[1];
    rest = match?.[2] ?? '';
  });
  return args;
}

/** A member reference as typed: an id, `<@id>`, `<@!id>` or `@name`. */
export function memberReference(raw: string): string {
  return raw.trim().replace(/^<@!?/, '').replace(/>$/, '').replace(/^@/, '');
}

/** Numbers of stored things (cases, polls) are PostgreSQL integers. */
const LARGEST_STORED_NUMBER = 2_147_483_647;

/**
 * The number of a case or poll as typed (`12`, `#12`): 'none' when it is not a positive whole
 * number; else `typed`, its digits, and `number`, null when it is too large to name anything
 * stored (a database lookup would fail).
 */
export function referencedNumber(raw: string | undefined): 'none' | { number: number | null; typed: string } {
  const typed = raw?.trim().replace(/^#/, '') ?? '';
  const number = Number(typed);
  if (!Number.isInteger(number) || number < 1) return 'none';
  return { number: number <= LARGEST_STORED_NUMBER ? number : null, typed };
}

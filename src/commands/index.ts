import { COMMAND_DEFINITIONS, type CommandDefinition } from './definitions.js';
import { invocationFromText } from './text-invocation.js';

export * from './definitions.js';
export { engineInvocation, findDefinition, invocationFromText, tokenize, validateOption, type Invocation } from './text-invocation.js';

/** The Slack slash name of a command: its own name, or its alias where Slack has a built-in command of that name. */
export function slackSlashName(definition: CommandDefinition): string {
  return definition.slackName ?? definition.name;
}

/**
 * A Slack slash command (`/poll`, `poll`, or an alias such as `/guyub-feedback`) and its text
 * → the engine's command and options: `/poll close 3` → { command: 'poll close', options: { text: '3' } }.
 * A `key:value` word sets a named option (validated); an unknown slash name or a bad value gives { error }.
 */
export function commandFromSlackText(slashName: string, text: string): { command: string; options: Record<string, string | number | boolean> } | { error: string } {
  const name = slashName.trim().replace(/^\//, '').toLowerCase();
  const definition = COMMAND_DEFINITIONS.find((d) => slackSlashName(d) === name) ?? COMMAND_DEFINITIONS.find((d) => d.name === name);
  if (!definition) return { error: `/${name} is not a guyub command` };
  return invocationFromText(definition, text);
}

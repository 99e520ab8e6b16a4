import { COMMAND_DEFINITIONS, type CommandDefinition } from './definitions.js';
import { invocationFromText } from './text-invocation.js';

export * from './definitions.js';
export { usageHint } from './usage.js';
export { engineInvocation, findDefinition, invocationFromText, keyValue, tokenize, validateOption, type Invocation } from './text-invocation.js';

/** The Slack slash name of a command: its own name, or its alias where Slack has a built-in command of that name. */
export function slackSlashName(definition: CommandDefinition): string {
  return definition.slackName ?? definition.name;
}

/**
 * A Slack slash command (`/poll`, `poll`, or an alias such as `/guyub-feedback`) and its text
 * → the engine's command and options: `/poll close 3` → { command: 'poll close', options: { text: '3' } }.
 * A `key:value` word sets a named option (validated); an unknown slash name or a bad value gives { error }.
 * Mentions written by Slack as `<@U123|ayu>` become `<@U123>`.
 */
export function commandFromSlackText(slashName: string, text: string): { command: string; options: Record<string, string | number | boolean> } | { error: string } {
  const name = slashName.trim().replace(/^\//, '').toLowerCase();
  const definition = COMMAND_DEFINITIONS.find((d) => slackSlashName(d) === name) ?? COMMAND_DEFINITIONS.find((d) => d.name === name);
  if (!definition) return { error: `/${name} is not a guyub command` };
  // Escaped slash commands carry `<@U123|ayu>` and `<#C123|general>`; the engine reads `<@U123>` and `<#C123>`.
  const plain = text.replace(/<([@#][A-Z0-9]+)\|[^>]*>/g, '<$1>');
  return invocationFromText(definition, plain);
}

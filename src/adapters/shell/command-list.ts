import { COMMAND_DEFINITIONS, usageHint, type Access, type CommandDefinition, type LocalizedText } from '../../commands/index.js';
import type { Locale } from '../../config/index.js';

// The listing's own words, beside the definitions' descriptions they introduce.
const TITLE: LocalizedText = {
  en: 'The bot\'s commands (options in this order, or as key:value):',
  id: 'Perintah bot (opsi berurutan seperti ini, atau sebagai key:value):',
};
const FOR: Record<Exclude<Access, 'everyone'>, LocalizedText> = {
  moderator: { en: 'moderators', id: 'moderator' },
  manager: { en: 'managers', id: 'pengelola' },
};

function entry(definition: CommandDefinition, locale: Locale): string {
  const usage = usageHint(definition);
  const who = definition.access === 'everyone' ? '' : ` (${FOR[definition.access][locale]})`;
  const lines = [`/${definition.name}${usage ? ` ${usage}` : ''}`, `    ${definition.description[locale]}${who}`];
  for (const sub of definition.subcommands) lines.push(`    /${definition.name} ${sub.name}: ${sub.description[locale]}`);
  return lines.join('\n');
}

/** `/commands` in the shell: every command the bot answers, how to type it, and what it does, in the shell's locale. */
export function commandListing(locale: Locale, definitions: readonly CommandDefinition[] = COMMAND_DEFINITIONS): string {
  return [TITLE[locale], ...definitions.map((d) => entry(d, locale))].join('\n');
}

import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  Locale,
  PermissionFlagsBits,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { z } from 'zod';
import { COMMAND_DEFINITIONS, type CommandDefinition, type LocalizedText, type OptionDefinition } from './definitions.js';

/**
 * Who sees a command by default on Discord (server admins can change it under Integrations);
 * the engine still checks the community's roles whatever Discord lets through.
 */
const MODERATOR_PERMISSIONS: Record<string, bigint> = {
  kick: PermissionFlagsBits.KickMembers,
  ban: PermissionFlagsBits.BanMembers,
  unban: PermissionFlagsBits.BanMembers,
  purge: PermissionFlagsBits.ManageMessages,
};

function defaultPermissions(definition: CommandDefinition): string | null {
  if (definition.access === 'moderator') return String(MODERATOR_PERMISSIONS[definition.name] ?? PermissionFlagsBits.ModerateMembers);
  if (definition.access === 'manager') return String(PermissionFlagsBits.ManageGuild);
  return null;
}

/** Discord's Indonesian locale is `id`, the bot's own locale code for Indonesian. */
const descriptionLocalizations = (text: LocalizedText) => ({ [Locale.Indonesian]: text.id });

/** The bounds a value schema sets (z.number().min/max, z.string().min/max), as Discord's option limits. */
function bounds(schema: z.ZodType): { min?: number; max?: number } {
  if (schema instanceof z.ZodNumber) return { min: schema.minValue ?? undefined, max: schema.maxValue ?? undefined };
  if (schema instanceof z.ZodString) return { min: schema.minLength ?? undefined, max: schema.maxLength ?? undefined };
  return {};
}

function discordOption(option: OptionDefinition): APIApplicationCommandBasicOption {
  const base = {
    name: option.name,
    description: option.description.en,
    description_localizations: descriptionLocalizations(option.description),
    required: option.required,
  };
  const { min, max } = bounds(option.schema);
  switch (option.kind) {
    case 'member':
      return { ...base, type: ApplicationCommandOptionType.User };
    case 'channel':
      return { ...base, type: ApplicationCommandOptionType.Channel, channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] };
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'integer':
      return { ...base, type: ApplicationCommandOptionType.Integer, ...(min !== undefined && { min_value: min }), ...(max !== undefined && { max_value: max }) };
    case 'number':
      return { ...base, type: ApplicationCommandOptionType.Number, ...(min !== undefined && { min_value: min }), ...(max !== undefined && { max_value: max }) };
    case 'string':
      if (option.choices) {
        const choices = option.choices.map((c) => ({ name: c.label.en, name_localizations: { [Locale.Indonesian]: c.label.id }, value: c.value }));
        return { ...base, type: ApplicationCommandOptionType.String, choices };
      }
      // Discord's max_length is at most 6000, and a typed value of at least one character.
      return { ...base, type: ApplicationCommandOptionType.String, ...(min !== undefined && min > 1 && { min_length: min }), ...(max !== undefined && { max_length: Math.min(max, 6000) }) };
  }
}

function subcommand(name: string, description: LocalizedText, options: readonly OptionDefinition[]): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    description: description.en,
    description_localizations: descriptionLocalizations(description),
    options: options.map(discordOption),
  };
}

/**
 * One definition as a Discord chat-input command. A command with subcommands has only
 * subcommands on Discord (it cannot also take options), its plain form first
 * (`/poll create`); the Discord adapter's "command subcommand" names go through
 * engineInvocation, which maps them back to what the engine takes.
 */
export function discordCommand(definition: CommandDefinition): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const options = definition.subcommands.length
    ? [
        ...(definition.plainSubcommand ? [subcommand(definition.plainSubcommand.name, definition.plainSubcommand.description, definition.options)] : []),
        ...definition.subcommands.map((s) => subcommand(s.name, s.description, s.options)),
      ]
    : definition.options.map(discordOption);
  return {
    type: ApplicationCommandType.ChatInput,
    name: definition.name,
    description: definition.description.en,
    description_localizations: descriptionLocalizations(definition.description),
    options,
    default_member_permissions: defaultPermissions(definition),
    // Server commands only: members, channels and roles mean nothing in DMs.
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

/** Every definition as a Discord application command, in the definitions' order. */
export function discordCommands(definitions: readonly CommandDefinition[] = COMMAND_DEFINITIONS): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return definitions.map(discordCommand);
}

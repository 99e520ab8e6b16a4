/** Discord ids are snowflakes: 17 to 20 digits. Anything else in a channel or role slot is a name. */
export const isSnowflake = (value: string): boolean => /^\d{17,20}$/.test(value);

/** Discord's documented limits for what the adapter sends. */
export const LIMITS = {
  content: 2000,
  description: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  embedTotal: 6000,
  buttonsPerRow: 5,
  rows: 5,
  threadName: 100,
} as const;

/** Cuts text to `max` characters, ending with an ellipsis when something was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Names of channels and roles the text refers to, resolved to ids by the caller. */
export interface MentionTargets {
  channelId(name: string): string | undefined;
  roleId(name: string): string | undefined;
}

export interface ConvertedText {
  text: string;
  /** Roles the engine mentioned on purpose: the only roles the message may ping. */
  roleIds: string[];
}

/**
 * The neutral text's mentions in Discord's syntax: `<@id>` stays, `<#name>` becomes `<#id>`,
 * `<@&role-name>` becomes `<@&roleId>`. A name that does not resolve is written as plain
 * `#name` / `@name`, which pings nobody and still reads well.
 */
export function convertMentions(text: string, targets: MentionTargets): ConvertedText {
  const roleIds = new Set<string>();
  const converted = text
    .replace(/<@&([^>\s]+)>/g, (_, role: string) => {
      const id = isSnowflake(role) ? role : targets.roleId(role);
      if (!id) return `@${role}`;
      roleIds.add(id);
      return `<@&${id}>`;
    })
    .replace(/<#([^>\s]+)>/g, (whole, channel: string) => {
      if (isSnowflake(channel)) return whole;
      const id = targets.channelId(channel.replace(/^#/, ''));
      return id ? `<#${id}>` : `#${channel}`;
    });
  return { text: converted, roleIds: [...roleIds] };
}

/** Channel and role names written in the text, so the caller fetches the guild's lists only when needed. */
export function referencedNames(text: string): { channels: boolean; roles: boolean } {
  return {
    channels: /<#(?!\d{17,20}>)[^>\s]+>/.test(text),
    roles: /<@&(?!\d{17,20}>)[^>\s]+>/.test(text),
  };
}

/** A thread title from a message's text: its first line without markdown or mentions. */
export function threadNameFrom(text: string, fallback: string): string {
  const firstLine =
    text
      .split('\n')
      .map((line) =>
        line
          .replace(/<[@#][!&]?[^>]+>/g, '')
          .replace(/[*_`~>#]/g, '')
          .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
          .trim(),
      )
      .find((line) => line.length > 0) ?? '';
  return truncate(firstLine || fallback, LIMITS.threadName);
}

/**
 * What the converter needs to know about the workspace: channel and user group ids by name.
 * Both answer synchronously from values looked up beforehand (see `referencedNames`).
 */
export interface MrkdwnNames {
  /** A channel's id from its name, when known. */
  channelId(name: string): string | undefined;
  /** The user group id that a role name maps to, when there is one. */
  roleGroupId(role: string): string | undefined;
}

const SLACK_ID = /^[CGDUWS][A-Z0-9]{2,}$/;

/** Whether a string is a Slack id (channel, user, user group), not a name. */
export function isSlackId(value: string): boolean {
  return SLACK_ID.test(value);
}

/** Escapes the three characters Slack gives meaning to, so user text stays text (no `<!channel>`). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The engine's markup that survives conversion, in one pass so that nothing produced by one
 * rule is read again by another: code spans, links, mentions of members, channels and roles,
 * and bold. Everything between matches is user text and is escaped.
 */
const TOKENS = /`([^`\n]+)`|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+|mailto:[^\s)]+)\)|<@&([^>\s]+)>|<@([A-Za-z0-9]+)>|<#([^>\s|]+)>|\*\*([^*\n]+?)\*\*/g;

/** The channel names and role names a text refers to, to look up before converting it. */
export function referencedNames(text: string): { channels: string[]; roles: string[] } {
  const channels = new Set<string>();
  const roles = new Set<string>();
  for (const match of text.matchAll(TOKENS)) {
    if (match[6] !== undefined && !isSlackId(match[6])) channels.add(match[6]);
    if (match[4] !== undefined) roles.add(match[4]);
  }
  return { channels: [...channels], roles: [...roles] };
}

/** Link text may not contain `|` or `>`; URLs must not contain `>` or `|` either. */
const linkPart = (value: string): string => escapeMrkdwn(value).replace(/\|/g, '∣');

/**
 * Converts the engine's markdown subset (DESIGN §3.2) to Slack mrkdwn: **bold** → *bold*,
 * _italics_ and `code` as they are, [text](url) → <url|text>, `<@id>` stays, `<#name>` →
 * `<#C…>` (or `#name` when the channel is unknown), `<@&role>` → `<!subteam^ID>` (or `@role`),
 * "- " list items → "• ". Everything else is escaped, so no text can ping @channel or @here.
 */
export function toMrkdwn(text: string, names: MrkdwnNames): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(TOKENS)) {
    out += escapeMrkdwn(text.slice(last, match.index));
    last = match.index + match[0].length;
    const [, code, linkText, url, role, member, channel, bold] = match;
    if (code !== undefined) out += `\`${escapeMrkdwn(code)}\``;
    else if (linkText !== undefined && url !== undefined) out += `<${linkPart(url)}|${linkPart(linkText)}>`;
    else if (role !== undefined) {
      const groupId = names.roleGroupId(role);
      out += groupId ? `<!subteam^${groupId}>` : `@${escapeMrkdwn(role)}`;
    } else if (member !== undefined) out += isSlackId(member) ? `<@${member}>` : `@${escapeMrkdwn(member)}`;
    else if (channel !== undefined) {
      const id = isSlackId(channel) ? channel : names.channelId(channel);
      out += id ? `<#${id}>` : `#${escapeMrkdwn(channel)}`;
    } else if (bold !== undefined) out += `*${escapeMrkdwn(bold)}*`;
  }
  out += escapeMrkdwn(text.slice(last));
  return out.replace(/^([ \t]*)[-*] /gm, '$1• ');
}

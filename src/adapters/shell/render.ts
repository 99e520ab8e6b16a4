import type { Action, NeutralMessage } from '../../contracts/index.js';

export interface Names {
  member(id: string): string | undefined;
  channel(id: string): string | undefined;
}

const BOT = 'guyub';

/** Turns `<@id>`, `<@&role>` and `<#id>` into readable `@Name`, `@role` and `#name`. */
function resolveMentions(text: string, names: Names): string {
  return text
    .replace(/<@&([^>]+)>/g, (_, role: string) => `@${role}`)
    .replace(/<@([^>]+)>/g, (_, id: string) => `@${names.member(id) ?? id}`)
    .replace(/<#([^>]+)>/g, (_, id: string) => `#${names.channel(id) ?? id}`);
}

function renderMessage(message: NeutralMessage, names: Names): string {
  const lines = [resolveMentions(message.text, names)];
  for (const field of message.fields ?? []) lines.push(`  ${field.name}: ${resolveMentions(field.value, names)}`);
  // Each button with its id, which `/press <id>` in the shell clicks.
  if (message.buttons?.length) lines.push(`  ${message.buttons.map((b) => `[${b.label} ‹${b.id}›]`).join(' ')}`);
  if (message.image) lines.push(`  (image: ${message.image.name}${typeof message.image.storedImageId === 'number' ? `, stored image ${message.image.storedImageId}` : ''})`);
  return lines.join('\n');
}

/** One action as a line (or a few) a person reads in a terminal. */
export function renderAction(action: Action, names: Names): string {
  const member = (id: string) => `@${names.member(id) ?? id}`;
  const channel = (id: string) => `#${names.channel(id) ?? id}`;
  switch (action.type) {
    case 'message.send': {
      const where = action.channel !== undefined ? channel(action.channel) : `DM to ${member(action.member!)}`;
      const thread = action.thread ? ` (thread ${action.thread})` : action.replyTo ? ` (reply to ${action.replyTo})` : '';
      return `[${where}${thread}] ${BOT}: ${renderMessage(action.message, names)}`;
    }
    case 'message.edit':
      return `[edited ${action.key ?? action.messageId}] ${BOT}: ${renderMessage(action.message, names)}`;
    case 'reply.ephemeral':
      return `[only ${member(action.member)} sees] ${BOT}: ${renderMessage(action.message, names)}`;
    case 'message.delete':
      return `[${BOT} deleted message ${action.messageId} in ${channel(action.channel)}: ${action.reason}]`;
    case 'member.timeout':
      return `[${BOT} timed out ${member(action.member)} for ${action.seconds}s: ${action.reason}]`;
    case 'member.kick':
      return `[${BOT} kicked ${member(action.member)}: ${action.reason}]`;
    case 'member.ban':
      return `[${BOT} banned ${member(action.member)}: ${action.reason}]`;
    case 'member.untimeout':
      return `[${BOT} lifted the timeout of ${member(action.member)}: ${action.reason}]`;
    case 'member.unban':
      return `[${BOT} unbanned ${member(action.member)}: ${action.reason}]`;
    case 'entry.restrict':
      return `[${BOT} ${action.mode === 'lock' ? 'locked' : 'slowed'} the entry to the community: ${action.reason}]`;
    case 'role.add':
      return `[${BOT} gave ${member(action.member)} the role ${action.role}: ${action.reason}]`;
    case 'role.remove':
      return `[${BOT} took the role ${action.role} from ${member(action.member)}: ${action.reason}]`;
  }
}

import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import { renderTemplate } from '../../i18n/index.js';
import type { EventContext } from '../capability.js';
import { neutralizeMentions } from '../format/neutralize-mentions.js';

/** The variables a welcome template may use (config WELCOME_TEMPLATE_VARIABLES). */
async function templateVariables(event: EventOfType<'member.joined'>, ctx: EventContext): Promise<Record<string, string>> {
  const { channels } = ctx.config;
  const link = async (name: string) => `<#${await ctx.channelId(name)}>`;
  return {
    member: `<@${event.member.id}>`,
    // A display name is user text: `<@&role>` or `@everyone` in it must not ping anyone.
    memberName: neutralizeMentions(event.member.name),
    community: ctx.config.name ?? ctx.community.name ?? ctx.community.externalId,
    rules: await link(channels.rules),
    introductions: await link(channels.introductions),
    general: await link(channels.general),
  };
}

/**
 * Greets a member who joins: a message in the welcome channel, optionally a DM and an
 * automatic role. A member who left and returns is welcomed back (if configured); a join
 * for someone already present (a second delivery under another id) is ignored.
 */
export async function welcomeMember(event: EventOfType<'member.joined'>, ctx: EventContext): Promise<ActionDraft[]> {
  const settings = ctx.config.welcome;
  if (!settings.enabled || event.member.bot) return [];
  const before = ctx.memberBefore;
  const alreadyPresent = before !== null && before.leftAt === null && before.joinedAt !== null;
  if (alreadyPresent) return [];
  const returning = before !== null && before.leftAt !== null;
  if (returning && !settings.welcomeBack) return [];

  const variables = await templateVariables(event, ctx);
  const { locale } = ctx.config;
  const actions: ActionDraft[] = [
    {
      type: 'message.send',
      channel: await ctx.channelId(settings.channel),
      message: { text: renderTemplate(returning ? settings.welcomeBackMessage : settings.message, locale, variables) },
    },
  ];
  if (settings.dm.enabled && !returning) {
    actions.push({ type: 'message.send', member: event.member.id, message: { text: renderTemplate(settings.dm.message, locale, variables) } });
  }
  if (settings.autoRole) {
    actions.push({ type: 'role.add', member: event.member.id, role: settings.autoRole, reason: ctx.t('welcome.autoRoleReason') });
  }
  return actions;
}

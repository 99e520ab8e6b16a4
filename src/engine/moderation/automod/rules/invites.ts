import type { InvitesRule } from '../config.js';
import type { RuleHit } from '../evaluate.js';
import { safeEcho, type MessageView } from '../normalize.js';

/*
 * Invites to other Discord servers or Slack workspaces: discord.gg/…, discord.com/invite/…,
 * discordapp.com/invite/…, dsc.gg/…, join.slack.com/t/…, join.slack.com/share/…, also when spelled
 * `discord . gg / abc`, `discord(dot)gg`, in fullwidth letters or with zero-width characters.
 */

/** Groups: 1 Discord code, 2 Slack workspace, 3 Slack shared-invite code, 4 Slack share code. */
export const INVITE_PATTERN =
  /(?:https?:\/\/)?(?:www\.|ptb\.|canary\.)?(?:(?:discord(?:app)?\.com\/invite|discord\.gg|discord\.me|discord\.io|discord\.link|dsc\.gg|invite\.gg)\/([\w-]{2,64})|join\.slack\.com\/(?:t\/([\w-]{1,80})(?:\/shared_invite\/([\w-]+))?|share\/([\w-]+)))/g;
/** Cheap test: no invite can be in a text without one of these. */
export const MAYBE_INVITE = /discord|dsc|slack|invite/;
/** Spacing is bounded (three characters each side) so that a sea of spaces stays linear to scan. */
const OBFUSCATED_DOT = /[ \t]{0,3}(?:\.|\(dot\)|\[dot\]|\{dot\}|\(\.\)|\[\.\])[ \t]{0,3}/g;
const SPACED_SLASH = /[ \t]{0,3}\/[ \t]{0,3}/g;

/** The message's text with obfuscated dots and slashes undone, or undefined when no invite can be in it. */
export function inviteSearchText(view: MessageView): string | undefined {
  const plain = view.plain;
  if (!MAYBE_INVITE.test(plain)) return undefined;
  return plain.replace(OBFUSCATED_DOT, '.').replace(SPACED_SLASH, '/');
}

export interface InvitePolicy {
  /** Lower-cased invite codes and Slack workspace names that are the community's own. */
  readonly own: ReadonlySet<string>;
}

export function compileInvitePolicy(rule: Pick<InvitesRule, 'allowOwn'>): InvitePolicy {
  const own = new Set<string>();
  for (const raw of rule.allowOwn ?? []) {
    const entry = raw.trim().toLowerCase();
    let matched = false;
    for (const m of entry.matchAll(INVITE_PATTERN)) {
      for (const g of m.slice(1)) if (g) own.add(g);
      matched = true;
    }
    if (!matched) own.add(entry.replace(/^.*\//, ''));
  }
  return { own };
}

/** An invite to another server or workspace. */
export function checkInvites(view: MessageView, rule: InvitesRule, policy: InvitePolicy): RuleHit | undefined {
  if (!rule.enabled) return undefined;
  const text = inviteSearchText(view);
  if (text === undefined) return undefined;
  for (const m of text.matchAll(INVITE_PATTERN)) {
    const [whole, code, workspace, shared, share] = m;
    if (code !== undefined) {
      if (policy.own.has(code)) continue;
      return hit(rule, 'invite link to another Discord server', whole);
    }
    if ((workspace && policy.own.has(workspace)) || (shared && policy.own.has(shared)) || (share && policy.own.has(share))) continue;
    return hit(rule, 'invite link to another Slack workspace', whole);
  }
  return undefined;
}

function hit(rule: InvitesRule, reason: string, evidence: string): RuleHit {
  return { rule: 'invites', points: rule.points, deleteMessage: rule.delete, reason, evidence: safeEcho(evidence) };
}

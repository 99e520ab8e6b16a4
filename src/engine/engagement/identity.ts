import { formatDuration, parseDuration } from '../../core/duration.js';
import type { ActionDraft, EventOfType } from '../../contracts/index.js';
import type { EventContext } from '../capability.js';
import { commandArgs } from '../command-args.js';
import { digest, ephemeral } from './common.js';

type Command = EventOfType<'command.invoked'>;

/**
 * A secret mixed into derived codes and hashes when set (GUYUB_SECRET), so that link codes and
 * the hashes kept after /forgetme cannot be recomputed from public ids. Without it they are
 * still derived (replay stays deterministic) but only as strong as the ids are private.
 */
export const secret = (): string => process.env.GUYUB_SECRET ?? '';

/**
 * `/link`: a one-time code (valid `link.codeTtl`) to confirm with `/link <code>` on the other
 * platform. Confirming puts both accounts under one Person (merging Persons if both had one),
 * whose score, tier and moderation record are then shared.
 */
export async function link(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const me = ctx.member!;
  const { code } = commandArgs(event, ['code'] as const);
  const now = ctx.clock.now();
  if (!code) {
    const ttl = parseDuration(ctx.config.engagement.link.codeTtl)!;
    const value = digest('link', event.platform, event.community, me.externalId, event.id, secret()).slice(0, 8).toUpperCase();
    await ctx.tx.linkCode.create({ data: { code: value, memberId: me.id, platform: event.platform, createdAt: now, expiresAt: new Date(now.getTime() + ttl) } });
    return [ephemeral(event.member.id, ctx.t('engagement.link.code', { code: value, ttl: formatDuration(ttl) }))];
  }
  const found = await ctx.tx.linkCode.findUnique({ where: { code: code.trim().toUpperCase() }, include: { member: true } });
  if (!found || found.usedAt || found.expiresAt <= now) return [ephemeral(event.member.id, ctx.t('engagement.link.invalid'))];
  if (found.platform === event.platform) return [ephemeral(event.member.id, ctx.t('engagement.link.samePlatform', { platform: event.platform }))];
  const other = found.member;
  if (other.personId !== null && other.personId === me.personId) return [ephemeral(event.member.id, ctx.t('engagement.link.already'))];
  const personId = other.personId ?? me.personId ?? (await ctx.tx.person.create({ data: {} })).id;
  // A Person of mine that is not the kept one: all its accounts move over.
  if (me.personId !== null && me.personId !== personId) await ctx.tx.member.updateMany({ where: { personId: me.personId }, data: { personId } });
  await ctx.tx.member.updateMany({ where: { id: { in: [me.id, other.id] } }, data: { personId } });
  await ctx.tx.linkCode.update({ where: { id: found.id }, data: { usedAt: now } });
  return [ephemeral(event.member.id, ctx.t('engagement.link.linked', { platform: found.platform }))];
}

/** `/unlink`: this account leaves its Person; a Person left with one account is dissolved. */
export async function unlink(event: Command, ctx: EventContext): Promise<ActionDraft[]> {
  const me = ctx.member!;
  if (me.personId === null) return [ephemeral(event.member.id, ctx.t('engagement.link.notLinked'))];
  await ctx.tx.member.update({ where: { id: me.id }, data: { personId: null } });
  const rest = await ctx.tx.member.findMany({ where: { personId: me.personId }, select: { id: true } });
  if (rest.length <= 1) {
    await ctx.tx.member.updateMany({ where: { personId: me.personId }, data: { personId: null } });
    await ctx.tx.person.delete({ where: { id: me.personId } });
  }
  return [ephemeral(event.member.id, ctx.t('engagement.link.unlinked'))];
}

import { z } from 'zod';
import { PlatformSchema } from './event.js';
import { NeutralMessageSchema } from './message.js';

/** DESIGN §3.2. `member` and `channel` are platform ids, as in events. */
const common = {
  platform: PlatformSchema,
  community: z.string().min(1),
  cause: z.string().min(1),
};

export const MessageSendSchema = z
  .looseObject({
    ...common,
    type: z.literal('message.send'),
    channel: z.string().min(1).optional(),
    member: z.string().min(1).optional(),
    message: NeutralMessageSchema,
    replyTo: z.string().min(1).optional(),
    thread: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
  })
  .refine((a) => (a.channel === undefined) !== (a.member === undefined), {
    message: 'message.send needs exactly one of channel or member',
  });
export const MessageEditSchema = z
  .looseObject({
    ...common,
    type: z.literal('message.edit'),
    key: z.string().min(1).optional(),
    messageId: z.string().min(1).optional(),
    message: NeutralMessageSchema,
  })
  .refine((a) => a.key !== undefined || a.messageId !== undefined, {
    message: 'message.edit needs a key or a messageId',
  });
export const ReplyEphemeralSchema = z.looseObject({
  ...common,
  type: z.literal('reply.ephemeral'),
  member: z.string().min(1),
  message: NeutralMessageSchema,
});
export const MessageDeleteSchema = z.looseObject({
  ...common,
  type: z.literal('message.delete'),
  channel: z.string().min(1),
  messageId: z.string().min(1),
  reason: z.string(),
});
export const MemberTimeoutSchema = z.looseObject({
  ...common,
  type: z.literal('member.timeout'),
  member: z.string().min(1),
  seconds: z.number().int().positive(),
  reason: z.string(),
});
export const MemberKickSchema = z.looseObject({
  ...common,
  type: z.literal('member.kick'),
  member: z.string().min(1),
  reason: z.string(),
});
export const MemberBanSchema = z.looseObject({
  ...common,
  type: z.literal('member.ban'),
  member: z.string().min(1),
  reason: z.string(),
});
/** Extensions of DESIGN §3.2 for moderation: lifting a timeout or a ban, and restricting entry during a raid. */
export const MemberUntimeoutSchema = z.looseObject({
  ...common,
  type: z.literal('member.untimeout'),
  member: z.string().min(1),
  reason: z.string(),
});
export const MemberUnbanSchema = z.looseObject({
  ...common,
  type: z.literal('member.unban'),
  member: z.string().min(1),
  reason: z.string(),
});
/** `slow`: raise the bar for new members (Discord: verification level); `lock`: pause new joins. */
export const EntryRestrictSchema = z.looseObject({
  ...common,
  type: z.literal('entry.restrict'),
  mode: z.enum(['slow', 'lock']),
  reason: z.string(),
});
export const RoleAddSchema = z.looseObject({
  ...common,
  type: z.literal('role.add'),
  member: z.string().min(1),
  role: z.string().min(1),
  reason: z.string(),
});
export const RoleRemoveSchema = z.looseObject({
  ...common,
  type: z.literal('role.remove'),
  member: z.string().min(1),
  role: z.string().min(1),
  reason: z.string(),
});

export const ActionSchema = z.discriminatedUnion('type', [
  MessageSendSchema,
  MessageEditSchema,
  ReplyEphemeralSchema,
  MessageDeleteSchema,
  MemberTimeoutSchema,
  MemberKickSchema,
  MemberBanSchema,
  MemberUntimeoutSchema,
  MemberUnbanSchema,
  EntryRestrictSchema,
  RoleAddSchema,
  RoleRemoveSchema,
]);

export type Action = z.infer<typeof ActionSchema>;
export type ActionType = Action['type'];

/** The declared fields of a loose object, without the index signature that `Omit` would otherwise flatten everything into. */
type DeclaredFields<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<DeclaredFields<T>, K> : never;
/** What a handler returns: the pipeline stamps `platform`, `community` and `cause`. */
export type ActionDraft = DistributiveOmit<Action, 'platform' | 'community' | 'cause'>;

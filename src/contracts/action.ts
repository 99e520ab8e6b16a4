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
  RoleAddSchema,
  RoleRemoveSchema,
]);

export type Action = z.infer<typeof ActionSchema>;
export type ActionType = Action['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** What a handler returns: the pipeline stamps `platform`, `community` and `cause`. */
export type ActionDraft = DistributiveOmit<Action, 'platform' | 'community' | 'cause'>;

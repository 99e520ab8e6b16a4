import { z } from 'zod';

/** DESIGN §3.1. Extra fields are allowed everywhere; the listed ones keep their meaning. */
export const PlatformSchema = z.enum(['discord', 'slack', 'shell']);
export type Platform = z.infer<typeof PlatformSchema>;

const isoTime = z.iso.datetime({ offset: true });

export const MemberRefSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  bot: z.boolean().optional(),
  roles: z.array(z.string()).optional(),
  joinedAt: isoTime.optional(),
});
export type MemberRef = z.infer<typeof MemberRefSchema>;

const common = {
  id: z.string().min(1),
  platform: PlatformSchema,
  community: z.string().min(1),
  at: isoTime,
};

const optionValue = z.union([z.string(), z.number(), z.boolean()]);

export const MemberJoinedSchema = z.looseObject({
  ...common,
  type: z.literal('member.joined'),
  member: MemberRefSchema,
});
export const MemberLeftSchema = z.looseObject({
  ...common,
  type: z.literal('member.left'),
  member: MemberRefSchema,
});
export const MessageCreatedSchema = z.looseObject({
  ...common,
  type: z.literal('message.created'),
  channel: z.string().min(1),
  author: MemberRefSchema,
  text: z.string(),
  thread: z.string().min(1).optional(),
  replyTo: z.string().min(1).optional(),
  mentions: z.array(z.string()).optional(),
  attachments: z.number().int().nonnegative().optional(),
});
export const MessageEditedSchema = z.looseObject({
  ...common,
  type: z.literal('message.edited'),
  channel: z.string().min(1),
  author: MemberRefSchema,
  messageId: z.string().min(1),
  text: z.string(),
});
export const MessageDeletedSchema = z.looseObject({
  ...common,
  type: z.literal('message.deleted'),
  channel: z.string().min(1),
  messageId: z.string().min(1),
});
export const ReactionAddedSchema = z.looseObject({
  ...common,
  type: z.literal('reaction.added'),
  channel: z.string().min(1),
  member: MemberRefSchema,
  messageId: z.string().min(1),
  emoji: z.string().min(1),
});
export const CommandInvokedSchema = z.looseObject({
  ...common,
  type: z.literal('command.invoked'),
  channel: z.string().min(1),
  member: MemberRefSchema,
  command: z.string().regex(/^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*$/, 'a lower-case command name without the slash'),
  options: z.record(z.string(), optionValue).default({}),
});
export const ComponentUsedSchema = z.looseObject({
  ...common,
  type: z.literal('component.used'),
  channel: z.string().min(1),
  member: MemberRefSchema,
  componentId: z.string().min(1),
  values: z.array(z.string()).optional(),
});

export const CommunityEventSchema = z.discriminatedUnion('type', [
  MemberJoinedSchema,
  MemberLeftSchema,
  MessageCreatedSchema,
  MessageEditedSchema,
  MessageDeletedSchema,
  ReactionAddedSchema,
  CommandInvokedSchema,
  ComponentUsedSchema,
]);

export type CommunityEvent = z.infer<typeof CommunityEventSchema>;
export type CommunityEventType = CommunityEvent['type'];
export type EventOfType<T extends CommunityEventType> = Extract<CommunityEvent, { type: T }>;

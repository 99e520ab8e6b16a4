import { z } from 'zod';

/**
 * The platform-neutral message (DESIGN §3.2). `text` is a markdown subset: **bold**,
 * _italics_, `code`, [links](url), lists, and mentions as `<@member-id>`; channels are
 * written `<#channel-name>` and resolved by each adapter. Adapters render it as Discord
 * embeds/components or Slack Block Kit; the engine never builds either.
 */
export const ButtonSchema = z.looseObject({
  id: z.string().min(1).max(100),
  label: z.string().min(1).max(80),
  style: z.enum(['primary', 'secondary', 'success', 'danger']).optional(),
});

export const FieldSchema = z.looseObject({
  name: z.string().min(1),
  value: z.string(),
});

export const ImageSchema = z.looseObject({
  name: z.string().min(1),
  contentType: z.string().min(1),
});

export const NeutralMessageSchema = z.looseObject({
  text: z.string(),
  fields: z.array(FieldSchema).optional(),
  buttons: z.array(ButtonSchema).optional(),
  image: ImageSchema.optional(),
});

export type NeutralMessage = z.infer<typeof NeutralMessageSchema>;
export type Button = z.infer<typeof ButtonSchema>;

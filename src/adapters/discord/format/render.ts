import {
  AllowedMentionsTypes,
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIEmbedField,
  type RawFile,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import type { Button, NeutralMessage } from '../../../contracts/index.js';
import { convertMentions, LIMITS, truncate, type MentionTargets } from './text.js';

/** A file to upload with the message: a stored image (shown in the embed) or an attachment. */
export interface OutgoingFile {
  name: string;
  contentType: string;
  data: Uint8Array;
}

export interface RenderOptions {
  targets: MentionTargets;
  /** The bytes of `message.image`, loaded by the caller (StoredImage). */
  image?: OutgoingFile;
  /** A file attached to the message (the action's `attachment` extra). */
  attachment?: OutgoingFile;
  /** A permalink added as the last line (the action's `link` extra). */
  permalink?: string;
}

/** What the REST call carries: the JSON body and the files of a multipart upload. */
export interface RenderedMessage {
  body: Omit<RESTPostAPIChannelMessageJSONBody, 'content' | 'embeds' | 'components'> & { content: string; embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponentWithCustomId>[] };
  files: RawFile[];
  /** Buttons that did not fit in Discord's five rows of five. */
  droppedButtons: number;
}

const STYLES: Record<NonNullable<Button['style']>, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** Buttons in action rows: at most five per row and five rows. */
export function buttonRows(buttons: readonly Button[]): { rows: APIActionRowComponent<APIButtonComponentWithCustomId>[]; dropped: number } {
  const max = LIMITS.buttonsPerRow * LIMITS.rows;
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  buttons.slice(0, max).forEach((button, i) => {
    if (i % LIMITS.buttonsPerRow === 0) rows.push({ type: ComponentType.ActionRow, components: [] });
    rows[rows.length - 1]!.components.push({
      type: ComponentType.Button,
      custom_id: button.id,
      label: truncate(button.label, 80),
      style: STYLES[button.style ?? 'secondary'],
    });
  });
  return { rows, dropped: Math.max(0, buttons.length - max) };
}

const embedSize = (embed: APIEmbed): number =>
  (embed.description?.length ?? 0) + (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);

/**
 * The neutral message as a Discord message. A plain text message (no fields, no image, short
 * enough) goes as `content`, where mentions notify as members expect; anything richer is an
 * embed (text as description, fields, image), since Discord never notifies mentions inside an
 * embed. `allowed_mentions` lets users be pinged, roles only where the engine wrote a role
 * mention, and never @everyone or @here.
 */
export function renderMessage(message: NeutralMessage, options: RenderOptions): RenderedMessage {
  const roleIds = new Set<string>();
  const convert = (text: string) => {
    const converted = convertMentions(text, options.targets);
    for (const id of converted.roleIds) roleIds.add(id);
    return converted.text;
  };
  let text = convert(message.text);
  if (options.permalink) text = text ? `${text}\n${options.permalink}` : options.permalink;

  const files: RawFile[] = [];
  const embeds: APIEmbed[] = [];
  const fields: APIEmbedField[] = (message.fields ?? []).slice(0, LIMITS.fields).map((field) => ({
    name: truncate(convert(field.name), LIMITS.fieldName),
    // Discord refuses an empty field value: a zero-width space keeps the field.
    value: truncate(convert(field.value), LIMITS.fieldValue) || '\u200b',
  }));
  const rich = fields.length > 0 || options.image !== undefined || text.length > LIMITS.content;
  let content = '';
  if (rich) {
    const embed: APIEmbed = {};
    if (text) embed.description = truncate(text, LIMITS.description);
    if (fields.length) embed.fields = fields;
    const overflow = embedSize(embed) - LIMITS.embedTotal;
    if (overflow > 0 && embed.description) embed.description = truncate(embed.description, Math.max(1, embed.description.length - overflow));
    if (options.image) {
      embed.image = { url: `attachment://${options.image.name}` };
      files.push({ name: options.image.name, contentType: options.image.contentType, data: Buffer.from(options.image.data) });
    }
    embeds.push(embed);
  } else {
    content = text;
  }
  if (options.attachment) files.push({ name: options.attachment.name, contentType: options.attachment.contentType, data: Buffer.from(options.attachment.data) });

  const { rows, dropped } = buttonRows(message.buttons ?? []);
  return {
    body: {
      content,
      embeds,
      components: rows,
      allowed_mentions: { parse: [AllowedMentionsTypes.User], roles: [...roleIds] },
      ...(files.length && { attachments: files.map((file, id) => ({ id, filename: file.name })) }),
    },
    files,
    droppedButtons: dropped,
  };
}

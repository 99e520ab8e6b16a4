import type { types as SlackTypes } from '@slack/bolt';
import type { Button as NeutralButton, NeutralMessage } from '../../../contracts/index.js';
import { toMrkdwn, type MrkdwnNames } from './mrkdwn.js';

type KnownBlock = SlackTypes.KnownBlock;
type Button = SlackTypes.Button;

/** Block Kit's limits (docs.slack.dev/reference/block-kit): what does not fit is cut, never refused. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  buttonText: 75,
  buttonValue: 2000,
  elementsPerActions: 25,
  fallbackText: 3000,
} as const;

/** Cuts a string to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Splits mrkdwn into pieces of at most `max` characters, at line ends where it can. */
function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = rest.lastIndexOf('\n', max);
    const at = cut > max / 2 ? cut : max;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, '');
  }
  if (rest.trim()) pieces.push(rest);
  return pieces;
}

/** Slack has two button colours: primary and danger; the others are the default look. */
function buttonStyle(style: NeutralButton['style']): Button['style'] {
  if (style === 'primary' || style === 'success') return 'primary';
  if (style === 'danger') return 'danger';
  return undefined;
}

export interface RenderedMessage {
  /** The notification text, and what clients without Block Kit show. */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderExtras {
  /** A line with a link to another message (the action's `link`), already resolved to a URL. */
  permalink?: { url: string; label: string };
}

/**
 * The neutral message (DESIGN §3.2) as Block Kit: the text in sections (split at 3,000
 * characters), the fields in sections of up to ten, the buttons in actions blocks of up to 25
 * (action_id = the button's id, which comes back as `componentId`). At most 50 blocks.
 * Images are uploaded as files by the executor, not rendered here.
 */
export function renderMessage(message: NeutralMessage, names: MrkdwnNames, extras: RenderExtras = {}): RenderedMessage {
  const blocks: KnownBlock[] = [];
  const text = toMrkdwn(message.text, names);
  for (const piece of splitText(text, LIMITS.sectionText)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });

  const fields = message.fields ?? [];
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: fields.slice(i, i + LIMITS.fieldsPerSection).map((field) => ({
        type: 'mrkdwn' as const,
        text: truncate(`*${toMrkdwn(field.name, names)}*\n${toMrkdwn(field.value, names)}`, LIMITS.fieldText),
      })),
    });
  }

  if (extras.permalink) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `<${extras.permalink.url}|${extras.permalink.label.replace(/[<>|&]/g, '')}>` }] });
  }

  const buttons = message.buttons ?? [];
  for (let i = 0; i < buttons.length; i += LIMITS.elementsPerActions) {
    blocks.push({
      type: 'actions',
      elements: buttons.slice(i, i + LIMITS.elementsPerActions).map((button) => {
        const style = buttonStyle(button.style);
        return {
          type: 'button' as const,
          action_id: button.id,
          value: truncate(button.id, LIMITS.buttonValue),
          text: { type: 'plain_text' as const, text: truncate(button.label, LIMITS.buttonText), emoji: true },
          ...(style && { style }),
        };
      }),
    });
  }

  if (blocks.length > LIMITS.blocks) {
    // Keep the buttons (they are how members act on the message) and cut text sections instead.
    const actions = blocks.filter((block) => block.type === 'actions');
    const rest = blocks.filter((block) => block.type !== 'actions').slice(0, LIMITS.blocks - actions.length);
    blocks.splice(0, blocks.length, ...rest, ...actions);
  }
  const fallback = truncate(text.trim() || fields.map((f) => toMrkdwn(`${f.name}: ${f.value}`, names)).join('\n') || ' ', LIMITS.fallbackText);
  return { text: fallback, blocks };
}

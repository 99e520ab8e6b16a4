const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Makes user-written text safe to echo: `@everyone`, `@here`, `<@id>`, `<@&role>`, `<#channel>`
 * and Slack's `<!channel>`/`<!here>` no longer ping anyone, on either platform, but still read
 * the same. Used wherever the bot repeats what a member wrote (case reasons, evidence, quotes).
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(everyone|here|channel)\b/gi, `@${ZERO_WIDTH_SPACE}$1`).replace(/<([@#!])/g, `<${ZERO_WIDTH_SPACE}$1`);
}

/** Shortens text for a quote, on a character (not UTF-16 unit) boundary. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

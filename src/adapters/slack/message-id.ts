/**
 * A Slack message's id for the engine: `<channel>:<ts>`. Slack's `ts` is unique only within a
 * channel, so two messages of one workspace in different channels may share it; the engine
 * keys messages (and its dedupe of message.created) by id within the workspace, so the id
 * carries the channel as well. Replies, edits, deletions and reactions all name their
 * channel, so every reference to a message is built the same way.
 */
export function slackMessageId(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

const MESSAGE_ID = /^([CGD][A-Z0-9]+):(\d+\.\d+)$/;

/**
 * The channel and `ts` an engine message id stands for. A bare `ts` (an id from before ids
 * carried the channel, or one a moderator typed) gives the `ts` alone.
 */
export function parseSlackMessageId(id: string): { channel?: string; ts: string } {
  const match = MESSAGE_ID.exec(id);
  return match ? { channel: match[1]!, ts: match[2]! } : { ts: id };
}

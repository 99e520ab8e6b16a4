import { createHmac } from 'node:crypto';
import type { BlockAction, SlashCommand } from '@slack/bolt';

export interface SignOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Sign with another secret (a forged request). */
  secret?: string;
  /** X-Slack-Retry-Num / X-Slack-Retry-Reason, as Slack sends on redelivery. */
  retryNum?: number;
  retryReason?: string;
}

/** Slack's request signature: v0= hex HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/**
 * Sends what Slack sends to an app's request URL, signed: Events API callbacks (JSON), slash
 * commands (form-encoded) and interactivity payloads (form-encoded `payload=` JSON).
 */
export class SlackRequestClient {
  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
  ) {}

  async #post(body: string, contentType: string, options: SignOptions): Promise<Response> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': sign(options.secret ?? this.signingSecret, timestamp, body),
        ...(options.retryNum !== undefined && { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': options.retryReason ?? 'http_timeout' }),
      },
      body,
    });
  }

  sendEvent(envelope: object, options: SignOptions = {}): Promise<Response> {
    return this.#post(JSON.stringify(envelope), 'application/json', options);
  }

  sendCommand(command: SlashCommand, options: SignOptions = {}): Promise<Response> {
    const form = new URLSearchParams(Object.entries(command).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    return this.#post(form.toString(), 'application/x-www-form-urlencoded', options);
  }

  sendAction(payload: BlockAction, options: SignOptions = {}): Promise<Response> {
    return this.#post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
  }
}

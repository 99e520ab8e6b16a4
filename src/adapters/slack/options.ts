import type { webApi } from '@slack/bolt';
import { redactUrl } from '../../core/logger.js';

/** The bot scopes the adapter's Web API calls and events need (the OAuth install asks for these). */
export const DEFAULT_BOT_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'channels:manage',
  'channels:read',
  'chat:write',
  'commands',
  'files:write',
  'groups:history',
  'groups:read',
  'groups:write',
  'im:history',
  'im:write',
  'mpim:history',
  'reactions:read',
  'team:read',
  'usergroups:read',
  'usergroups:write',
  'users:read',
];

/** How the app is authorized: one workspace with a bot token, or any number through OAuth. */
export type SlackAuth =
  | { mode: 'token'; botToken: string; /** An admin's user token, for deleting other members' messages. */ userToken?: string }
  | { mode: 'oauth'; clientId: string; clientSecret: string; stateSecret: string; scopes: string[]; userScopes: string[]; redirectUri?: string };

/** Where Slack's requests come in: Bolt's HTTP receiver (signed requests) or Socket Mode (an app token). */
export type SlackReceiverChoice = { kind: 'http'; signingSecret: string } | { kind: 'socket'; appToken: string; signingSecret?: string };

export interface SlackConnection {
  auth: SlackAuth;
  receiver: SlackReceiverChoice;
  /** The Web API base, e.g. http://127.0.0.1:PORT/api/ (default Slack's own). */
  apiUrl?: string;
  /** The HTTP receiver's port (Socket Mode: the OAuth pages' port) and host. */
  port: number;
  host: string;
  /** How the WebClient retries failed calls (5xx, network); rate limits wait their Retry-After. */
  retryConfig?: webApi.RetryOptions;
}

/** A missing or contradictory Slack variable, named. */
export class SlackConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackConfigurationError';
  }
}

const CREDENTIALS = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

function list(value: string | undefined): string[] | undefined {
  const items = value?.split(/[\s,]+/).filter(Boolean);
  return items?.length ? items : undefined;
}

/**
 * The Slack connection the environment describes, or undefined when it sets no Slack
 * credentials at all. Single workspace: SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or
 * SLACK_APP_TOKEN (Socket Mode). Many workspaces (OAuth): SLACK_CLIENT_ID, SLACK_CLIENT_SECRET,
 * SLACK_STATE_SECRET and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN). Also SLACK_API_URL,
 * PORT (default 3000), SLACK_HOST (default 0.0.0.0), SLACK_SCOPES, SLACK_USER_SCOPES,
 * SLACK_REDIRECT_URI, SLACK_USER_TOKEN. Throws SlackConfigurationError naming what is missing.
 */
export function slackOptionsFromEnv(env: NodeJS.ProcessEnv): SlackConnection | undefined {
  const value = (name: string): string | undefined => (env[name]?.trim() ? env[name]!.trim() : undefined);
  if (!CREDENTIALS.some((name) => value(name))) return undefined;

  const botToken = value('SLACK_BOT_TOKEN');
  const appToken = value('SLACK_APP_TOKEN');
  const signingSecret = value('SLACK_SIGNING_SECRET');
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
  const oauth = oauthNames.some((name) => value(name));

  let auth: SlackAuth;
  if (oauth) {
    const missing = oauthNames.filter((name) => !value(name));
    if (missing.length) throw new SlackConfigurationError(`Slack OAuth (many workspaces) needs ${missing.join(' and ')} as well`);
    if (botToken) throw new SlackConfigurationError('set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET/SLACK_STATE_SECRET (OAuth), not both');
    auth = {
      mode: 'oauth',
      clientId: value('SLACK_CLIENT_ID')!,
      clientSecret: value('SLACK_CLIENT_SECRET')!,
      stateSecret: value('SLACK_STATE_SECRET')!,
      scopes: list(value('SLACK_SCOPES')) ?? DEFAULT_BOT_SCOPES,
      userScopes: list(value('SLACK_USER_SCOPES')) ?? [],
      ...(value('SLACK_REDIRECT_URI') && { redirectUri: value('SLACK_REDIRECT_URI')! }),
    };
  } else {
    if (!botToken) throw new SlackConfigurationError(`SLACK_BOT_TOKEN is missing (${CREDENTIALS.filter((n) => value(n)).join(', ')} set without it)`);
    auth = { mode: 'token', botToken, ...(value('SLACK_USER_TOKEN') && { userToken: value('SLACK_USER_TOKEN')! }) };
  }

  let receiver: SlackReceiverChoice;
  if (appToken) {
    if (!appToken.startsWith('xapp-')) throw new SlackConfigurationError('SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope');
    receiver = { kind: 'socket', appToken, ...(signingSecret && { signingSecret }) };
  } else if (signingSecret) {
    receiver = { kind: 'http', signingSecret };
  } else {
    throw new SlackConfigurationError(
      auth.mode === 'token'
        ? 'SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET (HTTP receiver) nor SLACK_APP_TOKEN (Socket Mode) is'
        : 'Slack OAuth needs SLACK_SIGNING_SECRET (HTTP receiver) or SLACK_APP_TOKEN (Socket Mode)',
    );
  }

  const rawPort = value('PORT') ?? '3000';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SlackConfigurationError(`PORT must be a port number (0-65535), got "${rawPort}"`);
  const apiUrl = value('SLACK_API_URL');
  if (apiUrl) {
    // A proxy URL may carry user:password: only its redacted form is ever echoed.
    let parsed: URL;
    try {
      parsed = new URL(apiUrl);
    } catch {
      throw new SlackConfigurationError(`SLACK_API_URL must be a URL such as https://slack.com/api/, got "${redactUrl(apiUrl)}"`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new SlackConfigurationError(`SLACK_API_URL must be an http(s) URL, got "${redactUrl(apiUrl)}"`);
    // The WebClient refuses such URLs on every call (fetch cannot send them), so they are refused here, named.
    if (parsed.username || parsed.password) throw new SlackConfigurationError(`SLACK_API_URL must not carry a user name or password (the Slack Web API client cannot send them), got "${redactUrl(apiUrl)}"`);
  }
  return {
    auth,
    receiver,
    port,
    host: value('SLACK_HOST') ?? '0.0.0.0',
    ...(apiUrl && { apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` }),
  };
}

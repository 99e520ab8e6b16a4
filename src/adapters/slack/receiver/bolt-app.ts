import { App, type AppOptions, type InstallationStore, type Logger as BoltLogger, type webApi } from '@slack/bolt';
import type { SlackConnection } from '../options.js';

export const EVENTS_PATH = '/slack/events';
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface BoltAppOptions {
  connection: SlackConnection;
  clientOptions: webApi.WebClientOptions;
  logger: BoltLogger;
  installationStore: InstallationStore;
}

/**
 * The Bolt App for a connection. HTTP: Events API, slash commands and interactivity all at
 * POST /slack/events, signed with the signing secret (Bolt answers 401 to a bad or stale
 * signature); Socket Mode when an app token is given. Token mode authorizes one workspace;
 * OAuth mode serves GET /slack/install and /slack/oauth_redirect and authorizes each request
 * from the installation store. Initialization (auth.test) is deferred to `app.init()`, so
 * a failure there is an error `start()` reports rather than an unhandled rejection.
 */
export function createBoltApp({ connection, clientOptions, logger, installationStore }: BoltAppOptions): App {
  const { auth, receiver } = connection;
  const common: AppOptions = {
    logger,
    clientOptions,
    deferInitialization: true,
    // Events are acknowledged before the engine runs (Slack's 3-second rule); commands ack themselves first.
    processBeforeResponse: false,
    // No listener keeps conversation state: Bolt's store would only cost a lookup and a write per request.
    convoStore: false,
    endpoints: EVENTS_PATH,
    ...(receiver.kind === 'socket' ? { socketMode: true, appToken: receiver.appToken } : { signingSecret: receiver.signingSecret }),
  };
  if (auth.mode === 'token') return new App({ ...common, token: auth.botToken });
  return new App({
    ...common,
    ...(receiver.kind === 'socket' && receiver.signingSecret && { signingSecret: receiver.signingSecret }),
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    stateSecret: auth.stateSecret,
    scopes: auth.scopes,
    installationStore,
    ...(auth.redirectUri && { redirectUri: auth.redirectUri }),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      // Straight to Slack's consent page: no intermediate "Add to Slack" page to serve.
      directInstall: true,
      userScopes: auth.userScopes,
      ...(receiver.kind === 'socket' && { port: connection.port }),
    },
  });
}

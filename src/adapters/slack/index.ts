import { SlackAdapter, type SlackAdapterOptions } from './adapter.js';

export { SlackAdapter, type SlackAdapterOptions } from './adapter.js';
export { slackOptionsFromEnv, SlackConfigurationError, DEFAULT_BOT_SCOPES, type SlackConnection, type SlackAuth, type SlackReceiverChoice } from './options.js';
export { SlackConfigSchema, type SlackConfig } from './config.js';
export { PrismaInstallationStore } from './receiver/installation-store.js';
export { EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH } from './receiver/bolt-app.js';

/** The Slack adapter for a connection (see `slackOptionsFromEnv`), on guyub's database and configuration. */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  return new SlackAdapter(options);
}

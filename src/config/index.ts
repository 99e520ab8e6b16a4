export { loadConfig, ConfigStore, ConfigError, deepMerge, defaultConfigDir, type LoadConfigOptions } from './load.js';
export { CommunityConfigSchema, LocaleSchema, WELCOME_TEMPLATE_VARIABLES, type CommunityConfig, type Locale, type LocalizedText } from './schema.js';

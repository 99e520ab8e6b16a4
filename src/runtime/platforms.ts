import type { PlatformAdapter } from '../adapters/adapter.js';
import { createDiscordAdapter, discordOptionsFromEnv } from '../adapters/discord/index.js';
import { createSlackAdapter, slackOptionsFromEnv } from '../adapters/slack/index.js';
import type { ConfigStore } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** The platforms whose credentials the environment holds, without connecting to any. */
export function configuredPlatforms(env: NodeJS.ProcessEnv): { discord: boolean; slack: boolean } {
  return { discord: discordOptionsFromEnv(env) !== undefined, slack: slackOptionsFromEnv(env) !== undefined };
}

/** One adapter per platform with credentials in the environment (none: the shell's case). */
export function createPlatformAdapters(
  env: NodeJS.ProcessEnv,
  deps: { prisma: PrismaClient; config: ConfigStore; logger: Logger },
  options: { repliesArriveLater?: boolean } = {},
): PlatformAdapter[] {
  const adapters: PlatformAdapter[] = [];
  const discord = discordOptionsFromEnv(env);
  if (discord) adapters.push(createDiscordAdapter({ ...discord, ...deps, logger: deps.logger.child({ platform: 'discord' }), repliesArriveLater: options.repliesArriveLater ?? false }));
  const slack = slackOptionsFromEnv(env);
  if (slack) adapters.push(createSlackAdapter({ ...slack, ...deps, logger: deps.logger.child({ platform: 'slack' }) }));
  return adapters;
}

import { loadConfig, type ConfigStore } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { allCapabilities } from '../engine/capabilities.js';
import { Engine } from '../engine/pipeline.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Scheduler } from '../jobs/scheduler.js';

/** Wires the engine with every capability; the one place that knows the whole set. */
export function createEngine(deps: { prisma: PrismaClient; config: ConfigStore; clock: Clock; scheduler: Scheduler; logger: Logger }): Engine {
  return new Engine({ ...deps, capabilities: allCapabilities });
}

/** The configuration for this run: config/ plus GUYUB_CONFIG or an explicit override file. */
export function loadRunConfig(overrideFile?: string): ConfigStore {
  return loadConfig({ overrideFile: overrideFile ?? process.env.GUYUB_CONFIG });
}

import { mkdtempSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { VirtualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { packageRoot } from '../../src/core/paths.js';
import { createScratchPostgres, openDatabase, type Database } from '../../src/db/index.js';
import type { Capability } from '../../src/engine/capability.js';
import { createCapabilities } from '../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../src/engine/moderation/automod/index.js';
import { Engine, type EngineOptions } from '../../src/engine/pipeline.js';
import { VirtualTimeScheduler } from '../../src/jobs/in-process-scheduler.js';

export type DatabaseKind = 'pglite' | 'postgres';
export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];

/** A fresh database of the given kind: in-memory PGlite, or a scratch database on the local PostgreSQL. */
export async function openTestDatabase(kind: DatabaseKind): Promise<{ database: Database; dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, dispose: () => database.close() };
  }
  const scratch = await createScratchPostgres();
  const database = await openDatabase({ databaseUrl: scratch.url });
  return {
    database,
    async dispose() {
      await database.close();
      await scratch.drop();
    },
  };
}

export interface TestEngineOptions {
  /** Files written into a copy of config/ (e.g. { 'communities/x.yaml': '...' }). */
  configFiles?: Record<string, string>;
  capabilities?: readonly Capability[];
  start?: Date;
  storeOutages?: EngineOptions['storeOutages'];
}

export interface TestEngine {
  engine: Engine;
  database: Database;
  clock: VirtualClock;
  scheduler: VirtualTimeScheduler;
  dispose(): Promise<void>;
}

export async function createTestEngine(kind: DatabaseKind, options: TestEngineOptions = {}): Promise<TestEngine> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guyub-test-config-'));
  copyFileSync(path.join(packageRoot, 'config/default.yaml'), path.join(dir, 'default.yaml'));
  for (const [name, text] of Object.entries(options.configFiles ?? {})) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  const config = loadConfig({ dir });
  const { database, dispose } = await openTestDatabase(kind);
  const clock = new VirtualClock(options.start ?? new Date('2026-11-01T00:00:00Z'));
  const scheduler = new VirtualTimeScheduler(clock);
  const engine = new Engine({
    prisma: database.prisma,
    config,
    clock,
    scheduler,
    logger: silentLogger,
    capabilities: options.capabilities ?? createCapabilities({ counters: new InMemoryRateCounters() }),
    ...(options.storeOutages && { storeOutages: options.storeOutages }),
  });
  return {
    engine,
    database,
    clock,
    scheduler,
    async dispose() {
      await dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A CommunityEvent with the common fields filled in. */
export function event(body: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter++;
  return { id: `ev-${counter}`, platform: 'discord', community: 'g1', at: new Date(Date.UTC(2026, 10, 1, 0, 0, counter)).toISOString(), ...body, ...overrides };
}

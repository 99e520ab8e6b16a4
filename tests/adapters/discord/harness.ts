import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config/index.js';
import type { CommunityEvent } from '../../../src/contracts/index.js';
import { createLogger } from '../../../src/core/logger.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/index.js';
import type { EventOutcome } from '../../../src/engine/pipeline.js';
import { FakeDiscord, member, user, type GuildSpec } from '../../support/fake-discord/index.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';

/** The guilds every Discord test starts with: the default config's channels, and roles written as people do (capitals). */
export const KOPI: GuildSpec = {
  name: 'Komunitas Kopi',
  channels: ['general', 'rules', 'introductions', 'mod-log', 'feedback', 'questions', 'help'],
  roles: ['Moderator', 'manager', 'ambassador', 'regular'],
};
export const TEH: GuildSpec = { name: 'Teh Manis', channels: ['general', 'rules', 'introductions', 'mod-log'], roles: ['Moderator'] };

export interface Harness {
  fake: FakeDiscord;
  test: TestEngine;
  adapter: DiscordAdapter;
  /** Every event the adapter handed to the sink, in order. */
  events: CommunityEvent[];
  outcomes: EventOutcome[];
  /** Log lines at warn and above, parsed. */
  logs: Record<string, unknown>[];
  ayu: ReturnType<typeof member> & { user: ReturnType<typeof user> };
  mod: ReturnType<typeof member> & { user: ReturnType<typeof user> };
  waitForEvents(count: number, timeoutMs?: number): Promise<CommunityEvent[]>;
  stop(): Promise<void>;
}

export async function waitUntil<T>(check: () => T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The real discord.js client (through the adapter) against the fake Discord, and a real engine
 * on a scratch PostgreSQL database: the sink hands each event to the engine and carries out its
 * actions, as `guyub start` does.
 */
export async function startHarness(options: { connect?: boolean; beforeHandle?: (event: CommunityEvent) => Promise<void> } = {}): Promise<Harness> {
  const ayuUser = user('Ayu', { createdAt: new Date('2026-10-30T00:00:00Z') });
  const modUser = user('Budi');
  const kopiSpec: GuildSpec = { ...KOPI };
  const fake = await FakeDiscord.start({ guilds: [kopiSpec, TEH] });
  const kopi = fake.guilds[0]!;
  const ayu = { ...member(ayuUser, [fake.roleId(KOPI.name, 'regular')]), user: ayuUser };
  const mod = { ...member(modUser, [fake.roleId(KOPI.name, 'Moderator')], new Date('2025-06-01T00:00:00Z'), 'Budi (mod)'), user: modUser };
  kopi.members.push(ayu, mod);

  const test = await createTestEngine('postgres', { start: new Date() });
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const adapter = createDiscordAdapter({
    token: 'fake-token',
    apiUrl: fake.restBase,
    prisma: test.database.prisma,
    config: loadConfig(),
    logger: createLogger({ level: 'warn', destination }),
    restGlobalRequestsPerSecond: 1000,
  });
  const events: CommunityEvent[] = [];
  const outcomes: EventOutcome[] = [];
  if (options.connect !== false) {
    await adapter.start(async (event) => {
      events.push(event);
      await options.beforeHandle?.(event);
      const outcome = await test.engine.handle(event);
      outcomes.push(outcome);
      await adapter.execute(outcome.actions);
    });
  }
  return {
    fake,
    test,
    adapter,
    events,
    outcomes,
    logs,
    ayu,
    mod,
    waitForEvents: (count, timeoutMs) => waitUntil(() => events.length >= count && events, timeoutMs, `${count} events`),
    async stop() {
      await adapter.stop();
      await adapter.dispose();
      await fake.stop();
      await test.dispose();
    },
  };
}

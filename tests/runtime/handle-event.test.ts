import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../src/contracts/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { VirtualClock } from '../../src/core/clock.js';
import { createScratchPostgres, openDatabase, type Database, type ScratchPostgres } from '../../src/db/index.js';
import { createCapabilities } from '../../src/engine/capabilities.js';
import { InMemoryRateCounters } from '../../src/engine/moderation/automod/index.js';
import { Engine } from '../../src/engine/pipeline.js';
import type { Capability } from '../../src/engine/capability.js';
import { VirtualTimeScheduler } from '../../src/jobs/in-process-scheduler.js';
import { loadConfig } from '../../src/config/index.js';
import { handleEventDurably } from '../../src/runtime/handle-event.js';
import { event } from '../support/test-engine.js';
import { TcpProxy } from '../support/tcp-proxy.js';

// The engine reaches the real PostgreSQL through a proxy the test can cut, as an outage would.
describe('handling an event while PostgreSQL is away', () => {
  let scratch: ScratchPostgres;
  let proxy: TcpProxy;
  let database: Database;

  beforeAll(async () => {
    scratch = await createScratchPostgres();
    // Migrated directly, then used through the proxy.
    await (await openDatabase({ databaseUrl: scratch.url })).close();
    proxy = new TcpProxy('127.0.0.1', 5432);
    await proxy.up();
    const viaProxy = new URL(scratch.url);
    viaProxy.port = String(proxy.port);
    database = await openDatabase({ databaseUrl: viaProxy.toString(), migrate: false });
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    await proxy?.down();
    await scratch?.drop();
  });

  const engineWith = (capabilities?: readonly Capability[]) =>
    new Engine({
      prisma: database.prisma,
      config: loadConfig(),
      clock: new VirtualClock(new Date('2026-11-01T00:00:00Z')),
      scheduler: new VirtualTimeScheduler(new VirtualClock(new Date('2026-11-01T00:00:00Z'))),
      logger: silentLogger,
      capabilities: capabilities ?? createCapabilities({ counters: new InMemoryRateCounters() }),
    });

  it('waits for the database to come back, then welcomes the member exactly once', async () => {
    const engine = engineWith();
    const delivered: Action[][] = [];
    await proxy.down();
    const joined = event({ type: 'member.joined', member: { id: 'u-outage', name: 'Sari' } }, { id: 'join-during-outage' });
    const handling = handleEventDurably(engine, joined as never, async (actions) => void delivered.push(actions), { logger: silentLogger, retryDelayMs: 100, maxRetryDelayMs: 500 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(delivered).toEqual([]);
    await proxy.up();
    await handling;
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.some((a) => a.type === 'message.send' && a.message.text.includes('<@u-outage>'))).toBe(true);
    // Delivered again (a gateway resend): the dedupe keeps it from acting twice.
    await handleEventDurably(engine, joined as never, async (actions) => void delivered.push(actions), { logger: silentLogger });
    expect(delivered).toHaveLength(1);
    expect(await database.prisma.processedEvent.count({ where: { eventId: 'join-during-outage' } })).toBe(1);
  }, 30_000);

  it('gives up waiting when the process is stopping, and the event is not marked processed', async () => {
    const engine = engineWith();
    await proxy.down();
    const stop = new AbortController();
    const joined = event({ type: 'member.joined', member: { id: 'u-stop', name: 'Budi' } }, { id: 'join-while-stopping' });
    const handling = handleEventDurably(engine, joined as never, async () => {}, { logger: silentLogger, signal: stop.signal, retryDelayMs: 100 });
    setTimeout(() => stop.abort(), 500);
    await expect(handling).rejects.toThrow(/stopping/);
    await proxy.up();
    expect(await database.prisma.processedEvent.count({ where: { eventId: 'join-while-stopping' } })).toBe(0);
  }, 30_000);

  it('does not retry a handler that fails for another reason: the invoker gets the apology once', async () => {
    let calls = 0;
    const broken: Capability = {
      name: 'broken',
      on: {
        'command.invoked': async () => {
          calls++;
          throw new Error('a bug, not an outage');
        },
      },
    };
    const engine = engineWith([broken]);
    const delivered: Action[][] = [];
    const command = event({ type: 'command.invoked', channel: 'general', member: { id: 'u-cmd', name: 'Ayu' }, command: 'rank', options: {} });
    await handleEventDurably(engine, command as never, async (actions) => void delivered.push(actions), { logger: silentLogger, retryDelayMs: 10 });
    expect(calls).toBe(1);
    expect(delivered).toEqual([[expect.objectContaining({ type: 'reply.ephemeral', member: 'u-cmd' })]]);
  }, 30_000);
});

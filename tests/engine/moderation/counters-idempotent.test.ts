import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommunityEventSchema, type Action, type CommunityEvent } from '../../../src/contracts/index.js';
import { silentLogger } from '../../../src/core/logger.js';
import { isTransientStoreFailure } from '../../../src/db/index.js';
import { createCapabilities } from '../../../src/engine/capabilities.js';
import type { Capability } from '../../../src/engine/capability.js';
import { InMemoryRateCounters } from '../../../src/engine/moderation/automod/index.js';
import { handleEventDurably } from '../../../src/runtime/handle-event.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';

/*
 * The engine runs an event again when its transaction failed for a passing reason (a dropped
 * connection, a serialization conflict). The automod counters are outside that transaction, so they
 * see the event twice; judged twice, it must still count once.
 */

/** A serialization conflict, as PostgreSQL reports it: the kind of failure the engine retries. */
function serializationFailure(): Error {
  return Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
}

/** Runs after moderation (so the counters were already hit) and fails each event's first attempt. */
function failsEachEventOnce(): Capability & { failures: number } {
  const failed = new Set<string>();
  const capability = {
    name: 'fails-each-event-once',
    failures: 0,
    on: {
      'member.joined': async (event: CommunityEvent) => fail(event),
      'message.created': async (event: CommunityEvent) => fail(event),
    },
  };
  function fail(event: CommunityEvent): never[] {
    if (failed.has(event.id)) return [];
    failed.add(event.id);
    capability.failures++;
    throw serializationFailure();
  }
  return capability;
}

const COMMUNITY_CONFIG = `community: g1
automod:
  rules:
    raid: { joins: 5, seconds: 60, newAccountJoins: 100, action: lock }
`;
const START = Date.UTC(2026, 10, 1, 12, 0, 0);

describe('automod when the engine retries an event after a transient failure', () => {
  let t: TestEngine;
  let flaky: ReturnType<typeof failsEachEventOnce>;
  let delivered: Action[];

  beforeEach(async () => {
    flaky = failsEachEventOnce();
    delivered = [];
    t = await createTestEngine('postgres', {
      configFiles: { 'communities/g1.yaml': COMMUNITY_CONFIG },
      capabilities: [...createCapabilities({ counters: new InMemoryRateCounters() }), flaky],
      start: new Date(START),
    });
  });
  afterEach(async () => t?.dispose());

  /** Handles the event as the runtime does: retried until it is not failing for a passing reason. */
  async function handle(body: Record<string, unknown>, id: string, secondsAfterStart: number): Promise<Action[]> {
    const at = new Date(START + secondsAfterStart * 1000);
    t.clock.advanceTo(at);
    const event = CommunityEventSchema.parse({ id, platform: 'discord', community: 'g1', at: at.toISOString(), ...body });
    const actions: Action[] = [];
    const failuresBefore = flaky.failures;
    await handleEventDurably(t.engine, event, async (done) => void actions.push(...done), { logger: silentLogger, retryDelayMs: 1, maxRetryDelayMs: 1 });
    expect(flaky.failures - failuresBefore).toBe(1);
    delivered.push(...actions);
    return actions;
  }
  const join = (n: number, secondsAfterStart: number) => handle({ type: 'member.joined', member: { id: `joiner-${n}`, name: `Joiner ${n}` } }, `join-${n}`, secondsAfterStart);
  const raidAlerts = (actions: Action[]) => actions.filter((a) => a.type === 'message.send' && a.message.text.includes('join raid'));
  const locks = (actions: Action[]) => actions.filter((a) => a.type === 'entry.restrict');

  it('the failure it simulates is one the runtime retries', () => {
    expect(isTransientStoreFailure(serializationFailure())).toBe(true);
  });

  it('does not lock the entry for a burst of joins at the limit, each judged twice', async () => {
    // Five joins in 40 s with a limit of "more than 5 in 60 s": counted twice they would be ten.
    for (let n = 1; n <= 5; n++) await join(n, n * 8);
    expect(locks(delivered)).toEqual([]);
    expect(raidAlerts(delivered)).toEqual([]);
    expect(await t.database.prisma.processedEvent.count({ where: { eventId: { startsWith: 'join-' } } })).toBe(5);
  });

  it('alerts and locks once on the join over the limit, though its failed first attempt took the report', async () => {
    for (let n = 1; n <= 5; n++) await join(n, n * 8);
    const sixth = await join(6, 48);
    expect(locks(sixth)).toEqual([expect.objectContaining({ mode: 'lock', reason: expect.stringContaining('6 joins in 60s') })]);
    expect(raidAlerts(sixth)).toHaveLength(1);
    const seventh = await join(7, 52);
    expect(locks(seventh)).toEqual([]);
    expect(raidAlerts(seventh)).toEqual([]);
  });

  it('does not judge a message, retried, to be a repeat of itself', async () => {
    const say = (n: number, text: string, secondsAfterStart: number) =>
      handle({ type: 'message.created', channel: 'c-general', channelName: 'general', author: { id: 'joiner-1', name: 'Joiner 1' }, text }, `message-${n}`, secondsAfterStart);
    // The standard preset deletes the third alike message within 60 s; two are allowed.
    const first = await say(1, 'does anyone know when the meetup starts?', 120);
    const second = await say(2, 'does anyone know when the meetup starts?', 125);
    expect([...first, ...second].filter((a) => a.type === 'message.delete')).toEqual([]);
    const third = await say(3, 'does anyone know when the meetup starts?', 130);
    expect(third.filter((a) => a.type === 'message.delete')).toEqual([expect.objectContaining({ messageId: 'message-3' })]);
    expect(third.filter((a) => a.type === 'message.send' && a.channel === 'mod-log')).toHaveLength(1);
  });
});

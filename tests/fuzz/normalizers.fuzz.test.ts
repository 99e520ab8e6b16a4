import { GatewayDispatchEvents } from 'discord.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/index.js';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/index.js';
import {
  normalizeBlockActions,
  normalizeChannelJoin,
  normalizeMessage,
  normalizeReaction,
  normalizeSlashCommand,
  normalizeTeamJoin,
  type EventDraft,
  type Normalized,
} from '../../src/adapters/slack/normalize/events.js';
import { commandFromSlackText } from '../../src/commands/index.js';
import { loadConfig } from '../../src/config/index.js';
import { CommunityEventSchema, type CommunityEvent } from '../../src/contracts/index.js';
import { silentLogger } from '../../src/core/logger.js';
import {
  botMessage,
  buttonPress,
  chatInput,
  FakeDiscord,
  member,
  memberAdd,
  message,
  reactionAdd,
  selectMenu,
  snowflake,
  stringOption,
  subcommand,
  user,
  userOption,
} from '../support/fake-discord/index.js';
import { SlackRequestClient } from '../support/fake-slack/client.js';
import { FakeSlack } from '../support/fake-slack/server.js';
import { openTestDatabase } from '../support/test-engine.js';
import { CHANNELS, seedWorkspace, SIGNING_SECRET, TEAM, USERS } from '../adapters/slack/harness.js';

// Property tests: random and malformed platform payloads to every normalizer. Each payload either
// becomes a valid CommunityEvent or is rejected (ignored, or logged as invalid and dropped); no
// exception escapes, and the adapter goes on handling the next valid event.

// ── generators shared by both platforms ─────────────────────────────────────

const json = fc.jsonValue({ maxDepth: 3 });
/** JSON values a wrong-typed field may hold, weighted towards the ones that slip past truthiness checks. */
const wrong = fc.oneof(
  json,
  fc.constantFrom(null, '', 0, 1, true, false, [], {}, 'x', [null], { value: null }, -1, 1e21, '1e21', 'NaN'),
  // JSON.parse makes objects whose toString is no function: a template string of one throws.
  fc.constantFrom(JSON.parse('{"toString":[]}') as unknown, JSON.parse('{"valueOf":{},"toString":1}') as unknown, JSON.parse('{"__proto__":{"toString":null}}') as unknown),
);
/** A field that is usually well-formed and sometimes anything. */
const maybe = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: wrong });

const DELETE = Symbol('delete');
type Path = (string | number)[];
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...pathsOf(child, path)];
  });
}
/**
 * A valid payload with some of its fields (at any depth) deleted or replaced by random JSON: the
 * shapes a platform bug, an API change or an attacker would send.
 */
function mutated<T extends object>(valid: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constant<typeof DELETE>(DELETE), wrong)), { minLength: 1, maxLength: 4 })).map(([base, edits]) => {
    const copy = structuredClone(base) as Record<string | number, unknown>;
    for (const [index, replacement] of edits) {
      const paths = pathsOf(copy);
      if (!paths.length) break;
      const path = paths[index % paths.length]!;
      let parent: Record<string | number, unknown> = copy;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      // Arrays lose the element (JSON has no holes); objects the key.
      if (replacement === DELETE) {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      }
      // A copy: constantFrom hands out the same [] and {} each time, which could end up inside itself.
      else parent[last] = structuredClone(replacement);
    }
    return copy as T;
  });
}

/** Leaf values of the same JSON type as the ones they replace: odd but well-typed, as a platform bug would send. */
const SAME_TYPE: Record<'string' | 'number' | 'boolean' | 'null', unknown[]> = {
  string: ['', '0', 'x', ' ', '-1', 'NaN', '18446744073709551616', 'not a snowflake', '2026-13-45T99:99:99Z', '\u0000', '@everyone'],
  number: [0, -1, 0.5, 99, 2 ** 53, 1e21],
  boolean: [true, false],
  null: [null, '', '0'],
};
/**
 * A valid payload with some leaf values replaced by others of the same JSON type. discord.js
 * builds its structures from the payload before the adapter sees anything, and throws (an
 * unhandled rejection in its gateway code) on wrong-typed fields; those are its parsing, not the
 * normalizers', so the gateway is fuzzed with payloads discord.js can still build.
 */
function retyped<T extends object>(valid: fc.Arbitrary<T>, untouched: ReadonlySet<string>): fc.Arbitrary<T> {
  return fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 })).map(([base, edits]) => {
    const copy = structuredClone(base) as Record<string | number, unknown>;
    const leaves = pathsOf(copy).filter((path) => {
      if (path.some((key) => untouched.has(String(key)))) return false;
      const value = path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], copy);
      return value === null || typeof value !== 'object';
    });
    for (const [index, pick] of edits) {
      if (!leaves.length) break;
      const path = leaves[index % leaves.length]!;
      let parent: Record<string | number, unknown> = copy;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      const current = parent[last];
      const pool = SAME_TYPE[current === null ? 'null' : (typeof current as 'string' | 'number' | 'boolean')] ?? SAME_TYPE.null;
      parent[last] = pool[pick % pool.length];
    }
    return copy as T;
  });
}

// ── Slack: the pure normalizers ─────────────────────────────────────────────

const MESSAGE_SUBTYPES = [
  undefined,
  'bot_message',
  'channel_archive',
  'channel_join',
  'channel_leave',
  'channel_name',
  'channel_posting_permissions',
  'channel_purpose',
  'channel_topic',
  'channel_unarchive',
  'channel_convert_to_private',
  'channel_convert_to_public',
  'ekm_access_denied',
  'file_share',
  'group_join',
  'huddle_thread',
  'me_message',
  'message_changed',
  'message_deleted',
  'message_replied',
  'thread_broadcast',
  'assistant_app_thread',
  'pinned_item',
] as const;

const slackTsGood = fc.tuple(fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }), fc.integer({ min: 0, max: 999_999 })).map(([s, us]) => `${s}.${String(us).padStart(6, '0')}`);
/** Timestamps as Slack sends them, and the ones it should not: out of Date's range, negative, not numbers. */
const slackTs = fc.oneof(slackTsGood, fc.constantFrom('1e20', '99999999999999999999.000001', '-1.000000', '0', 'abc', '', ' ', 'Infinity', '8640000000000.000001'), fc.double(), fc.integer());
const channelId = fc.oneof(fc.constantFrom('C0GENERAL', 'C0RANDOM', 'G0PRIVATE', 'D0DIRECT'), fc.string({ maxLength: 12 }));
const userId = fc.oneof(fc.constantFrom('U0AYU', 'U0MOD', 'W0ENTERPRISE'), fc.string({ maxLength: 12 }));
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.constantFrom('<@U0AYU>', 'hi <@U0AYU|ayu> and <@W0X>', '<@', '<!channel>', ''));

const envelopeOf = fc.record(
  {
    team_id: maybe(fc.constantFrom('T0KOPI', 'T0TEH')),
    context_team_id: maybe(fc.constantFrom('T0KOPI', 'T0OTHER')),
    enterprise_id: maybe(fc.constant('E0ORG')),
    event_id: maybe(fc.string({ minLength: 1, maxLength: 12 }).map((s) => `Ev${s}`)),
    event_time: maybe(fc.integer({ min: 1_500_000_000, max: 2_000_000_000 })),
  },
  { requiredKeys: [] },
);

const innerMessage = fc.record(
  { type: fc.constant('message'), subtype: maybe(fc.constantFrom(...MESSAGE_SUBTYPES)), user: maybe(userId), text: maybe(text), ts: maybe(slackTs), bot_id: maybe(fc.constant('B0BOT')), edited: maybe(fc.record({ user: userId, ts: slackTs })) },
  { requiredKeys: [] },
);
const messageEventOf = fc.record(
  {
    type: fc.constant('message'),
    subtype: maybe(fc.constantFrom(...MESSAGE_SUBTYPES)),
    channel: maybe(channelId),
    channel_type: maybe(fc.constantFrom('channel', 'group', 'im', 'mpim')),
    user: maybe(userId),
    text: maybe(text),
    ts: maybe(slackTs),
    event_ts: maybe(slackTs),
    thread_ts: maybe(slackTs),
    bot_id: maybe(fc.constant('B0BOT')),
    files: maybe(fc.array(fc.record({ id: fc.string() }), { maxLength: 3 })),
    hidden: maybe(fc.boolean()),
    message: maybe(innerMessage),
    previous_message: maybe(innerMessage),
    deleted_ts: maybe(slackTs),
  },
  { requiredKeys: ['type'] },
);
const reactionEventOf = fc.record(
  {
    type: fc.constant('reaction_added'),
    user: maybe(userId),
    reaction: maybe(fc.oneof(fc.constantFrom('white_check_mark', '+1', 'kopi::skin-tone-2'), fc.string())),
    item_user: maybe(userId),
    item: maybe(fc.record({ type: maybe(fc.constantFrom('message', 'file', 'file_comment')), channel: maybe(channelId), ts: maybe(slackTs) }, { requiredKeys: [] })),
    event_ts: maybe(slackTs),
  },
  { requiredKeys: ['type'] },
);
const teamJoinEventOf = fc.record(
  {
    type: fc.constant('team_join'),
    event_ts: maybe(slackTs),
    user: maybe(
      fc.record(
        {
          id: maybe(userId),
          name: maybe(fc.string()),
          real_name: maybe(fc.string()),
          is_bot: maybe(fc.boolean()),
          profile: maybe(fc.record({ display_name: maybe(fc.string()), real_name: maybe(fc.string()) }, { requiredKeys: [] })),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['type'] },
);
const channelJoinEventOf = fc.record(
  { type: fc.constant('member_joined_channel'), user: maybe(userId), channel: maybe(channelId), channel_type: maybe(fc.constantFrom('C', 'G')), team: maybe(fc.constant('T0KOPI')), event_ts: maybe(slackTs) },
  { requiredKeys: ['type'] },
);
const slashCommandOf = fc.record(
  {
    token: fc.constant('unused'),
    team_id: maybe(fc.constant('T0KOPI')),
    channel_id: maybe(channelId),
    channel_name: maybe(fc.constantFrom('general', 'directmessage', 'privategroup')),
    user_id: maybe(userId),
    user_name: maybe(fc.string()),
    command: maybe(fc.oneof(fc.constantFrom('/warn', '/poll', '/kopi', '/'), fc.string({ maxLength: 12 }))),
    text: maybe(text),
    response_url: maybe(fc.webUrl()),
    trigger_id: maybe(fc.string({ minLength: 1, maxLength: 16 })),
    api_app_id: fc.constant('A0APP'),
  },
  { requiredKeys: [] },
);
const blockElementOf = fc.record(
  {
    type: maybe(fc.constantFrom('button', 'static_select', 'multi_static_select', 'users_select', 'multi_users_select', 'conversations_select', 'datepicker', 'timepicker', 'checkboxes', 'overflow', 'radio_buttons')),
    action_id: maybe(fc.string({ minLength: 1, maxLength: 16 })),
    block_id: maybe(fc.string()),
    value: maybe(fc.string()),
    action_ts: maybe(slackTs),
    selected_option: maybe(fc.record({ value: maybe(fc.string()) }, { requiredKeys: [] })),
    selected_options: maybe(fc.array(maybe(fc.record({ value: maybe(fc.string()) }, { requiredKeys: [] })), { maxLength: 3 })),
    selected_user: maybe(userId),
    selected_users: maybe(fc.array(maybe(userId), { maxLength: 3 })),
    selected_channel: maybe(channelId),
    selected_date: maybe(fc.constant('2026-11-01')),
  },
  { requiredKeys: [] },
);
const blockActionsOf = fc.record(
  {
    type: fc.constant('block_actions'),
    team: maybe(fc.record({ id: maybe(fc.constant('T0KOPI')), domain: fc.constant('kopi') }, { requiredKeys: [] })),
    user: maybe(fc.record({ id: maybe(userId), team_id: maybe(fc.constant('T0KOPI')), name: fc.string() }, { requiredKeys: [] })),
    channel: maybe(fc.record({ id: maybe(channelId), name: fc.string() }, { requiredKeys: [] })),
    container: maybe(fc.record({ type: fc.constant('message'), channel_id: maybe(channelId), message_ts: maybe(slackTs) }, { requiredKeys: [] })),
    trigger_id: maybe(fc.string({ minLength: 1, maxLength: 16 })),
    response_url: maybe(fc.webUrl()),
    actions: maybe(fc.array(maybe(blockElementOf), { maxLength: 3 })),
  },
  { requiredKeys: ['type'] },
);

/** Any object Bolt could hand over as an event: the shaped ones, and arbitrary JSON objects under the event type. */
const objectWith = (type: string) => fc.dictionary(fc.string({ maxLength: 10 }), json, { maxKeys: 6 }).map((fields) => ({ ...fields, type }));

/** What the Slack adapter adds before it validates (see SlackAdapter#enrich): the platform and the acting member, here without the Web API. */
function enriched(draft: EventDraft): unknown {
  const actor = draft.actor && (draft.actor.known ?? { id: draft.actor.userId, name: draft.actor.userId });
  return { ...draft.body, platform: 'slack', ...(draft.actor && { [draft.actor.field]: actor }), ...(draft.channel && { channelName: draft.channel }) };
}

/** The contract every normalizer keeps: it says what the payload is, with a reason when it is not an event. */
function expectAnswer(outcome: Normalized | { kind: 'refused'; reason: string }): void {
  expect(['event', 'ignored', 'invalid', 'refused']).toContain(outcome.kind);
  if (outcome.kind === 'event') {
    // Whatever the draft holds, validation answers (the adapter drops what does not parse).
    expect(typeof CommunityEventSchema.safeParse(enriched(outcome.draft)).success).toBe('boolean');
  } else {
    expect(typeof outcome.reason).toBe('string');
    expect(outcome.reason.length).toBeGreaterThan(0);
  }
}

const RUNS = { numRuns: Number(process.env.FUZZ_RUNS ?? 400) };
const NOW = new Date('2026-11-01T00:00:00Z');

describe('Slack normalizers under random payloads', () => {
  it('normalizeMessage answers every message event, of every subtype, shaped or not', () => {
    fc.assert(
      fc.property(envelopeOf, fc.oneof(messageEventOf, mutated(messageEventOf), objectWith('message')), (envelope, event) => {
        expectAnswer(normalizeMessage(envelope as never, event as never));
      }),
      RUNS,
    );
  });

  it('normalizeReaction, normalizeTeamJoin and normalizeChannelJoin answer whatever their event holds', () => {
    fc.assert(
      fc.property(
        envelopeOf,
        fc.oneof(reactionEventOf, mutated(reactionEventOf), objectWith('reaction_added')),
        fc.oneof(teamJoinEventOf, mutated(teamJoinEventOf), objectWith('team_join')),
        fc.oneof(channelJoinEventOf, mutated(channelJoinEventOf), objectWith('member_joined_channel')),
        fc.option(channelId, { nil: undefined }),
        (envelope, reaction, join, channelJoin, joinChannel) => {
          expectAnswer(normalizeReaction(envelope as never, reaction as never));
          expectAnswer(normalizeTeamJoin(envelope as never, join as never));
          expectAnswer(normalizeChannelJoin(envelope as never, channelJoin as never, joinChannel));
        },
      ),
      RUNS,
    );
  });

  it('normalizeSlashCommand answers any slash command body: an event, a refusal with the reason, or invalid', () => {
    fc.assert(
      fc.property(fc.oneof(slashCommandOf, mutated(slashCommandOf)), (command) => {
        expectAnswer(normalizeSlashCommand(command as never, commandFromSlackText, NOW));
      }),
      RUNS,
    );
  });

  it('normalizeBlockActions answers every action of any block_actions body', () => {
    fc.assert(
      fc.property(fc.oneof(blockActionsOf, mutated(blockActionsOf), objectWith('block_actions')), (body) => {
        const outcomes = normalizeBlockActions(body as never, NOW);
        expect(Array.isArray(outcomes)).toBe(true);
        for (const outcome of outcomes) expectAnswer(outcome);
      }),
      RUNS,
    );
  });

  it('well-formed payloads of every kind make valid CommunityEvents', () => {
    const wellFormed = fc.record({ channel: fc.constantFrom('C0GENERAL', 'C0RANDOM'), user: fc.constantFrom('U0AYU', 'U0MOD'), text: fc.string({ maxLength: 80 }), ts: slackTsGood, later: slackTsGood });
    fc.assert(
      fc.property(wellFormed, ({ channel, user: who, text: said, ts, later }) => {
        const envelope = { team_id: 'T0KOPI', event_id: 'Ev1', event_time: 1_800_000_000 };
        const outcomes = [
          normalizeMessage(envelope, { type: 'message', channel, user: who, text: said, ts, event_ts: ts, channel_type: 'channel' } as never),
          normalizeMessage(envelope, { type: 'message', subtype: 'message_changed', channel, ts: later, event_ts: later, message: { type: 'message', user: who, text: `${said}!`, ts }, previous_message: { type: 'message', text: said } } as never),
          normalizeMessage(envelope, { type: 'message', subtype: 'message_deleted', channel, ts: later, event_ts: later, deleted_ts: ts } as never),
          normalizeReaction(envelope, { type: 'reaction_added', user: who, reaction: 'white_check_mark', item: { type: 'message', channel, ts }, event_ts: later } as never),
          normalizeTeamJoin(envelope, { type: 'team_join', user: { id: who, name: said || who } } as never),
          normalizeChannelJoin(envelope, { type: 'member_joined_channel', user: who, channel, event_ts: later } as never, channel),
          normalizeSlashCommand({ team_id: 'T0KOPI', channel_id: channel, user_id: who, command: '/kopi', text: 'help', trigger_id: `t.${ts}` } as never, () => ({ command: 'help', options: {} }), NOW),
          ...normalizeBlockActions({ type: 'block_actions', team: { id: 'T0KOPI' }, user: { id: who }, channel: { id: channel }, trigger_id: `t.${ts}`, actions: [{ type: 'button', action_id: 'poll:vote:1', action_ts: later }] } as never, NOW),
        ];
        for (const outcome of outcomes) {
          if (outcome.kind !== 'event') throw new Error(`a well-formed payload was not an event: ${outcome.reason}`);
          const parsed = CommunityEventSchema.safeParse(enriched(outcome.draft));
          if (!parsed.success) throw new Error(`${outcome.draft.body.type}: ${parsed.error.message}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});

// ── through the real adapters: Bolt over HTTP, discord.js over the gateway ──

/** Resolves once `check` holds; the adapters hand events over asynchronously. */
async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Every event a sink received must keep the contract, whatever payload it came from. */
function expectValidEvents(received: CommunityEvent[], platform: 'slack' | 'discord'): void {
  for (const event of received) {
    const parsed = CommunityEventSchema.safeParse(event);
    if (!parsed.success) throw new Error(`an invalid event reached the sink: ${JSON.stringify(event)}: ${parsed.error.message}`);
    expect(event.platform).toBe(platform);
  }
}

describe('the Slack adapter under random signed deliveries', () => {
  let fake: FakeSlack;
  let adapter: SlackAdapter;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let slack: SlackRequestClient;
  const received: CommunityEvent[] = [];

  beforeAll(async () => {
    fake = await new FakeSlack().start();
    seedWorkspace(fake);
    database = await openTestDatabase('pglite');
    adapter = createSlackAdapter({
      auth: { mode: 'token', botToken: TEAM.botToken },
      receiver: { kind: 'http', signingSecret: SIGNING_SECRET },
      apiUrl: fake.apiUrl,
      port: 0,
      host: '127.0.0.1',
      retryConfig: { retries: 1, minTimeout: 5, maxTimeout: 10 },
      prisma: database.database.prisma,
      config: loadConfig(),
      logger: silentLogger,
    });
    await adapter.start(async (event) => {
      received.push(event);
    });
    slack = new SlackRequestClient(`http://127.0.0.1:${adapter.address!.port}/slack/events`, SIGNING_SECRET);
  }, 30_000);
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
    await database?.dispose();
  });

  const teamEnvelope = envelopeOf.map((envelope) => ({ type: 'event_callback', api_app_id: 'A0FAKEAPP', team_id: TEAM.id, ...envelope }));
  // Bolt reads team, user and channel ids itself (authorize, source) before any listener runs, and
  // an object whose toString is no function breaks it there; the pure tests above cover those.
  const hostile = (body: unknown) => !/"(toString|valueOf|__proto__)"/.test(JSON.stringify(body));
  /**
   * Bolt's own routing (App.buildSource) reads `body.user.id` of an action and `event.user.id` of
   * an event whose user is an object (null included), uses `in` on an event's `channel` and `item`,
   * and routes events by their string `type`, all before any listener runs, answering 500 when these
   * are not as Slack always sends them; so they are kept that way here.
   */
  const boltCanRoute = <T extends { kind: string; body: Record<string, unknown> }>(delivery: T): T => {
    const body = delivery.body;
    if (delivery.kind === 'action' && (body.user === null || typeof body.user !== 'object')) return { ...delivery, body: { ...body, user: { id: USERS.ayu } } };
    const event = body.event as Record<string, unknown> | undefined;
    if (delivery.kind === 'event' && event) {
      const routable: Record<string, unknown> = { ...event, type: typeof event.type === 'string' ? event.type : 'message', user: event.user ?? USERS.ayu };
      for (const key of ['channel', 'item'] as const) if (key in routable && typeof routable[key] !== 'string' && (routable[key] === null || typeof routable[key] !== 'object')) delete routable[key];
      return { ...delivery, body: { ...body, event: routable } };
    }
    return delivery;
  };
  const delivery = fc.oneof(
    fc.tuple(teamEnvelope, fc.oneof(messageEventOf, mutated(messageEventOf), reactionEventOf, mutated(reactionEventOf), teamJoinEventOf, mutated(teamJoinEventOf), channelJoinEventOf, objectWith('message'))).map(([envelope, event]) => ({ kind: 'event' as const, body: { ...envelope, event } })),
    fc.oneof(slashCommandOf, mutated(slashCommandOf)).map((body) => ({ kind: 'command' as const, body })),
    // Bolt itself takes `[payload] = body.actions` and reads its action_id before any listener
    // runs: without a non-empty list of objects it answers 500 on its own, so that stays well-formed.
    fc.oneof(blockActionsOf, mutated(blockActionsOf)).map((body) => {
      const actions = (body as { actions?: unknown }).actions;
      const usable = Array.isArray(actions) && actions.length > 0 && actions.every((a) => a !== null && typeof a === 'object' && !Array.isArray(a));
      return { kind: 'action' as const, body: usable ? body : { ...body, actions: [{ type: 'button', action_id: 'poll:vote:1' }] } };
    }),
  )
    .filter(({ body }) => hostile(body))
    .map((d) => boltCanRoute(d as { kind: 'event' | 'command' | 'action'; body: Record<string, unknown> }));
  let markers = 0;

  it('answers every delivery without a server error, hands over only valid events, and still handles a valid message after each batch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(delivery, { minLength: 1, maxLength: 4 }), async (batch) => {
        // At once: a payload no listener takes waits out Bolt's 3-second acknowledgement timeout.
        const responses = await Promise.all(
          batch.map(({ kind, body }) => (kind === 'event' ? slack.sendEvent(body) : kind === 'command' ? slack.sendCommand(body as never) : slack.sendAction(body as never))),
        );
        // Bolt answers 500 when a listener throws before acknowledging: that would be a crash, not a rejection.
        responses.forEach((response, i) => {
          if (response.status >= 500) throw new Error(`${batch[i]!.kind} answered ${response.status}: ${JSON.stringify(batch[i]!.body)}`);
        });
        const ts = `${1_800_000_000 + ++markers}.000001`;
        await slack.sendEvent({ type: 'event_callback', team_id: TEAM.id, event_id: `EvMarker${markers}`, event_time: 1_800_000_000, event: { type: 'message', channel: CHANNELS.general, user: USERS.ayu, text: 'still here', ts, event_ts: ts } });
        await waitUntil(() => received.some((e) => e.id === `${CHANNELS.general}:${ts}`), 'the marker message');
        expectValidEvents(received, 'slack');
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});

describe('the Discord adapter under random gateway dispatches and interactions', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const received: CommunityEvent[] = [];
  const ayuUser = user('Ayu');
  const ayu = { ...member(ayuUser), user: ayuUser };

  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: [{ name: 'Kopi', channels: ['general', 'rules'], roles: ['Moderator'] }] });
    fake.guilds[0]!.members.push(ayu);
    database = await openTestDatabase('pglite');
    adapter = createDiscordAdapter({
      token: 'fake-token',
      apiUrl: fake.restBase,
      prisma: database.database.prisma,
      config: loadConfig(),
      logger: silentLogger,
      restGlobalRequestsPerSecond: 1000,
    });
    await adapter.start(async (event) => {
      received.push(event);
    });
  }, 30_000);
  afterAll(async () => {
    await adapter?.stop();
    await adapter?.dispose();
    await fake?.stop();
    await database?.dispose();
  });

  it('drops what does not normalize, hands over only valid events, and still handles a valid message after each batch', async () => {
    const kopi = fake.guilds[0]!;
    const general = fake.channel('Kopi', 'general');
    const base = { guildId: kopi.id, channel: general, applicationId: fake.applicationId };
    const newcomer = fc.string({ minLength: 1, maxLength: 12 }).map((name) => {
      const who = user(name);
      return { ...member(who), user: who };
    });
    const content = fc.oneof(text, fc.string({ maxLength: 40 }));
    const valid = fc.oneof(
      content.map((said) => [GatewayDispatchEvents.MessageCreate, message({ guildId: kopi.id, channelId: general.id, author: ayu, content: said, replyTo: snowflake() })] as const),
      content.map((said) => [GatewayDispatchEvents.MessageUpdate, { ...message({ guildId: kopi.id, channelId: general.id, author: ayu, content: said }), edited_timestamp: new Date().toISOString() }] as const),
      fc.constant(null).map(() => [GatewayDispatchEvents.MessageDelete, { id: snowflake(), channel_id: general.id, guild_id: kopi.id }] as const),
      fc.string({ maxLength: 8 }).map((emoji) => [GatewayDispatchEvents.MessageReactionAdd, reactionAdd({ guildId: kopi.id, channelId: general.id, messageId: snowflake(), member: ayu, emoji: { name: emoji } })] as const),
      newcomer.map((joined) => [GatewayDispatchEvents.GuildMemberAdd, memberAdd(kopi.id, joined)] as const),
      newcomer.map((left) => [GatewayDispatchEvents.GuildMemberRemove, { guild_id: kopi.id, user: left.user }] as const),
      fc.tuple(fc.constantFrom('kopi', 'warn', 'poll', 'help'), content).map(([name, said]) => [
        GatewayDispatchEvents.InteractionCreate,
        chatInput({ ...base, member: ayu, name, options: [subcommand('create', [stringOption('question', said), userOption('member', ayuUser.id)])] }),
      ] as const),
      fc.string({ maxLength: 20 }).map((customId) => [GatewayDispatchEvents.InteractionCreate, buttonPress({ ...base, member: ayu, customId, message: botMessage(general.id, fake.bot) })] as const),
      fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }).map((values) => [GatewayDispatchEvents.InteractionCreate, selectMenu({ ...base, member: ayu, customId: 'poll:vote', values, message: botMessage(general.id, fake.bot) })] as const),
    );
    // Bit fields discord.js resolves (and throws on) while it builds its structures, and the type tags it dispatches on.
    const parsedByDiscordJs = new Set(['t', 'permissions', 'app_permissions', 'flags', 'type', 'component_type', 'version', 'context', 'authorizing_integration_owners']);
    const dispatch = fc.oneof({ weight: 3, arbitrary: retyped(valid.map(([t, d]) => ({ t, d: d as object })), parsedByDiscordJs) }, { weight: 1, arbitrary: valid.map(([t, d]) => ({ t, d: d as object })) });

    await fc.assert(
      fc.asyncProperty(fc.array(dispatch, { minLength: 1, maxLength: 5 }), async (batch) => {
        for (const { t, d } of batch) if (typeof t === 'string') fake.dispatch(t, d);
        const marker = message({ guildId: kopi.id, channelId: general.id, author: ayu, content: 'still here' });
        fake.dispatch(GatewayDispatchEvents.MessageCreate, marker);
        await waitUntil(() => received.some((e) => e.id === marker.id), 'the marker message');
        expectValidEvents(received, 'discord');
        expect(fake.gatewayOpen).toBe(true);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
import { CommunityEventSchema } from '../../src/contracts/index.js';

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

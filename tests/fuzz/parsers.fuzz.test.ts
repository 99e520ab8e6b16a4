import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseShellLine } from '../../src/adapters/shell/parse-line.js';
import { COMMAND_DEFINITIONS, commandFromSlackText, slackSlashName } from '../../src/commands/index.js';
import { CommunityConfigSchema } from '../../src/config/index.js';
import { ActionSchema, CommunityEventSchema } from '../../src/contracts/index.js';
import { commandArgs, memberReference } from '../../src/engine/command-args.js';
import { Engine } from '../../src/engine/pipeline.js';

// Property tests: random and malformed input to every parser of outside input. Each must either
// accept it with a well-formed result or reject it with a readable reason; none may throw.

const RUNS = { numRuns: 500 };
/** Text as people (and attackers) type it: any Unicode, quotes, colons, mentions, control characters. */
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(fc.constantFrom('"', '“', '”', ':', ' ', 'member:', '<@', '>', '@everyone', '#', 'close', '3', 'yes', '\u200b', '\n', '\\'), { maxLength: 40 }).map((parts) => parts.join('')),
);
const slashName = fc.oneof(fc.constantFrom(...COMMAND_DEFINITIONS.map((d) => `/${slackSlashName(d)}`)), fc.string({ maxLength: 30 }));

describe('command parsers under random input', () => {
  it('commandFromSlackText gives a command and options, or an error message, for any slash name and text', () => {
    fc.assert(
      fc.property(slashName, anyText, (name, text) => {
        const result = commandFromSlackText(name, text);
        if ('error' in result) {
          expect(typeof result.error).toBe('string');
          expect(result.error.length).toBeGreaterThan(0);
          return;
        }
        expect(result.command).toMatch(/^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*$/);
        for (const value of Object.values(result.options)) expect(['string', 'number', 'boolean']).toContain(typeof value);
      }),
      RUNS,
    );
  });

  it("the shell's line parser never throws and always says what the line is", () => {
    fc.assert(
      fc.property(fc.oneof(anyText, anyText.map((t) => `/${t}`)), (line) => {
        const parsed = parseShellLine(line);
        expect(['empty', 'message', 'command']).toContain(parsed.kind);
      }),
      RUNS,
    );
  });

  it('commandArgs splits any free text into the named arguments without losing words', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const event: Parameters<typeof commandArgs>[0] = {
          type: 'command.invoked',
          id: 'c1',
          platform: 'discord',
          community: 'g1',
          at: '2026-11-01T00:00:00Z',
          channel: 'general',
          member: { id: 'u1', name: 'Mod' },
          command: 'warn',
          options: { text },
        };
        const args = commandArgs(event, ['member', 'reason'] as const);
        const joined = [args.member, args.reason].filter(Boolean).join(' ');
        expect(joined.replace(/\s+/g, ' ').trim()).toBe(text.trim().replace(/\s+/g, ' '));
        if (args.member !== undefined) expect(typeof memberReference(args.member)).toBe('string');
      }),
      RUNS,
    );
  });
});

/** JSON-like values with the contracts' field names mixed in, so some inputs get past the first checks. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.oneof(fc.constantFrom('type', 'id', 'platform', 'community', 'at', 'member', 'author', 'channel', 'text', 'command', 'options', 'messageId', 'emoji', 'message', 'cause', 'reason'), fc.string({ maxLength: 8 })),
    tie('value'),
    { maxKeys: 8 },
  ),
}));
const eventLike = fc.record(
  {
    type: fc.constantFrom('member.joined', 'member.left', 'message.created', 'message.edited', 'message.deleted', 'reaction.added', 'command.invoked', 'component.used', 'nope'),
    id: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
    platform: fc.constantFrom('discord', 'slack', 'shell', 'teams'),
    community: fc.string({ maxLength: 10 }),
    at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 30 })),
    member: jsonish.object,
    author: jsonish.object,
    channel: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
    text: fc.oneof(fc.string(), fc.integer()),
    command: fc.string({ maxLength: 20 }),
    options: jsonish.value,
  },
  { requiredKeys: [] },
);

describe('contracts under random input', () => {
  it('a CommunityEvent is parsed or rejected with "path: reason" problems, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(eventLike, jsonish.value), (raw) => {
        const parsed = Engine.parseEvent(raw);
        if (parsed.ok) expect(CommunityEventSchema.safeParse(parsed.event).success).toBe(true);
        else for (const problem of parsed.problems) expect(problem).toMatch(/^[^:]+: .+/);
      }),
      RUNS,
    );
  });

  it('an Action is validated without throwing', () => {
    fc.assert(
      fc.property(jsonish.value, (raw) => {
        const result = ActionSchema.safeParse(raw);
        expect(typeof result.success).toBe('boolean');
      }),
      RUNS,
    );
  });

  it('a community configuration is validated without throwing, and every problem names its path', () => {
    fc.assert(
      fc.property(jsonish.object, (raw) => {
        const result = CommunityConfigSchema.safeParse(raw);
        if (!result.success) for (const issue of result.error.issues) expect(typeof issue.message).toBe('string');
      }),
      { numRuns: 200 },
    );
  });
});

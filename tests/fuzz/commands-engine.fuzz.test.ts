import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_DEFINITIONS, commandFromSlackText, slackSlashName } from '../../src/commands/index.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';

// Every command, with random text and random option values, from a moderator and from a member:
// the engine answers (or refuses) but never fails. A failure here is a crash in a command handler.
describe('every command with random arguments, through the real engine', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await createTestEngine('pglite');
    // Members the random text can name.
    for (const [id, name, roles] of [
      ['u-mod', 'Mod', ['moderator']],
      ['u-ayu', 'Ayu', []],
      ['u-budi', 'Budi', []],
    ] as const) {
      await t.engine.handle({ type: 'member.joined', id: `join-${id}`, platform: 'discord', community: 'g-fuzz', at: '2026-11-01T00:00:00Z', member: { id, name, roles: [...roles] } });
    }
  }, 60_000);
  afterAll(async () => t?.dispose());

  const words = fc.constantFrom('<@u-ayu>', '@Budi', 'u-mod', '#1', '3', '-1', '0', '99999999999999999999', 'yes', 'no', '2h', '30x', 'general', '<#general>', 'spam', 'open', 'done', '"', ':', 'member:u-ayu', 'duration:5m', 'choices:a;b', '@everyone', '');
  const text = fc.oneof(fc.array(words, { maxLength: 6 }).map((w) => w.join(' ')), fc.string({ maxLength: 60 }));

  it('never fails, whoever invokes it', async () => {
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMAND_DEFINITIONS), text, fc.constantFrom('u-mod', 'u-ayu'), async (definition, raw, invoker) => {
        const invocation = commandFromSlackText(slackSlashName(definition), raw);
        if ('error' in invocation) return;
        seq++;
        const outcome = await t.engine.handle({
          type: 'command.invoked',
          id: `fuzz-${seq}`,
          platform: 'discord',
          community: 'g-fuzz',
          at: new Date(Date.UTC(2026, 10, 2, 0, 0, seq)).toISOString(),
          channel: 'general',
          member: { id: invoker, name: invoker, roles: invoker === 'u-mod' ? ['moderator'] : [] },
          command: invocation.command,
          options: invocation.options,
        });
        if (outcome.status === 'failed') throw new Error(`/${invocation.command} ${raw} failed: ${String((outcome.error as Error)?.stack ?? outcome.error)}`);
        expect(outcome.status).toBe('processed');
        expect(outcome.actions.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});

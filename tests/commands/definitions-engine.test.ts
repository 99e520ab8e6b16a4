import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_DEFINITIONS, commandFromSlackText, engineInvocation } from '../../src/commands/index.js';
import type { Action } from '../../src/contracts/index.js';
import { packageRoot } from '../../src/core/paths.js';
import { translate } from '../../src/i18n/index.js';
import { MODERATOR_COMMANDS } from '../../src/engine/moderation/commands.js';
import { createTestEngine, event, type TestEngine } from '../support/test-engine.js';

/** The text of the bot's replies and messages among the actions. */
const textsOf = (actions: Action[]) => actions.map((a) => (a.type === 'reply.ephemeral' || a.type === 'message.send' ? a.message.text : undefined));

/** Every name a command arrives under: each command, and each of its subcommands as "command subcommand". */
const definedNames = COMMAND_DEFINITIONS.flatMap((d) => [d.name, ...(d.plainSubcommand ? [`${d.name} ${d.plainSubcommand.name}`] : []), ...d.subcommands.map((s) => `${d.name} ${s.name}`)]);

/** The command names the engine's handlers compare with, read from their source (the lists are module-private). */
function commandNamesInEngine(): Set<string> {
  const names = new Set<string>(Object.keys(MODERATOR_COMMANDS));
  const engineDir = path.join(packageRoot, 'src/engine');
  const files = readdirSync(engineDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const source = readFileSync(path.join(engineDir, file), 'utf8');
    for (const match of source.matchAll(/event\.command\s*[!=]==\s*'([^']+)'/g)) names.add(match[1]!);
    // `const COMMANDS: Record<string, …> = { rank, leaderboard, intros: introsOptOut, … };`
    for (const block of source.matchAll(/const COMMANDS\b[^;]*?>\s*=\s*\{([^}]*)\}/g)) {
      for (const key of block[1]!.matchAll(/(?:^|,)\s*'?([a-z][a-z ]*)'?\s*(?=[:,]|$)/g)) names.add(key[1]!.trim());
    }
  }
  return names;
}

describe('the command definitions and the engine agree', () => {
  let test: TestEngine;
  const unknownReply = (command: string) => translate('en', 'command.unknown', { command });

  beforeAll(async () => {
    test = await createTestEngine('pglite');
  });
  afterAll(async () => {
    await test.dispose();
  });

  it('finds the engine command names it compares with (a sanity check of the source scan)', () => {
    const names = commandNamesInEngine();
    for (const name of ['warn', 'automod test', 'poll close', 'feedback top', 'questions', 'rank', 'forgetme', 'digest', 'summarize']) expect(names).toContain(name);
  });

  it('defines every command name the engine handles', () => {
    const missing = [...commandNamesInEngine()].filter((name) => !definedNames.includes(name));
    expect(missing).toEqual([]);
  });

  it.each(definedNames)('the engine answers /%s (not with "unknown command")', async (name) => {
    const { command, options } = engineInvocation(name, {});
    const outcome = await test.engine.handle(
      event({ type: 'command.invoked', channel: 'general', member: { id: 'mod1', name: 'Mod', roles: ['moderator', 'manager'] }, command, options }),
    );
    // A handler that took the command and then failed still answers (command.failed): routing is what this checks.
    expect(['processed', 'failed']).toContain(outcome.status);
    expect(outcome.actions.length).toBeGreaterThan(0);
    expect(textsOf(outcome.actions)).not.toContain(unknownReply(command));
  });

  it('an invocation typed on Slack reaches the handler it names: /poll close 99 is "no poll #99", /guyub-feedback show FB-7 "no FB-7"', async () => {
    const send = async (slash: string, text: string) => {
      const invocation = commandFromSlackText(slash, text);
      if ('error' in invocation) throw new Error(invocation.error);
      const outcome = await test.engine.handle(
        event({ type: 'command.invoked', platform: 'slack', community: 'T1', channel: 'C1', member: { id: 'U1', name: 'Ayu' }, ...invocation }),
      );
      return textsOf(outcome.actions).join('\n');
    };
    expect(await send('/poll', 'close 99')).toBe(translate('en', 'polls.error.notFound', { number: 99 }));
    expect(await send('/guyub-feedback', 'show FB-7')).toBe(translate('en', 'feedback.error.notFound', { ref: 'FB-7' }));
  });
});

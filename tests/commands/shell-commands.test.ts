import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShellSession } from '../../src/adapters/shell/shell-session.js';
import { parseShellLine } from '../../src/adapters/shell/parse-line.js';
import { COMMAND_DEFINITIONS } from '../../src/commands/index.js';
import type { Locale } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { translate } from '../../src/i18n/index.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';

describe("the shell's /commands and its reading of the bot's commands", () => {
  let test: TestEngine;

  beforeAll(async () => {
    test = await createTestEngine('pglite');
  });
  afterAll(async () => {
    await test.dispose();
  });

  /** Runs lines through a real shell session on the test engine and returns what it printed. */
  async function shell(lines: string[], locale: Locale = 'en'): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
    const session = new ShellSession({ engine: test.engine, prisma: test.database.prisma, clock: test.clock, logger: silentLogger, locale, input, output, interactive: false });
    const done = session.run();
    input.end(lines.map((l) => `${l}\n`).join(''));
    await done;
    return printed;
  }

  it('lists every command with how to type it and its English description', async () => {
    const printed = await shell(['/commands']);
    for (const definition of COMMAND_DEFINITIONS) {
      expect(printed).toContain(`\n/${definition.name}`);
      expect(printed).toContain(`    ${definition.description.en}`);
    }
    expect(printed).toContain('/timeout <member> <duration> [reason]\n    Time a member out for a while (moderators)\n');
    expect(printed).toContain('    /poll close: Close a poll now (its author or a moderator)\n');
  });

  it('lists them in Indonesian when the shell speaks Indonesian', async () => {
    const printed = await shell(['/commands'], 'id');
    expect(printed).toContain('Perintah bot');
    for (const definition of COMMAND_DEFINITIONS) expect(printed).toContain(`    ${definition.description.id}`);
    expect(printed).toContain('Ringkasan harian untuk pengelola (pengelola)');
  });

  it('sends /poll close 3 as the subcommand it names, refuses a bad option value itself, and leaves unknown commands to the engine', async () => {
    const printed = await shell(['/join Ayu', '/poll close 3', '/timeout bob duration:forever', '/feedback show FB-4', '/ping']);
    expect(printed).toContain(translate('en', 'polls.error.notFound', { number: 3 }));
    expect(printed).toContain('/timeout: option duration: a duration such as 30m, 2h or 3d (got "forever")\n');
    expect(printed).toContain(translate('en', 'feedback.error.notFound', { ref: 'FB-4' }));
    expect(printed).toContain(translate('en', 'command.unknown', { command: 'ping' }));
  });

  it('keeps the text after a command\'s name as typed, for the definitions to read', () => {
    expect(parseShellLine('/warn  ayu reason:"two words"  now')).toEqual({
      kind: 'command',
      name: 'warn',
      args: ['ayu', 'now'],
      options: { reason: 'two words' },
      rest: 'ayu reason:"two words"  now',
    });
  });
});

import { Writable } from 'node:stream';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../../../src/adapters/replay/replay-file.js';
import { ActionSchema, type Action } from '../../../src/contracts/index.js';
import { packageRoot } from '../../../src/core/paths.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createTestEngine } from '../../support/test-engine.js';

const fixtures = path.join(packageRoot, 'tests/fixtures/moderation');

/** Replays a fixture with the default configuration and returns every action it printed. */
async function replay(name: string): Promise<Action[]> {
  const t = await createTestEngine('pglite', { start: new Date(0) });
  let output = '';
  const out = new Writable({ write: (chunk, _e, done) => ((output += String(chunk)), done()) });
  const err = new Writable({ write: (_c, _e, done) => done() });
  try {
    const summary = await replayFile({ file: path.join(fixtures, name), engine: t.engine, clock: t.clock, scheduler: t.scheduler, logger: silentLogger, json: true, out, err });
    expect(summary.badLines + summary.failedEvents).toBe(0);
  } finally {
    await t.dispose();
  }
  return output.trim().split('\n').map((line) => ActionSchema.parse(JSON.parse(line)));
}

const caseCards = (actions: Action[]) =>
  actions.flatMap((a) => (a.type === 'message.send' && a.channel === 'mod-log' && /^\*\*Case #/.test(a.message.text) ? [a.message.text] : []));

describe('replaying abuse with the default configuration', () => {
  it('deletes the flood, the hidden banned word and the mass mention, opens their cases, escalates and alerts on the raid', async () => {
    const actions = await replay('abuse.jsonl');
    const deletes = actions.filter((a) => a.type === 'message.delete');
    // Dewi's ten near-identical messages (e015–e024): repeats from the 3rd, flood from the 7th;
    // then Budi's hidden banned word (e025) and Citra's mass mention (e026).
    expect(deletes.map((a) => a.cause)).toEqual(['e017', 'e018', 'e019', 'e020', 'e021', 'e022', 'e023', 'e024', 'e025', 'e026']);
    const cards = caseCards(actions);
    expect(cards).toHaveLength(11);
    expect(cards.filter((text) => !text.endsWith('Automod'))).toEqual(['**Case #4** · Timeout']);
    // Three infractions within ten minutes: the burst trigger times Dewi out for an hour, once.
    expect(actions.filter((a) => a.type === 'member.timeout')).toEqual([expect.objectContaining({ member: 'dewi', seconds: 3600, cause: 'e019' })]);
    const alerts = actions.filter((a) => a.type === 'message.send' && a.message.text.includes('Possible join raid'));
    expect(alerts).toHaveLength(1);
  });

  it('does nothing of the kind to the same conversation without the abuse', async () => {
    const actions = await replay('clean.jsonl');
    // Only messages: no deletes, timeouts, kicks or bans; and no case or raid alert among them.
    expect(actions.filter((a) => a.type !== 'message.send')).toEqual([]);
    expect(caseCards(actions)).toEqual([]);
    expect(actions.filter((a) => a.type === 'message.send' && a.message.text.includes('Possible join raid'))).toEqual([]);
    expect(actions.filter((a) => a.type === 'message.send' && a.channel === 'general' && a.message.text.startsWith('Welcome to '))).toHaveLength(4);
  });
});

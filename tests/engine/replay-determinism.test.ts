import { Writable } from 'node:stream';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../../src/adapters/replay/replay-file.js';
import { packageRoot } from '../../src/core/paths.js';
import { silentLogger } from '../../src/core/logger.js';
import { createTestEngine } from '../support/test-engine.js';

/** Replays a file on a fresh database with every capability on, and returns what it printed. */
async function replayOnce(file: string): Promise<string> {
  const t = await createTestEngine('pglite', { start: new Date(0) });
  let output = '';
  const out = new Writable({ write: (chunk, _e, done) => ((output += String(chunk)), done()) });
  const err = new Writable({ write: (_c, _e, done) => done() });
  try {
    await replayFile({ file, engine: t.engine, clock: t.clock, scheduler: t.scheduler, logger: silentLogger, json: true, out, err });
  } finally {
    await t.dispose();
  }
  return output;
}

describe('replay', () => {
  it.each(['moderation/abuse.jsonl', 'questions/day.jsonl', 'polls/meetup-poll.jsonl'])(
    'gives byte-identical actions, generated ids included, when %s is replayed twice',
    async (name) => {
      const file = path.join(packageRoot, 'tests/fixtures', name);
      const first = await replayOnce(file);
      expect(first.split('\n').length).toBeGreaterThan(3);
      expect(await replayOnce(file)).toBe(first);
    },
  );
});

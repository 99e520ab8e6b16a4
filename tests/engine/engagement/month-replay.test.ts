import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { replayFile } from '../../../src/adapters/replay/replay-file.js';
import { ActionSchema, type Action } from '../../../src/contracts/index.js';
import { packageRoot } from '../../../src/core/paths.js';
import { silentLogger } from '../../../src/core/logger.js';
import { createTestEngine } from '../../support/test-engine.js';

const fixtures = path.join(packageRoot, 'tests/fixtures/engagement');
const config = readFileSync(path.join(fixtures, 'config.yaml'), 'utf8');
const temp = mkdtempSync(path.join(tmpdir(), 'guyub-month-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** `guyub replay` of a file, in process, with every capability and the fixture's configuration. */
async function replay(file: string): Promise<Action[]> {
  const t = await createTestEngine('pglite', { start: new Date(0), configFiles: { 'communities/g1.yaml': `community: g1\n${config}` } });
  let output = '';
  const out = new Writable({ write: (chunk, _e, done) => ((output += String(chunk)), done()) });
  const err = new Writable({ write: (_c, _e, done) => done() });
  try {
    const summary = await replayFile({ file, engine: t.engine, clock: t.clock, scheduler: t.scheduler, logger: silentLogger, json: true, out, err, until: new Date('2026-12-01T00:00:00Z') });
    expect(summary.badLines + summary.failedEvents).toBe(0);
  } finally {
    await t.dispose();
  }
  return output.trim().split('\n').map((line) => ActionSchema.parse(JSON.parse(line)));
}

const rolesGiven = (actions: Action[], member: string) => actions.flatMap((a) => (a.type === 'role.add' && a.member === member ? [a.role] : []));

describe('replaying a month of activity', () => {
  it('promotes the helper up every tier and nominates them; a moderator’s Approve on the card adds the ambassador role', async () => {
    const month = path.join(fixtures, 'month.jsonl');
    const first = await replay(month);
    expect(rolesGiven(first, 'helper')).toEqual(['member', 'regular', 'champion']);
    expect(rolesGiven(first, 'budi')).toEqual(['member', 'regular']);
    // Askers hover at the member threshold as their score decays: the demotion margin keeps them from flapping.
    expect(first.filter((a) => a.type === 'role.remove' && a.member.startsWith('asker'))).toEqual([]);
    const cards = first.filter((a): a is Extract<Action, { type: 'message.send' }> => a.type === 'message.send' && Boolean(a.message.buttons?.length));
    expect(cards.map((c) => [c.channel, c.message.text])).toEqual([['mod-log', '**Ambassador nomination:** <@helper> (found by the weekly scan)']]);

    // The same month, then a moderator presses Approve on that card (its id is deterministic).
    const approveId = cards[0]!.message.buttons![0]!.id;
    const press = { type: 'component.used', id: 'approve-1', platform: 'discord', community: 'g1', at: '2026-11-30T12:00:00Z', channel: 'mod-log', member: { id: 'mod', name: 'Mod', roles: ['moderator'] }, componentId: approveId };
    const withApproval = path.join(temp, 'month-approved.jsonl');
    writeFileSync(withApproval, `${readFileSync(month, 'utf8')}${JSON.stringify(press)}\n`);
    const second = await replay(withApproval);
    const approval = second.filter((a) => a.cause === 'approve-1');
    expect(approval).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'role.add', member: 'helper', role: 'ambassador' })]));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import { buttonClick, slackTs, slashCommand } from '../../support/fake-slack/payloads.js';
import { blockText, CHANNELS, startHarness, TEAM, USERS, type SlackHarness } from './harness.js';

// A small memory of invokers and a short response_url timeout, so that both limits show quickly.
let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness({ adapter: { rememberedInvokers: 2, responseUrlTimeoutMs: 300 } });
}, 30_000);
afterAll(async () => {
  await h?.dispose();
});

let causes = 0;
const ephemeral = (member: string, text: string): Action => ({ type: 'reply.ephemeral', platform: 'slack', community: TEAM.id, cause: `test-${++causes}`, member, message: { text } });

async function click(member: string): Promise<void> {
  const payload = buttonClick({ team: TEAM.id, channel: CHANNELS.general, user: member, actionId: 'poll:999:1:nonce', messageTs: slackTs(), responseUrl: `${h.fake.url}/response/${member}` });
  expect((await h.slack.sendAction(payload)).status).toBe(200);
  await h.waitForEvent((e) => e.id === `act:${payload.trigger_id}`);
  await h.settled();
}

describe('where ephemeral answers go', () => {
  it('remembers only the most recently active members’ button presses, within the bound', async () => {
    // Bound 2: ayu, budi, ayu again, then mira: budi is the least recently active and is forgotten.
    for (const member of [USERS.ayu, USERS.budi, USERS.ayu, USERS.mod]) await click(member);
    h.fake.calls.length = 0;
    await h.adapter.execute([ephemeral(USERS.ayu, 'for ayu'), ephemeral(USERS.budi, 'for budi'), ephemeral(USERS.mod, 'for mira')]);
    expect(h.fake.callsOf('chat.postEphemeral').map((c) => [c.args.user, c.args.channel])).toEqual([
      [USERS.ayu, CHANNELS.general],
      [USERS.mod, CHANNELS.general],
    ]);
    // Forgotten: the answer reaches budi by DM.
    expect(h.fake.callsOf('conversations.open').map((c) => c.args.users)).toEqual([USERS.budi]);
  });

  it('gives up on a response_url that does not answer in time and reports it in the mod log, without the URL', async () => {
    const url = `${h.fake.url}/response/hangs-${slackTs()}`;
    h.fake.delay('response_url', { ms: 5_000, when: (args) => url.endsWith(String(args.id)) });
    // The app is not in #outside: the answer to /rank can only go through the response_url.
    const command = slashCommand({ team: TEAM.id, channel: CHANNELS.outside, channelName: 'outside', user: USERS.budi, userName: 'budi', command: '/rank', text: '', responseUrl: url });
    const started = Date.now();
    await h.slack.sendCommand(command);
    await h.waitForEvent((e) => e.id === `cmd:${command.trigger_id}`);
    await h.fake.waitForCall('response_url', (args) => url.endsWith(String(args.id)));
    const report = await h.fake.waitForCall('chat.postMessage', (args) => args.channel === CHANNELS.modLog && blockText(args).includes('reply.ephemeral'), 3_000);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(blockText(report.args)).toContain('response_url did not answer within 300 ms after chat.postEphemeral failed (not_in_channel)');
    expect(JSON.stringify(report.args)).not.toContain('hangs-');
  });
});

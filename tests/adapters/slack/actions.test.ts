import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import { envelope, messageEvent, slashCommand, slackTs } from '../../support/fake-slack/payloads.js';
import { blockText, CHANNELS, GROUPS, startHarness, TEAM, USERS, type SlackHarness } from './harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
}, 30_000);
afterAll(async () => {
  await h?.dispose();
});
beforeEach(() => {
  h.fake.calls.length = 0;
});

let causes = 0;
function action<T extends Action>(body: Omit<T, 'platform' | 'community' | 'cause'>): Action {
  return { platform: 'slack', community: TEAM.id, cause: `test-${++causes}`, ...body } as unknown as Action;
}

const postsTo = (channel: string) => h.fake.callsOf('chat.postMessage').filter((c) => c.args.channel === channel);

describe('actions through the Web API', () => {
  it('sends to a channel id and to a channel name, in a thread, and replies in the thread of a message', async () => {
    await h.adapter.execute([
      action({ type: 'message.send', channel: CHANNELS.random, message: { text: 'by id' } }),
      action({ type: 'message.send', channel: 'general', message: { text: 'by name' } }),
      action({ type: 'message.send', channel: CHANNELS.random, thread: '1800000000.000001', message: { text: 'in a thread', startThread: true } }),
      action({ type: 'message.send', channel: CHANNELS.random, replyTo: '1800000000.000002', message: { text: 'a reply' } }),
    ]);
    const posts = h.fake.callsOf('chat.postMessage');
    expect(posts.map((c) => [c.args.channel, c.args.text, c.args.thread_ts])).toEqual([
      [CHANNELS.random, 'by id', undefined],
      [CHANNELS.general, 'by name', undefined],
      [CHANNELS.random, 'in a thread', '1800000000.000001'],
      [CHANNELS.random, 'a reply', '1800000000.000002'],
    ]);
    expect(h.fake.callsOf('conversations.list').length).toBeLessThanOrEqual(1);
  });

  it('DMs a member through conversations.open', async () => {
    await h.adapter.execute([action({ type: 'message.send', member: USERS.budi, message: { text: 'just for you' } })]);
    const open = h.fake.callsOf('conversations.open')[0]!;
    expect(open.args.users).toBe(USERS.budi);
    const dm = h.fake.callsOf('chat.postMessage')[0]!;
    expect(String(dm.args.channel)).toMatch(/^D/);
  });

  it('remembers a keyed message and edits that very message later (chat.update)', async () => {
    await h.adapter.execute([action({ type: 'message.send', channel: CHANNELS.general, key: 'poll:7', message: { text: 'Tally: 0', buttons: [{ id: 'poll:7:1:n', label: 'Tea', style: 'success' }] } })]);
    const sent = h.fake.callsOf('chat.postMessage')[0]!;
    const row = await h.test.database.prisma.platformMessage.findFirst({ where: { key: 'poll:7' } });
    expect(row).toMatchObject({ channelExternalId: CHANNELS.general });
    await h.adapter.execute([action({ type: 'message.edit', key: 'poll:7', message: { text: 'Tally: 1' } })]);
    const update = h.fake.callsOf('chat.update')[0]!;
    expect(update.args).toMatchObject({ channel: CHANNELS.general, ts: row!.messageExternalId, text: 'Tally: 1' });
    expect(sent.args.blocks).toContainEqual({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'poll:7:1:n', value: 'poll:7:1:n', text: { type: 'plain_text', text: 'Tea', emoji: true }, style: 'primary' }],
    });
  });

  it('renders markdown as mrkdwn without letting text ping @channel', async () => {
    await h.adapter.execute([
      action({
        type: 'message.send',
        channel: CHANNELS.general,
        message: { text: '**Heads up** <@&moderator>: see [the rules](https://example.org/rules) in <#rules> & <#nowhere>, said <@U0AYU>: <!channel> 1 < 2', fields: [{ name: 'Score', value: '**42**' }] },
      }),
    ]);
    const text = blockText(h.fake.callsOf('chat.postMessage')[0]!.args);
    expect(text).toContain(`*Heads up* <!subteam^${GROUPS.moderators}>: see <https://example.org/rules|the rules> in <#${CHANNELS.rules}> &amp; #nowhere, said <@U0AYU>: &lt;!channel&gt; 1 &lt; 2`);
    expect(text).toContain('*Score*\n*42*');
  });

  it('adds a permalink for the `link` extra', async () => {
    await h.adapter.execute([action({ type: 'message.send', channel: CHANNELS.general, message: { text: 'An unanswered question' }, link: { channel: CHANNELS.random, messageId: '1800000000.000123' } })]);
    expect(h.fake.callsOf('chat.getPermalink')[0]!.args).toMatchObject({ channel: CHANNELS.random, message_ts: '1800000000.000123' });
    expect(blockText(h.fake.callsOf('chat.postMessage')[0]!.args)).toContain(`<https://kopi.slack.com/archives/${CHANNELS.random}/p1800000000000123|View the message>`);
  });

  it('uploads a stored image (files.uploadV2) and an attachment into the message’s channel', async () => {
    const community = await h.test.database.prisma.community.upsert({ where: { platform_externalId: { platform: 'slack', externalId: TEAM.id } }, create: { platform: 'slack', externalId: TEAM.id }, update: {} });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const image = await h.test.database.prisma.storedImage.create({ data: { communityId: community.id, name: 'poll-1.png', contentType: 'image/png', bytes: png, createdAt: new Date() } });
    await h.adapter.execute([
      action({ type: 'message.send', channel: CHANNELS.general, message: { text: 'Results', image: { name: 'poll-1.png', contentType: 'image/png', storedImageId: image.id } } }),
      action({ type: 'message.send', member: USERS.ayu, message: { text: 'Your data' }, attachment: { name: 'mydata.json', contentType: 'application/json', text: '{"a":1}' } }),
    ]);
    expect(h.fake.callsOf('files.getUploadURLExternal').map((c) => c.args.filename)).toEqual(['poll-1.png', 'mydata.json']);
    const completes = h.fake.callsOf('files.completeUploadExternal');
    expect(completes[0]!.args.channel_id).toBe(CHANNELS.general);
    expect(String(completes[1]!.args.channel_id)).toMatch(/^D/);
    expect(h.fake.uploads.find((u) => u.filename === 'poll-1.png')!.bytes.equals(png)).toBe(true);
    expect(h.fake.uploads.find((u) => u.filename === 'mydata.json')!.bytes.toString()).toBe('{"a":1}');
  });

  it('answers ephemerally where the member last used a command, else by DM', async () => {
    const command = slashCommand({ team: TEAM.id, channel: CHANNELS.random, channelName: 'random', user: USERS.ayu, userName: 'ayu', command: '/rank', text: '', responseUrl: `${h.fake.url}/response/x` });
    await h.slack.sendCommand(command);
    await h.waitForEvent((e) => e.id === `cmd:${command.trigger_id}`);
    h.fake.calls.length = 0;
    await h.adapter.execute([action({ type: 'reply.ephemeral', member: USERS.ayu, message: { text: 'only you' } }), action({ type: 'reply.ephemeral', member: USERS.admin, message: { text: 'no command yet' } })]);
    expect(h.fake.callsOf('chat.postEphemeral').map((c) => [c.args.channel, c.args.user])).toEqual([[CHANNELS.random, USERS.ayu]]);
    expect(h.fake.callsOf('conversations.open')[0]!.args.users).toBe(USERS.admin);
  });

  it('deletes its own message, and reports a refused deletion of a member’s message in the mod log', async () => {
    await h.adapter.execute([action({ type: 'message.send', channel: CHANNELS.random, message: { text: 'oops' } })]);
    const ownTs = [...h.fake.messages.values()].find((m) => m.text === 'oops')!.ts;
    const memberTs = slackTs();
    await h.adapter.execute([
      action({ type: 'message.delete', channel: CHANNELS.random, messageId: ownTs, reason: 'cleanup' }),
      action({ type: 'message.delete', channel: CHANNELS.random, messageId: memberTs, reason: 'spam' }),
    ]);
    expect(h.fake.callsOf('chat.delete').map((c) => c.args.ts)).toEqual([ownTs, memberTs]);
    const report = postsTo(CHANNELS.modLog).at(-1)!;
    expect(blockText(report.args)).toContain('message.delete');
    expect(blockText(report.args)).toContain('cant_delete_message');
  });

  it('maps the engine’s message ids (<channel>:<ts>) back to channel and ts for delete, edit, replies and permalinks', async () => {
    await h.adapter.execute([action({ type: 'message.send', channel: CHANNELS.random, message: { text: 'to be edited' } })]);
    const ownTs = [...h.fake.messages.values()].find((m) => m.text === 'to be edited')!.ts;
    h.fake.calls.length = 0;
    await h.adapter.execute([
      action({ type: 'message.edit', messageId: `${CHANNELS.random}:${ownTs}`, message: { text: 'edited' } }),
      action({ type: 'message.send', channel: CHANNELS.random, replyTo: `${CHANNELS.random}:${ownTs}`, message: { text: 'a reply' } }),
      action({ type: 'message.send', channel: CHANNELS.general, message: { text: 'see this' }, link: { channel: CHANNELS.random, messageId: `${CHANNELS.random}:1800000000.000777` } }),
      action({ type: 'message.delete', channel: CHANNELS.random, messageId: `${CHANNELS.random}:${ownTs}`, reason: 'cleanup' }),
    ]);
    expect(h.fake.callsOf('chat.update')[0]!.args).toMatchObject({ channel: CHANNELS.random, ts: ownTs, text: 'edited' });
    expect(h.fake.callsOf('chat.postMessage')[0]!.args).toMatchObject({ channel: CHANNELS.random, thread_ts: ownTs });
    expect(h.fake.callsOf('chat.getPermalink')[0]!.args).toMatchObject({ channel: CHANNELS.random, message_ts: '1800000000.000777' });
    expect(h.fake.callsOf('chat.delete')[0]!.args).toMatchObject({ channel: CHANNELS.random, ts: ownTs });
    expect(postsTo(CHANNELS.modLog)).toHaveLength(0);
  });

  it('kicks from the channels the app shares with the member (not #general) and tells the mod log', async () => {
    await h.adapter.execute([action({ type: 'member.kick', member: USERS.budi, reason: 'raid account' })]);
    expect(h.fake.callsOf('users.conversations')[0]!.args.user).toBe(USERS.budi);
    const kicked = h.fake.callsOf('conversations.kick').map((c) => c.args.channel).sort();
    expect(kicked).toEqual([CHANNELS.intros, CHANNELS.outside, CHANNELS.random, CHANNELS.rules].sort());
    expect(blockText(postsTo(CHANNELS.modLog).at(-1)!.args)).toContain(`<@${USERS.budi}> was removed from 4 channel(s): raid account`);
  });

  it('turns timeouts, bans, their lifting and entry restrictions into mod-log notices (Slack has none for apps)', async () => {
    await h.adapter.execute([
      action({ type: 'member.timeout', member: USERS.ayu, seconds: 600, reason: 'flood' }),
      action({ type: 'member.ban', member: USERS.ayu, reason: 'hate' }),
      action({ type: 'member.untimeout', member: USERS.ayu, reason: 'appeal' }),
      action({ type: 'member.unban', member: USERS.ayu, reason: 'appeal' }),
      action({ type: 'entry.restrict', mode: 'lock', reason: '12 joins in 60 s' }),
    ]);
    const notices = postsTo(CHANNELS.modLog).map((c) => blockText(c.args));
    expect(notices).toHaveLength(5);
    expect(notices[0]).toContain(`*Timeout needed* for <@${USERS.ayu}> (10m): flood`);
    expect(notices[1]).toContain(`*Ban needed* for <@${USERS.ayu}>: hate`);
    expect(notices[2]).toContain('timeout is lifted: appeal');
    expect(notices[3]).toContain('is unbanned: appeal');
    expect(notices[4]).toContain('*Raid*: 12 joins in 60 s');
    expect(h.fake.callsOf('conversations.kick')).toHaveLength(0);
  });

  it('gives and takes roles through the mapped user group, and reports a role without a group', async () => {
    await h.adapter.execute([action({ type: 'role.add', member: USERS.ayu, role: 'moderator', reason: 'trusted' })]);
    expect(h.fake.callsOf('usergroups.users.update')[0]!.args).toMatchObject({ usergroup: GROUPS.moderators, users: `${USERS.mod},${USERS.ayu}` });
    await h.adapter.execute([action({ type: 'role.remove', member: USERS.ayu, role: 'moderator', reason: 'stepped down' })]);
    expect(h.fake.callsOf('usergroups.users.update')[1]!.args).toMatchObject({ usergroup: GROUPS.moderators, users: USERS.mod });
    // A role named like a group's handle maps to it without configuration.
    await h.adapter.execute([action({ type: 'role.add', member: USERS.budi, role: 'champion', reason: 'tier' })]);
    expect(h.fake.callsOf('usergroups.users.update')[2]!.args).toMatchObject({ usergroup: GROUPS.champions, users: USERS.budi });
    await h.adapter.execute([action({ type: 'role.add', member: USERS.budi, role: 'regular', reason: 'tier' })]);
    expect(h.fake.callsOf('usergroups.users.update')).toHaveLength(3);
    expect(blockText(postsTo(CHANNELS.modLog).at(-1)!.args)).toContain('no user group for the role "regular" (looked for @regular)');
  });
});

describe('retries and failures', () => {
  it('waits out a 429 (Retry-After) and posts once', async () => {
    h.fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    await h.adapter.execute([action({ type: 'message.send', channel: CHANNELS.random, message: { text: 'after the rate limit' } })]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(2);
    expect([...h.fake.messages.values()].filter((m) => m.text === 'after the rate limit')).toHaveLength(1);
    expect(postsTo(CHANNELS.modLog)).toHaveLength(0);
  });

  it('retries a 500 once and posts once', async () => {
    h.fake.fail('chat.postMessage', { status: 500 });
    await h.adapter.execute([action({ type: 'message.send', channel: CHANNELS.random, message: { text: 'after a 500' } })]);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(2);
    expect([...h.fake.messages.values()].filter((m) => m.text === 'after a 500')).toHaveLength(1);
  });

  it('reports a failed action in the mod log and goes on with the next one, but never reports a failed mod-log post there', async () => {
    h.fake.fail('chat.postMessage', { error: 'is_archived' });
    await h.adapter.execute([
      action({ type: 'message.send', channel: CHANNELS.random, message: { text: 'to an archived channel' } }),
      action({ type: 'message.send', channel: CHANNELS.general, message: { text: 'next one' } }),
    ]);
    expect(blockText(postsTo(CHANNELS.modLog)[0]!.args)).toContain(`Could not carry out message.send (<#${CHANNELS.random}>): An API error occurred: is_archived`);
    expect(postsTo(CHANNELS.general)).toHaveLength(1);

    h.fake.calls.length = 0;
    h.fake.fail('chat.postMessage', { error: 'is_archived' });
    await h.adapter.execute([action({ type: 'message.send', channel: 'mod-log', message: { text: 'a case' } })]);
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('carries out the actions of an engine-handled message event (automod deletion is reported when Slack refuses it)', async () => {
    const spam = envelope(TEAM.id, messageEvent({ channel: CHANNELS.random, user: USERS.budi, text: 'join my server discord.gg/abcdef' }));
    await h.slack.sendEvent(spam);
    const { outcome } = await h.waitForEvent((e) => e.id === `${CHANNELS.random}:${spam.event.ts}`);
    expect(outcome.actions).toContainEqual(expect.objectContaining({ type: 'message.delete', channel: CHANNELS.random, messageId: `${CHANNELS.random}:${spam.event.ts}` }));
    await h.fake.waitForCall('chat.delete', (args) => args.channel === CHANNELS.random && args.ts === spam.event.ts);
  });
});

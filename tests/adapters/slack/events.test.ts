import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockText, CHANNELS, startHarness, TEAM, USERS, type SlackHarness } from './harness.js';
import {
  botMessage,
  buttonClick,
  channelJoinNotice,
  envelope,
  memberJoinedChannel,
  messageChanged,
  messageDeleted,
  messageEvent,
  reactionAdded,
  slashCommand,
  slackTs,
  staticSelect,
  teamJoin,
} from '../../support/fake-slack/payloads.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
}, 30_000);
afterAll(async () => {
  await h?.dispose();
});

const responseUrl = () => `${h.fake.url}/response/${Math.random().toString(36).slice(2)}`;

/** The engine's id of a message: its channel and its ts (ts is unique only within a channel). */
const messageId = (message: { channel: string; ts: string }) => `${message.channel}:${message.ts}`;

describe('Slack events reach the engine as CommunityEvents', () => {
  it('welcomes a member who joins the workspace (team_join) in #general, naming the workspace', async () => {
    const join = envelope(TEAM.id, teamJoin({ team: TEAM.id, id: 'U0NEW', name: 'sari', displayName: 'Sari' }));
    const response = await h.slack.sendEvent(join);
    expect(response.status).toBe(200);
    const { event, outcome } = await h.waitForEvent((e) => e.id === join.event_id);
    expect(event).toMatchObject({ type: 'member.joined', platform: 'slack', community: TEAM.id, communityName: 'Kopi', member: { id: 'U0NEW', name: 'Sari', bot: false } });
    expect(event).not.toHaveProperty('member.accountCreatedAt');
    expect(outcome.status).toBe('processed');
    const welcome = await h.fake.waitForCall('chat.postMessage', (args) => args.channel === CHANNELS.general && String(args.text).includes('<@U0NEW>'));
    expect(welcome.token).toBe(TEAM.botToken);
    expect(blockText(welcome.args)).toContain('Welcome to Kopi, <@U0NEW>!');
    expect(blockText(welcome.args)).toContain(`<#${CHANNELS.rules}>`);
  });

  it('turns a thread reply into message.created with thread, replyTo, mentions, attachments, names and roles', async () => {
    const parentTs = slackTs();
    await h.slack.sendEvent(envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.ayu, text: 'How do I brew a V60?', ts: parentTs })));
    const reply = envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.mod, text: 'Ask <@U0AYU|ayu> and <@U0BUDI>, see the photo', thread_ts: parentTs, files: 2 }));
    await h.slack.sendEvent(reply);
    const { event } = await h.waitForEvent((e) => e.id === messageId(reply.event));
    expect(event).toMatchObject({
      type: 'message.created',
      channel: CHANNELS.general,
      channelName: 'general',
      thread: `${CHANNELS.general}:${parentTs}`,
      replyTo: `${CHANNELS.general}:${parentTs}`,
      mentions: [USERS.ayu, USERS.budi],
      attachments: 2,
      author: { id: USERS.mod, name: 'Mira (mod)', bot: false, roles: ['moderator', 'moderators'] },
    });
    const parent = await h.waitForEvent((e) => e.id === `${CHANNELS.general}:${parentTs}`);
    expect(parent.event).not.toHaveProperty('thread');
    expect(parent.event).toMatchObject({ author: { id: USERS.ayu, name: 'Ayu', roles: [] } });
  });

  it('gives workspace admins the admin role and uses the real name when there is no display name', async () => {
    const byAdmin = envelope(TEAM.id, messageEvent({ channel: CHANNELS.random, user: USERS.admin, text: 'hello' }));
    const byBudi = envelope(TEAM.id, messageEvent({ channel: CHANNELS.random, user: USERS.budi, text: 'hi' }));
    await h.slack.sendEvent(byAdmin);
    await h.slack.sendEvent(byBudi);
    expect((await h.waitForEvent((e) => e.id === messageId(byAdmin.event))).event).toMatchObject({ author: { roles: ['admin'] } });
    expect((await h.waitForEvent((e) => e.id === messageId(byBudi.event))).event).toMatchObject({ author: { name: 'Budi Santoso' }, channelName: 'random' });
  });

  it('maps message_changed to message.edited and message_deleted to message.deleted, and ignores unfurls', async () => {
    const ts = slackTs();
    await h.slack.sendEvent(envelope(TEAM.id, messageEvent({ channel: CHANNELS.random, user: USERS.ayu, text: 'teh tarik', ts })));
    const unfurl = envelope(TEAM.id, messageChanged({ channel: CHANNELS.random, user: USERS.ayu, ts, before: 'teh tarik', after: 'teh tarik' }));
    const edit = envelope(TEAM.id, messageChanged({ channel: CHANNELS.random, user: USERS.ayu, ts, before: 'teh tarik', after: 'kopi tubruk' }));
    const deletion = envelope(TEAM.id, messageDeleted({ channel: CHANNELS.random, user: USERS.ayu, ts, text: 'kopi tubruk' }));
    await h.slack.sendEvent(unfurl);
    await h.slack.sendEvent(edit);
    await h.slack.sendEvent(deletion);
    const id = `${CHANNELS.random}:${ts}`;
    expect((await h.waitForEvent((e) => e.id === edit.event_id)).event).toMatchObject({ type: 'message.edited', messageId: id, text: 'kopi tubruk', author: { id: USERS.ayu } });
    expect((await h.waitForEvent((e) => e.id === deletion.event_id)).event).toMatchObject({ type: 'message.deleted', messageId: id, channel: CHANNELS.random });
    expect(h.handled.find((x) => x.event.id === unfurl.event_id)).toBeUndefined();
    const stored = await h.test.database.prisma.message.findFirst({ where: { externalId: id } });
    expect(stored).toMatchObject({ text: 'kopi tubruk' });
    expect(stored?.deletedAt).not.toBeNull();
  });

  it('ignores bot messages, the bot’s own messages and notices such as channel_join', async () => {
    const before = h.handled.length;
    await h.slack.sendEvent(envelope(TEAM.id, botMessage({ channel: CHANNELS.general, text: 'I am another bot' })));
    await h.slack.sendEvent(envelope(TEAM.id, { ...messageEvent({ channel: CHANNELS.general, user: TEAM.botUserId, text: 'my own words' }), bot_id: TEAM.botId }));
    await h.slack.sendEvent(envelope(TEAM.id, channelJoinNotice({ channel: CHANNELS.general, user: USERS.budi })));
    const marker = envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.budi, text: 'after the noise' }));
    await h.slack.sendEvent(marker);
    await h.waitForEvent((e) => e.id === messageId(marker.event));
    expect(h.handled.slice(before).map((x) => x.event.id)).toEqual([messageId(marker.event)]);
  });

  it('drops a payload that does not normalize (a message without a user) and keeps going', async () => {
    const broken = envelope(TEAM.id, { type: 'message', channel: CHANNELS.general, text: 'who am I', ts: slackTs(), channel_type: 'channel' });
    expect((await h.slack.sendEvent(broken)).status).toBe(200);
    const after = envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.ayu, text: 'still here' }));
    await h.slack.sendEvent(after);
    await h.waitForEvent((e) => e.id === messageId(after.event));
    expect(h.handled.find((x) => x.event.id.endsWith(broken.event.ts))).toBeUndefined();
  });

  it('turns reaction_added into reaction.added with Slack’s emoji name', async () => {
    const ts = slackTs();
    await h.slack.sendEvent(envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.ayu, text: 'is the meetup on Friday?', ts })));
    const reaction = envelope(TEAM.id, reactionAdded({ channel: CHANNELS.general, user: USERS.budi, ts, reaction: 'white_check_mark', itemUser: USERS.ayu }));
    await h.slack.sendEvent(reaction);
    expect((await h.waitForEvent((e) => e.id === reaction.event_id)).event).toMatchObject({ type: 'reaction.added', channel: CHANNELS.general, messageId: `${CHANNELS.general}:${ts}`, emoji: 'white_check_mark', member: { id: USERS.budi } });
  });

  it('does not count a channel join as joining the community', async () => {
    const join = envelope(TEAM.id, memberJoinedChannel({ team: TEAM.id, channel: CHANNELS.random, user: USERS.budi }));
    await h.slack.sendEvent(join);
    const marker = envelope(TEAM.id, messageEvent({ channel: CHANNELS.random, user: USERS.budi, text: 'marker' }));
    await h.slack.sendEvent(marker);
    await h.waitForEvent((e) => e.id === messageId(marker.event));
    expect(h.handled.find((x) => x.event.id === join.event_id)).toBeUndefined();
  });
});

describe('order and identity of a workspace’s messages', () => {
  it('hands a workspace’s events to the engine in arrival order, even when the first one waits for a slow users.info', async () => {
    h.fake.addUser({ id: 'U0SLOW', team_id: TEAM.id, name: 'lambat', profile: { display_name: 'Lambat' } });
    h.fake.delay('users.info', { ms: 500, when: (args) => args.user === 'U0SLOW', times: 1 });
    // Members automod does not judge (admin, moderator), so that nothing but the order is at stake.
    const warmUp = envelope(TEAM.id, messageEvent({ channel: CHANNELS.intros, user: USERS.admin, text: 'halo' }));
    await h.slack.sendEvent(warmUp);
    await h.waitForEvent((e) => e.id === messageId(warmUp.event));

    const slow = envelope(TEAM.id, messageEvent({ channel: CHANNELS.intros, user: 'U0SLOW', text: 'my first words here' }));
    const reply = envelope(TEAM.id, messageEvent({ channel: CHANNELS.intros, user: USERS.admin, text: 'welcome!', thread_ts: slow.event.ts }));
    const deletion = envelope(TEAM.id, messageDeleted({ channel: CHANNELS.intros, user: 'U0SLOW', ts: slow.event.ts, text: 'my first words here' }));
    for (const payload of [slow, reply, deletion]) expect((await h.slack.sendEvent(payload)).status).toBe(200);
    await h.waitForEvent((e) => e.id === deletion.event_id);
    await h.settled();

    const ids = [messageId(slow.event), messageId(reply.event), deletion.event_id];
    expect(h.received.map((e) => e.id).filter((id) => ids.includes(id))).toEqual(ids);
    expect(h.received.find((e) => e.id === messageId(slow.event))).toMatchObject({ author: { id: 'U0SLOW', name: 'Lambat' } });
    // The deletion found the message it deletes: it was recorded first.
    const stored = await h.test.database.prisma.message.findFirst({ where: { externalId: messageId(slow.event) } });
    expect(stored?.deletedAt).not.toBeNull();
  });

  it('keeps two messages with the same ts in different channels apart (ts is unique per channel only)', async () => {
    const ts = slackTs();
    const inGeneral = envelope(TEAM.id, messageEvent({ channel: CHANNELS.general, user: USERS.admin, text: 'same instant, #general', ts }));
    const inRandom = envelope(TEAM.id, messageEvent({ channel: CHANNELS.random, user: USERS.mod, text: 'same instant, #random', ts }));
    await h.slack.sendEvent(inGeneral);
    await h.slack.sendEvent(inRandom);
    const first = await h.waitForEvent((e) => e.id === `${CHANNELS.general}:${ts}`);
    const second = await h.waitForEvent((e) => e.id === `${CHANNELS.random}:${ts}`);
    expect([first.outcome.status, second.outcome.status]).toEqual(['processed', 'processed']);
    const stored = await h.test.database.prisma.message.findMany({ where: { externalId: { endsWith: ts } }, select: { text: true }, orderBy: { id: 'asc' } });
    expect(stored.map((m) => m.text)).toEqual(['same instant, #general', 'same instant, #random']);

    const deletion = envelope(TEAM.id, messageDeleted({ channel: CHANNELS.random, user: USERS.mod, ts, text: 'same instant, #random' }));
    await h.slack.sendEvent(deletion);
    await h.waitForEvent((e) => e.id === deletion.event_id);
    const after = await h.test.database.prisma.message.findMany({ where: { externalId: { endsWith: ts } }, select: { text: true, deletedAt: true }, orderBy: { id: 'asc' } });
    expect(after.map((m) => [m.text, m.deletedAt !== null])).toEqual([
      ['same instant, #general', false],
      ['same instant, #random', true],
    ]);
  });
});

describe('slash commands and buttons', () => {
  it('acks a slash command at once and answers ephemerally in that channel to that member', async () => {
    const command = slashCommand({ team: TEAM.id, channel: CHANNELS.random, channelName: 'random', user: USERS.ayu, userName: 'ayu', command: '/rank', text: '', responseUrl: responseUrl() });
    const response = await h.slack.sendCommand(command);
    expect(response.status).toBe(200);
    const { event } = await h.waitForEvent((e) => e.id === `cmd:${command.trigger_id}`);
    expect(event).toMatchObject({ type: 'command.invoked', command: 'rank', channel: CHANNELS.random, channelName: 'random', member: { id: USERS.ayu } });
    const ephemeral = await h.fake.waitForCall('chat.postEphemeral', (args) => args.user === USERS.ayu && args.channel === CHANNELS.random);
    expect(ephemeral.token).toBe(TEAM.botToken);
  });

  it('answers through response_url where the app is not in the channel', async () => {
    const url = responseUrl();
    const command = slashCommand({ team: TEAM.id, channel: CHANNELS.outside, channelName: 'outside', user: USERS.budi, userName: 'budi', command: '/rank', text: '', responseUrl: url });
    await h.slack.sendCommand(command);
    await h.waitForEvent((e) => e.id === `cmd:${command.trigger_id}`);
    const answer = await h.fake.waitForCall('response_url', (args) => args.id === url.split('/').pop());
    expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
  });

  it('refuses a command whose text does not parse, in the ack, without an event', async () => {
    const command = slashCommand({ team: TEAM.id, channel: CHANNELS.random, channelName: 'random', user: USERS.ayu, userName: 'ayu', command: '/nosuchthing', text: 'x', responseUrl: responseUrl() });
    const response = await h.slack.sendCommand(command);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('nosuchthing') });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.handled.find((x) => x.event.id === `cmd:${command.trigger_id}`)).toBeUndefined();
  });

  it('refuses moderator commands from members without the moderator role, and lets a @moderators member warn', async () => {
    const denied = slashCommand({ team: TEAM.id, channel: CHANNELS.general, channelName: 'general', user: USERS.budi, userName: 'budi', command: '/warn', text: `<@${USERS.ayu}> spamming`, responseUrl: responseUrl() });
    await h.slack.sendCommand(denied);
    const refused = await h.waitForEvent((e) => e.id === `cmd:${denied.trigger_id}`);
    expect(refused.outcome.actions.map((a) => a.type)).toEqual(['reply.ephemeral']);
    await h.fake.waitForCall('chat.postEphemeral', (args) => args.user === USERS.budi);
    expect(await h.test.database.prisma.moderationCase.count()).toBe(0);

    const allowed = slashCommand({ team: TEAM.id, channel: CHANNELS.general, channelName: 'general', user: USERS.mod, userName: 'mira', command: '/warn', text: `<@${USERS.ayu}> spamming links`, responseUrl: responseUrl() });
    await h.slack.sendCommand(allowed);
    const warned = await h.waitForEvent((e) => e.id === `cmd:${allowed.trigger_id}`);
    expect(warned.event).toMatchObject({ member: { roles: ['moderator', 'moderators'] } });
    expect(await h.test.database.prisma.moderationCase.count()).toBe(1);
    // The case goes to the mod log and to the member by DM.
    const modLog = await h.fake.waitForCall('chat.postMessage', (args) => args.channel === CHANNELS.modLog);
    expect(blockText(modLog.args)).toContain(`<@${USERS.ayu}>`);
    await h.fake.waitForCall('conversations.open', (args) => args.users === USERS.ayu);
  });

  it('turns a button click into component.used (action_id) and a select into its values', async () => {
    const click = buttonClick({ team: TEAM.id, channel: CHANNELS.general, user: USERS.ayu, actionId: 'poll:999:1:nonce', messageTs: slackTs(), responseUrl: responseUrl() });
    expect((await h.slack.sendAction(click)).status).toBe(200);
    const { event } = await h.waitForEvent((e) => e.id === `act:${click.trigger_id}`);
    expect(event).toMatchObject({ type: 'component.used', componentId: 'poll:999:1:nonce', channel: CHANNELS.general, member: { id: USERS.ayu } });
    expect(event).not.toHaveProperty('values');
    // Nobody takes a forged poll button: the member hears so, privately, where they clicked.
    await h.fake.waitForCall('chat.postEphemeral', (args) => args.user === USERS.ayu && args.channel === CHANNELS.general);

    const select = staticSelect({ team: TEAM.id, channel: CHANNELS.general, user: USERS.budi, actionId: 'interests', messageTs: slackTs(), responseUrl: responseUrl(), value: 'design' });
    await h.slack.sendAction(select);
    expect((await h.waitForEvent((e) => e.id === `act:${select.trigger_id}`)).event).toMatchObject({ componentId: 'interests', values: ['design'] });
  });

});

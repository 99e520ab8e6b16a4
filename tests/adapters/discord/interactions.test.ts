import { GatewayDispatchEvents, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import {
  botMessage,
  buttonPress,
  chatInput,
  dmButtonPress,
  message,
  selectMenu,
  stringOption,
  subcommand,
  userOption,
} from '../../support/fake-discord/index.js';
import { KOPI, startHarness, waitUntil, type Harness } from './harness.js';

describe('Discord adapter: commands and buttons are answered within the interaction', () => {
  let h: Harness;
  let kopiId: string;
  let general: ReturnType<Harness['fake']['channel']>;
  /** While set, commands wait here before the engine handles them. */
  let commandsHeld: Promise<void> | undefined;

  beforeAll(async () => {
    h = await startHarness({
      // The sink fails for this command, as when the queue to the workers is down.
      beforeHandle: async (event) => {
        if (event.type === 'command.invoked' && event.command === 'summarize') throw new Error('queue unreachable');
        if (event.type === 'command.invoked') await commandsHeld;
      },
    });
    kopiId = h.fake.guild(KOPI.name).id;
    general = h.fake.channel(KOPI.name, 'general');
    // The engine knows members once it has seen them.
    const before = h.outcomes.length;
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, message({ guildId: kopiId, channelId: general.id, author: h.ayu, content: 'halo' }));
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, message({ guildId: kopiId, channelId: general.id, author: h.mod, content: 'halo juga' }));
    await waitUntil(() => h.outcomes.length >= before + 2);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const base = () => ({ guildId: kopiId, channel: general, applicationId: h.fake.applicationId });
  const callback = (id: string) => h.fake.waitForCall((c) => c.method === 'POST' && c.path.startsWith(`/interactions/${id}/`));

  it('refuses a moderator command from a member without the moderator role, privately, and opens no case', async () => {
    const interaction = chatInput({ ...base(), member: h.ayu, name: 'warn', options: [userOption('member', h.mod.user.id), stringOption('reason', 'rude')] });
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    const deferral = await callback(interaction.id);
    expect(deferral.body).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    expect(deferral.headers.authorization).toBeUndefined();
    const answer = await h.fake.waitForCall((c) => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${interaction.token}/messages/@original`);
    expect(answer.body.content).toBe('Only moderators can use /warn.');
    const event = h.events.find((e) => e.id === interaction.id);
    expect(event).toMatchObject({ type: 'command.invoked', command: 'warn', options: { member: h.mod.user.id, reason: 'rude' }, member: { id: h.ayu.user.id, roles: ['regular'] }, channel: general.id, channelName: 'general' });
    expect(await h.test.database.prisma.moderationCase.count()).toBe(0);
  });

  it("carries out a moderator's /timeout: the member option is the user id, the timeout has its reason, the moderator hears back privately", async () => {
    const interaction = chatInput({ ...base(), member: h.mod, name: 'timeout', options: [userOption('member', h.ayu.user.id), stringOption('duration', '10m'), stringOption('reason', 'spamming links')] });
    const sentAt = Date.now();
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    const timeout = await h.fake.waitForCall((c) => c.method === 'PATCH' && c.path === `/guilds/${kopiId}/members/${h.ayu.user.id}`);
    expect(timeout.reason).toBe('spamming links');
    const until = Date.parse(timeout.body.communication_disabled_until);
    expect(until - sentAt).toBeGreaterThan(590_000);
    expect(until - sentAt).toBeLessThan(620_000);
    const answer = await h.fake.waitForCall((c) => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${interaction.token}/messages/@original`);
    expect(answer.body.content).toMatch(/#1/);
    const modLog = h.fake.channel(KOPI.name, 'mod-log');
    await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${modLog.id}/messages`);
    expect(await h.test.database.prisma.moderationCase.count()).toBe(1);
  });

  it('answers two commands a member runs in quick succession each in its own reply, not both in the latest', async () => {
    let release!: () => void;
    commandsHeld = new Promise((resolve) => (release = resolve));
    const rank = chatInput({ ...base(), member: h.mod, name: 'rank' });
    const infractions = chatInput({ ...base(), member: h.mod, name: 'infractions' });
    try {
      h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, rank);
      h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, infractions);
      // Both are waiting for their answer before the engine handles either.
      await waitUntil(() => h.events.some((e) => e.id === rank.id) && h.events.some((e) => e.id === infractions.id));
    } finally {
      commandsHeld = undefined;
      release();
    }
    const original = (token: string) => (c: { method: string; path: string }) => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${token}/messages/@original`;
    const [rankAnswer, infractionsAnswer] = await Promise.all([h.fake.waitForCall(original(rank.token), 5000), h.fake.waitForCall(original(infractions.token), 5000)]);
    expect(rankAnswer.body.content).toMatch(/points, tier|no counted involvement/);
    expect(infractionsAnswer.body.content).not.toMatch(/points, tier|no counted involvement/);
    expect(h.fake.callsTo('POST', `/webhooks/${h.fake.applicationId}/${infractions.token}`)).toEqual([]);
    expect(h.fake.callsTo('POST', `/webhooks/${h.fake.applicationId}/${rank.token}`)).toEqual([]);
  });

  it('keeps interaction tokens out of log fields and the mod log when answering fails (only `err` carries the request, for the logger to mask)', async () => {
    const unacknowledged = chatInput({ ...base(), member: h.ayu, name: 'rank' });
    const unanswered = chatInput({ ...base(), member: h.mod, name: 'rank' });
    const tokens = [unacknowledged.token, unanswered.token];
    h.fake.fail({ method: 'POST', path: new RegExp(`^/interactions/${unacknowledged.id}/`), status: 404 });
    h.fake.fail({ method: 'PATCH', path: new RegExp(`/${unanswered.token}/messages/@original$`), status: 404 });
    const logsBefore = h.logs.length;
    const modLog = h.fake.channel(KOPI.name, 'mod-log');
    const reportsBefore = h.fake.callsTo('POST', `/channels/${modLog.id}/messages`).length;
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, unacknowledged);
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, unanswered);
    const logs = await waitUntil(() => {
      const since = h.logs.slice(logsBefore);
      const failed = (id: string) => since.some((l) => l.msg === 'platform action failed' && l.cause === id);
      return failed(unacknowledged.id) && failed(unanswered.id) && since.some((l) => l.msg === 'could not acknowledge a Discord command') && since;
    });
    const reports = await h.fake.waitForCalls((c) => c.method === 'POST' && c.path === `/channels/${modLog.id}/messages`, reportsBefore + 2);
    for (const report of reports.slice(reportsBefore)) for (const token of tokens) expect(report.body.content).not.toContain(token);
    for (const { err: _err, ...fields } of logs) for (const token of tokens) expect(JSON.stringify(fields)).not.toContain(token);
  });

  it('turns subcommands into words of the command and keeps the options by name', async () => {
    const interaction = chatInput({ ...base(), member: h.mod, name: 'poll', options: [subcommand('close', [stringOption('poll', '42')])] });
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    await h.fake.waitForCall((c) => c.method === 'PATCH' && c.path.includes(interaction.token));
    expect(h.events.find((e) => e.id === interaction.id)).toMatchObject({ type: 'command.invoked', command: 'poll close', options: { poll: '42' } });
  });

  it('runs /poll create as the engine\'s /poll, and the poll is posted with its buttons', async () => {
    const interaction = chatInput({
      ...base(),
      member: h.mod,
      name: 'poll',
      options: [subcommand('create', [stringOption('question', 'Kopi or teh?'), stringOption('choices', 'kopi; teh')])],
    });
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    await h.fake.waitForCall((c) => c.method === 'POST' && /\/channels\/\d+\/messages$/.test(c.path) && JSON.stringify(c.body).includes('Kopi or teh?'));
    expect(h.events.find((e) => e.id === interaction.id)).toMatchObject({ type: 'command.invoked', command: 'poll', options: { question: 'Kopi or teh?', choices: 'kopi; teh' } });
  });

  it('tells the invoker that the command failed when the event could not be handed over', async () => {
    const interaction = chatInput({ ...base(), member: h.ayu, name: 'summarize' });
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    const answer = await h.fake.waitForCall((c) => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${interaction.token}/messages/@original`);
    expect(answer.body.content).toBe('Something went wrong while running /summarize; the moderators have been told.');
    expect(h.logs.some((l) => l.msg === 'the sink refused a Discord event' && l.eventId === interaction.id)).toBe(true);
  });

  it('answers a command that is not a valid event (an upper-case name) with the same apology, and logs it', async () => {
    const interaction = chatInput({ ...base(), member: h.ayu, name: 'Shout' });
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    const answer = await h.fake.waitForCall((c) => c.method === 'PATCH' && c.path === `/webhooks/${h.fake.applicationId}/${interaction.token}/messages/@original`);
    expect(answer.body.content).toBe('Something went wrong while running /Shout; the moderators have been told.');
    expect(h.events.some((e) => e.id === interaction.id)).toBe(false);
    expect(h.logs.find((l) => l.type === 'INTERACTION_CREATE (command)')).toMatchObject({ msg: 'Discord payload did not make a valid event; dropped' });
  });

  it('acknowledges a button without changing the message and answers the engine privately in a follow-up', async () => {
    const onMessage = botMessage(general.id, h.fake.bot, 'a message with a stale button');
    const interaction = buttonPress({ ...base(), member: h.ayu, customId: 'poll:999:1:deadbeef', message: onMessage });
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    const deferral = await callback(interaction.id);
    expect(deferral.body).toEqual({ type: InteractionResponseType.DeferredMessageUpdate });
    const followUp = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/webhooks/${h.fake.applicationId}/${interaction.token}`);
    expect(followUp.body.flags).toBe(MessageFlags.Ephemeral);
    expect(h.events.find((e) => e.id === interaction.id)).toMatchObject({ type: 'component.used', componentId: 'poll:999:1:deadbeef', member: { id: h.ayu.user.id }, channel: general.id });
  });

  it('passes the values of a select menu', async () => {
    const interaction = selectMenu({ ...base(), member: h.ayu, customId: 'interests', values: ['design', 'coffee'], message: botMessage(general.id, h.fake.bot) });
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    await callback(interaction.id);
    const event = await waitUntil(() => h.events.find((e) => e.id === interaction.id));
    expect(event).toMatchObject({ type: 'component.used', componentId: 'interests', values: ['design', 'coffee'] });
  });

  it('finds the community of a button clicked in a DM from the DM the bot sent', async () => {
    const dm: Action = {
      type: 'message.send',
      platform: 'discord',
      community: kopiId,
      cause: 'test',
      member: h.ayu.user.id,
      message: { text: 'Did you talk?', buttons: [{ id: 'intro:1:yes', label: 'Yes' }] },
    };
    await h.adapter.execute([dm]);
    const dmChannel = h.fake.dmChannelOf(h.ayu.user.id)!;
    const sent = h.fake.callsTo('POST', `/channels/${dmChannel}/messages`).at(-1)!;
    expect(sent.body.components[0].components[0]).toMatchObject({ custom_id: 'intro:1:yes', label: 'Yes' });
    const interaction = dmButtonPress({ applicationId: h.fake.applicationId, dmChannelId: dmChannel, user: h.ayu.user, customId: 'intro:1:yes', message: sent.response });
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    const event = await waitUntil(() => h.events.find((e) => e.id === interaction.id));
    expect(event).toMatchObject({ type: 'component.used', community: kopiId, componentId: 'intro:1:yes', member: { id: h.ayu.user.id } });
    // The engine's private answer follows up the click in the DM.
    await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/webhooks/${h.fake.applicationId}/${interaction.token}`);
  });

  it("hands a click in a DM to the engine before the member's next event, though its community is looked up first", async () => {
    await h.adapter.execute([
      { type: 'message.send', platform: 'discord', community: kopiId, cause: 'test', member: h.ayu.user.id, message: { text: 'Still there?', buttons: [{ id: 'intro:2:yes', label: 'Yes' }] } },
    ]);
    const dmChannel = h.fake.dmChannelOf(h.ayu.user.id)!;
    const sent = h.fake.callsTo('POST', `/channels/${dmChannel}/messages`).at(-1)!;
    const click = dmButtonPress({ applicationId: h.fake.applicationId, dmChannelId: dmChannel, user: h.ayu.user, customId: 'intro:2:yes', message: sent.response });
    const next = message({ guildId: kopiId, channelId: general.id, author: h.ayu, content: 'right after the click' });
    h.fake.dispatch(GatewayDispatchEvents.InteractionCreate, click);
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, next);
    await waitUntil(() => h.events.some((e) => e.id === next.id) && h.events.some((e) => e.id === click.id));
    expect(h.events.findIndex((e) => e.id === click.id)).toBeLessThan(h.events.findIndex((e) => e.id === next.id));
  });

  it('sends a private reply as a DM when the member has no interaction waiting (a job)', async () => {
    const someoneElse = '123456789012345678';
    await h.adapter.execute([{ type: 'reply.ephemeral', platform: 'discord', community: kopiId, cause: 'job:x', member: someoneElse, message: { text: 'Your poll closed.' } }]);
    const opened = h.fake.callsTo('POST', '/users/@me/channels').find((c) => c.body.recipient_id === someoneElse);
    expect(opened).toBeDefined();
    const dm = h.fake.callsTo('POST', `/channels/${opened!.response.id}/messages`);
    expect(dm.map((c) => c.body.content)).toEqual(['Your poll closed.']);
  });
});

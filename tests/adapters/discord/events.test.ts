import { ChannelType, GatewayDispatchEvents, GatewayIntentBits, IntentsBitField } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { member, memberAdd, message, messageUpdate, reactionAdd, snowflake, thread, user } from '../../support/fake-discord/index.js';
import { KOPI, TEH, startHarness, waitUntil, type Harness } from './harness.js';

describe('Discord adapter: gateway events become CommunityEvents and reach the engine', () => {
  let h: Harness;
  let kopiId: string;
  let general: { id: string };

  beforeAll(async () => {
    h = await startHarness();
    kopiId = h.fake.guild(KOPI.name).id;
    general = h.fake.channel(KOPI.name, 'general');
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** The events handed to the sink after `before`, once there are `count` of them. */
  const next = async (before: number, count = 1) => (await h.waitForEvents(before + count)).slice(before, before + count);

  it('identifies with exactly the intents it needs: guilds, members, guild messages with content, reactions', () => {
    const expected = new IntentsBitField([
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMembers,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.GuildMessageReactions,
    ]).bitfield;
    expect(h.fake.identifies).toHaveLength(1);
    expect(h.fake.identifies[0]!.intents).toBe(expected);
    expect(new IntentsBitField(h.fake.identifies[0]!.intents).has(GatewayIntentBits.GuildPresences)).toBe(false);
  });

  it('turns a join into member.joined (account age, joinedAt, community name) and the engine welcomes the member in #general', async () => {
    const before = h.events.length;
    const joinedAt = new Date('2026-11-20T10:00:00.000Z');
    const newcomer = user('Citra', { createdAt: new Date('2026-11-19T08:00:00Z') });
    h.fake.dispatch(GatewayDispatchEvents.GuildMemberAdd, memberAdd(kopiId, { ...member(newcomer, [], joinedAt), user: newcomer }));
    const [event] = await next(before);
    expect(event).toEqual({
      type: 'member.joined',
      id: `join:${kopiId}:${newcomer.id}:${joinedAt.getTime()}`,
      platform: 'discord',
      community: kopiId,
      communityName: KOPI.name,
      at: joinedAt.toISOString(),
      member: { id: newcomer.id, name: 'Citra', bot: false, roles: [], joinedAt: joinedAt.toISOString(), accountCreatedAt: '2026-11-19T08:00:00.000Z' },
    });
    const welcome = await h.fake.waitForCall((c) => c.method === 'POST' && c.path === `/channels/${general.id}/messages` && String(c.body?.content).includes(newcomer.id));
    const rules = h.fake.channel(KOPI.name, 'rules');
    expect(welcome.body.content).toContain(`<@${newcomer.id}>`);
    expect(welcome.body.content).toContain(`<#${rules.id}>`);
    expect(welcome.body.content).toContain(KOPI.name);
    expect(welcome.body.allowed_mentions).toEqual({ parse: ['users'], roles: [] });
    expect(welcome.headers.authorization).toBe('Bot fake-token');
  });

  it('turns a message into message.created with reply, mentions, attachments, channel name and lower-cased role names', async () => {
    const before = h.events.length;
    const first = message({ guildId: kopiId, channelId: general.id, author: h.mod, content: 'Selamat pagi semua' });
    const reply = message({ guildId: kopiId, channelId: general.id, author: h.ayu, content: 'Pagi <@' + h.mod.user.id + '>!', replyTo: first.id, mentions: [h.mod.user], attachments: 2 });
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, first);
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, reply);
    const [a, b] = await next(before, 2);
    expect(a).toMatchObject({
      type: 'message.created',
      id: first.id,
      community: kopiId,
      communityName: KOPI.name,
      channel: general.id,
      channelName: 'general',
      text: 'Selamat pagi semua',
      author: { id: h.mod.user.id, name: 'Budi (mod)', bot: false, roles: ['moderator'] },
      mentions: [],
      attachments: 0,
    });
    expect(a).not.toHaveProperty('replyTo');
    expect(b).toMatchObject({
      type: 'message.created',
      id: reply.id,
      at: reply.timestamp,
      replyTo: first.id,
      mentions: [h.mod.user.id],
      attachments: 2,
      author: { id: h.ayu.user.id, name: 'Ayu', roles: ['regular'], accountCreatedAt: '2026-10-30T00:00:00.000Z' },
    });
    await waitUntil(() => h.outcomes.length >= before + 2);
    const stored = await h.test.database.prisma.message.findUnique({ where: { communityId_externalId: { communityId: (await community()).id, externalId: reply.id } } });
    expect(stored).toMatchObject({ replyToExternalId: first.id, attachments: 2, mentions: [h.mod.user.id] });
  });

  it("puts a thread's messages in the parent channel with thread = the thread id, which is its starter message's id", async () => {
    const starter = message({ guildId: kopiId, channelId: general.id, author: h.ayu, content: 'How do I grind beans for a V60?' });
    const before = h.events.length;
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, starter);
    await next(before);
    const created = { ...thread(kopiId, h.fake.channel(KOPI.name, 'general'), starter.id, 'V60 grind'), newly_created: true };
    h.fake.guild(KOPI.name).threads.push(created);
    h.fake.dispatch(GatewayDispatchEvents.ThreadCreate, created);
    const inThread = message({ guildId: kopiId, channelId: starter.id, author: h.mod, content: 'Medium-fine, like table salt.' });
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, inThread);
    const [event] = await next(before + 1);
    expect(created.type).toBe(ChannelType.PublicThread);
    expect(event).toMatchObject({ type: 'message.created', id: inThread.id, channel: general.id, channelName: 'general', thread: starter.id, threadName: 'V60 grind' });
  });

  it('turns edits, deletions and reactions (unicode and custom emoji) into their events with stable ids', async () => {
    const original = message({ guildId: kopiId, channelId: general.id, author: h.ayu, content: 'kopi tubruk is the best' });
    const before = h.events.length;
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, original);
    await next(before);
    const editedAt = new Date(Date.now() + 1000);
    h.fake.dispatch(GatewayDispatchEvents.MessageUpdate, messageUpdate(original, 'kopi tubruk is the very best', editedAt));
    h.fake.dispatch(GatewayDispatchEvents.MessageReactionAdd, reactionAdd({ guildId: kopiId, channelId: general.id, messageId: original.id, member: h.mod, emoji: { name: '✅' } }));
    const customId = snowflake();
    h.fake.dispatch(GatewayDispatchEvents.MessageReactionAdd, reactionAdd({ guildId: kopiId, channelId: general.id, messageId: original.id, member: h.mod, emoji: { name: 'kopi_cup', id: customId } }));
    h.fake.dispatch(GatewayDispatchEvents.MessageDelete, { id: original.id, channel_id: general.id, guild_id: kopiId });
    const [edit, unicode, custom, deletion] = await next(before + 1, 4);
    expect(edit).toMatchObject({
      type: 'message.edited',
      id: `${original.id}:edit:${editedAt.getTime()}`,
      at: editedAt.toISOString(),
      channel: general.id,
      channelName: 'general',
      messageId: original.id,
      text: 'kopi tubruk is the very best',
      author: { id: h.ayu.user.id, name: 'Ayu' },
    });
    expect(unicode).toMatchObject({ type: 'reaction.added', id: `${original.id}:${h.mod.user.id}:✅:add`, messageId: original.id, emoji: '✅', channel: general.id, member: { id: h.mod.user.id, roles: ['moderator'] } });
    expect(custom).toMatchObject({ type: 'reaction.added', emoji: 'kopi_cup' });
    expect(deletion).toMatchObject({ type: 'message.deleted', id: `${original.id}:delete`, channel: general.id, channelName: 'general', messageId: original.id, community: kopiId });
    await waitUntil(() => h.outcomes.length >= before + 5);
    const stored = await h.test.database.prisma.message.findFirst({ where: { externalId: original.id } });
    expect(stored?.text).toBe('kopi tubruk is the very best');
    expect(stored?.deletedAt).not.toBeNull();
  });

  it('turns a leave into member.left with an id that a replay of the same dispatch keeps', async () => {
    const before = h.events.length;
    h.fake.dispatch(GatewayDispatchEvents.GuildMemberRemove, { guild_id: kopiId, user: h.ayu.user });
    const [event] = await next(before);
    expect(event).toMatchObject({ type: 'member.left', community: kopiId, member: { id: h.ayu.user.id, name: 'Ayu', bot: false } });
    expect(event!.id).toMatch(new RegExp(`^leave:${kopiId}:${h.ayu.user.id}:session-\\d+:\\d+$`));
    await waitUntil(() => h.outcomes.length >= before + 1);
    const row = await h.test.database.prisma.member.findFirst({ where: { externalId: h.ayu.user.id } });
    expect(row?.leftAt).not.toBeNull();
  });

  it("ignores the bot's own messages", async () => {
    const before = h.events.length;
    const botMember = { ...member(h.fake.bot), user: h.fake.bot };
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, message({ guildId: kopiId, channelId: general.id, author: botMember, content: 'I am the bot' }));
    const marker = message({ guildId: kopiId, channelId: general.id, author: h.mod, content: 'after the bot' });
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, marker);
    const [event] = await next(before);
    expect(event).toMatchObject({ id: marker.id });
  });

  it('logs a payload that does not normalize with its type, drops it, and handles the next event', async () => {
    const before = h.events.length;
    const nameless = user('x', { globalName: null });
    nameless.username = '';
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, message({ guildId: kopiId, channelId: general.id, author: { ...member(nameless), user: nameless }, content: 'who am I' }));
    const { author: _author, ...authorless } = message({ guildId: kopiId, channelId: general.id, author: h.ayu, content: 'nobody wrote this' });
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, authorless);
    const marker = message({ guildId: kopiId, channelId: general.id, author: h.mod, content: 'still here' });
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, marker);
    const [event] = await next(before);
    expect(event).toMatchObject({ id: marker.id, text: 'still here' });
    const warning = h.logs.find((l) => l.type === 'MESSAGE_CREATE');
    expect(warning).toMatchObject({ msg: 'Discord payload did not make a valid event; dropped' });
    expect(String(warning!.problems)).toContain('author.name');
    expect(h.logs.filter((l) => l.type === 'MESSAGE_CREATE').map((l) => l.msg)).toEqual([
      'Discord payload did not make a valid event; dropped',
      'Discord payload could not be normalized; dropped',
    ]);
  });

  it('serves several guilds from one client: the community is the guild id', async () => {
    const teh = h.fake.guild(TEH.name);
    const tehGeneral = h.fake.channel(TEH.name, 'general');
    const before = h.events.length;
    const guest = user('Dewi');
    h.fake.dispatch(GatewayDispatchEvents.MessageCreate, message({ guildId: teh.id, channelId: tehGeneral.id, author: { ...member(guest), user: guest }, content: 'halo dari teh' }));
    const [event] = await next(before);
    expect(event).toMatchObject({ community: teh.id, communityName: TEH.name, channel: tehGeneral.id, channelName: 'general' });
  });

  async function community() {
    return h.test.database.prisma.community.findUniqueOrThrow({ where: { platform_externalId: { platform: 'discord', externalId: kopiId } } });
  }
});

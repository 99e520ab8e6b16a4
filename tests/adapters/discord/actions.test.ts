import { ButtonStyle, ComponentType, GuildVerificationLevel } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Action } from '../../../src/contracts/index.js';
import { snowflake } from '../../support/fake-discord/index.js';
import { KOPI, startHarness, type Harness } from './harness.js';

type Draft = Record<string, unknown> & { type: Action['type'] };

describe('Discord adapter: every action is carried out through discord.js REST', () => {
  let h: Harness;
  let kopiId: string;
  let channelId: (name: string) => string;
  const act = (draft: Draft): Action => ({ platform: 'discord', community: kopiId, cause: 'test-event', ...draft }) as Action;
  const run = (...drafts: Draft[]) => h.adapter.execute(drafts.map(act));
  let mark = 0;
  /** Calls made since the test began. */
  const calls = () => h.fake.calls.slice(mark);
  const only = (method: string, path: string) => {
    const found = calls().filter((c) => c.method === method && c.path === path);
    expect(found, `${method} ${path}`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    // No gateway: a worker process only carries out actions.
    h = await startHarness({ connect: false });
    kopiId = h.fake.guild(KOPI.name).id;
    channelId = (name) => h.fake.channel(KOPI.name, name).id;
  });
  beforeEach(() => {
    mark = h.fake.calls.length;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('posts to a channel given by id or by name (GET /guilds/:id/channels once, cached), replying to a message', async () => {
    const question = snowflake();
    await run(
      { type: 'message.send', channel: channelId('general'), message: { text: 'by id' } },
      { type: 'message.send', channel: 'questions', message: { text: 'by name' }, replyTo: question },
      { type: 'message.send', channel: 'questions', message: { text: 'by name again' } },
    );
    expect(only('POST', `/channels/${channelId('general')}/messages`).body.content).toBe('by id');
    const replies = calls().filter((c) => c.method === 'POST' && c.path === `/channels/${channelId('questions')}/messages`);
    expect(replies.map((c) => c.body.content)).toEqual(['by name', 'by name again']);
    expect(replies[0]!.body.message_reference).toEqual({ message_id: question, fail_if_not_exists: false });
    expect(calls().filter((c) => c.path === `/guilds/${kopiId}/channels`).length).toBeLessThanOrEqual(1);
  });

  it('remembers a keyed message in the database and edits it in place later, removing its buttons', async () => {
    await run({ type: 'message.send', channel: 'general', key: 'poll:7', message: { text: 'Tea or coffee?', buttons: [{ id: 'poll:7:1:x', label: 'Tea', style: 'primary' }] } });
    const sent = only('POST', `/channels/${channelId('general')}/messages`);
    expect(sent.body.components).toEqual([{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, custom_id: 'poll:7:1:x', label: 'Tea', style: ButtonStyle.Primary }] }]);
    const row = await h.test.database.prisma.platformMessage.findFirst({ where: { key: 'poll:7' } });
    expect(row).toMatchObject({ channelExternalId: channelId('general'), messageExternalId: sent.response.id });
    await run({ type: 'message.edit', key: 'poll:7', message: { text: 'Closed: coffee wins' } });
    const edit = only('PATCH', `/channels/${channelId('general')}/messages/${sent.response.id}`);
    expect(edit.body).toMatchObject({ content: 'Closed: coffee wins', components: [], embeds: [], attachments: [] });
  });

  it('opens a DM channel and posts there for a message to a member', async () => {
    const member = snowflake();
    await run({ type: 'message.send', member, message: { text: 'Your case #3: a warning.' } });
    const opened = only('POST', '/users/@me/channels');
    expect(opened.body).toEqual({ recipient_id: member });
    expect(only('POST', `/channels/${opened.response.id}/messages`).body.content).toBe('Your case #3: a warning.');
  });

  it('posts into a thread, starts a thread on a message (startThread), and creates the thread of a message that has none yet', async () => {
    await run({ type: 'message.send', channel: 'introductions', message: { text: '**Ayu**, meet **Budi**: you both like design.' }, startThread: true });
    const intro = only('POST', `/channels/${channelId('introductions')}/messages`);
    const started = only('POST', `/channels/${channelId('introductions')}/messages/${intro.response.id}/threads`);
    expect(started.body.name).toBe('Ayu, meet Budi: you both like design.');
    await run({ type: 'message.send', channel: 'introductions', thread: intro.response.id, message: { text: 'in the thread' } });
    expect(calls().filter((c) => c.path === `/channels/${intro.response.id}/messages` && c.status === 200).map((c) => c.body.content)).toEqual(['in the thread']);

    const root = snowflake();
    mark = h.fake.calls.length;
    await run({ type: 'message.send', channel: 'general', thread: root, message: { text: 'Summary of this conversation' } });
    const attempts = calls().filter((c) => c.method === 'POST' && c.path === `/channels/${root}/messages`);
    expect(attempts.map((c) => c.status)).toEqual([404, 200]);
    expect(only('POST', `/channels/${channelId('general')}/messages/${root}/threads`).status).toBe(201);
  });

  it('uploads a stored image as an attachment shown in the embed, and an attachment file', async () => {
    const community = await h.test.database.prisma.community.upsert({
      where: { platform_externalId: { platform: 'discord', externalId: kopiId } },
      create: { platform: 'discord', externalId: kopiId },
      update: {},
    });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const image = await h.test.database.prisma.storedImage.create({ data: { communityId: community.id, name: 'poll-1.png', contentType: 'image/png', bytes: png, createdAt: new Date() } });
    await run(
      { type: 'message.send', channel: 'general', message: { text: 'Results', image: { name: 'poll-1.png', contentType: 'image/png', storedImageId: image.id } } },
      { type: 'message.send', member: snowflake(), message: { text: 'Your data' }, attachment: { name: 'guyub-data.json', contentType: 'application/json', text: '{"a":1}' } },
    );
    const results = only('POST', `/channels/${channelId('general')}/messages`);
    expect(results.body.embeds).toEqual([{ description: 'Results', image: { url: 'attachment://poll-1.png' } }]);
    expect(results.body.attachments).toEqual([{ id: 0, filename: 'poll-1.png' }]);
    expect(results.files).toHaveLength(1);
    expect(results.files[0]).toMatchObject({ name: 'poll-1.png', contentType: 'image/png' });
    expect(results.files[0]!.bytes.equals(png)).toBe(true);
    const data = calls().find((c) => c.method === 'POST' && c.files.length && c.path !== results.path)!;
    expect(data.body.content).toBe('Your data');
    expect(data.files[0]).toMatchObject({ name: 'guyub-data.json', contentType: 'application/json' });
    expect(data.files[0]!.bytes.toString()).toBe('{"a":1}');
  });

  it('adds a permalink for a link, resolves channel and role names in the text, and pings only roles written on purpose', async () => {
    const asked = snowflake();
    await run({
      type: 'message.send',
      channel: 'questions',
      message: { text: '<@&moderator> a question waits in <#help> (see <#no-such-channel>), @everyone stays quiet', fields: [{ name: 'Asker', value: '<@123456789012345678>' }] },
      link: { channel: 'help', messageId: asked },
    });
    const post = only('POST', `/channels/${channelId('questions')}/messages`);
    const moderatorRole = h.fake.roleId(KOPI.name, 'Moderator');
    expect(post.body.content).toBe('');
    expect(post.body.embeds[0].description).toBe(
      `<@&${moderatorRole}> a question waits in <#${channelId('help')}> (see #no-such-channel), @everyone stays quiet\nhttps://discord.com/channels/${kopiId}/${channelId('help')}/${asked}`,
    );
    expect(post.body.embeds[0].fields).toEqual([{ name: 'Asker', value: '<@123456789012345678>' }]);
    expect(post.body.allowed_mentions).toEqual({ parse: ['users'], roles: [moderatorRole] });
  });

  it('deletes, times out, lifts a timeout, kicks, bans and unbans, with the reason in X-Audit-Log-Reason', async () => {
    const member = snowflake();
    const message = snowflake();
    const before = Date.now();
    await run(
      { type: 'message.delete', channel: 'general', messageId: message, reason: 'flood (automod)' },
      { type: 'member.timeout', member, seconds: 3600, reason: 'case #4: flood' },
      { type: 'member.untimeout', member, reason: 'appeal accepted' },
      { type: 'member.kick', member, reason: 'case #5' },
      { type: 'member.ban', member, reason: 'case #6: spam bot' },
      { type: 'member.unban', member, reason: 'mistake' },
    );
    expect(only('DELETE', `/channels/${channelId('general')}/messages/${message}`).reason).toBe('flood (automod)');
    const [timeout, untimeout] = calls().filter((c) => c.method === 'PATCH' && c.path === `/guilds/${kopiId}/members/${member}`);
    expect(timeout!.reason).toBe('case #4: flood');
    expect(Date.parse(timeout!.body.communication_disabled_until) - before).toBeGreaterThanOrEqual(3600_000);
    expect(Date.parse(timeout!.body.communication_disabled_until) - before).toBeLessThan(3610_000);
    expect(untimeout!.body).toEqual({ communication_disabled_until: null });
    expect(untimeout!.reason).toBe('appeal accepted');
    expect(only('DELETE', `/guilds/${kopiId}/members/${member}`).reason).toBe('case #5');
    expect(only('PUT', `/guilds/${kopiId}/bans/${member}`).reason).toBe('case #6: spam bot');
    expect(only('DELETE', `/guilds/${kopiId}/bans/${member}`).reason).toBe('mistake');
  });

  it('restricts entry: slow raises verification to high; lock to very high and pauses invites for a day', async () => {
    await run({ type: 'entry.restrict', mode: 'slow', reason: 'join raid' });
    expect(only('PATCH', `/guilds/${kopiId}`).body).toEqual({ verification_level: GuildVerificationLevel.High });
    mark = h.fake.calls.length;
    const before = Date.now();
    await run({ type: 'entry.restrict', mode: 'lock', reason: 'join raid' });
    const lock = only('PATCH', `/guilds/${kopiId}`);
    expect(lock.body).toEqual({ verification_level: GuildVerificationLevel.VeryHigh });
    expect(lock.reason).toBe('join raid');
    const pause = only('PUT', `/guilds/${kopiId}/incident-actions`);
    expect(Date.parse(pause.body.invites_disabled_until) - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
  });

  it('gives and takes roles by name, whatever their case, through GET /guilds/:id/roles; a missing role fails clearly in the mod log', async () => {
    const member = snowflake();
    await run(
      { type: 'role.add', member, role: 'ambassador', reason: 'approved' },
      { type: 'role.remove', member, role: 'moderator', reason: 'stepped down' },
      { type: 'role.add', member, role: 'champion', reason: 'tier' },
    );
    expect(only('PUT', `/guilds/${kopiId}/members/${member}/roles/${h.fake.roleId(KOPI.name, 'ambassador')}`).reason).toBe('approved');
    expect(only('DELETE', `/guilds/${kopiId}/members/${member}/roles/${h.fake.roleId(KOPI.name, 'Moderator')}`).reason).toBe('stepped down');
    const report = only('POST', `/channels/${channelId('mod-log')}/messages`);
    expect(report.body.content).toBe(`⚠️ Could not carry out role.add (<@${member}> champion): no role named "champion" in Discord guild ${kopiId}`);
    expect(report.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('waits out a 429 (retry-after) and retries a 500: each message lands exactly once', async () => {
    h.fake.fail({ method: 'POST', path: new RegExp(`^/channels/${channelId('feedback')}/messages$`), status: 429, retryAfter: 0.2 });
    const started = Date.now();
    await run({ type: 'message.send', channel: 'feedback', message: { text: 'after a rate limit' } });
    const attempts = calls().filter((c) => c.path === `/channels/${channelId('feedback')}/messages`);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);

    mark = h.fake.calls.length;
    h.fake.fail({ method: 'POST', path: new RegExp(`^/channels/${channelId('rules')}/messages$`), status: 500 });
    await run({ type: 'message.send', channel: 'rules', message: { text: 'after an outage' } });
    expect(calls().filter((c) => c.path === `/channels/${channelId('rules')}/messages`).map((c) => c.status)).toEqual([500, 200]);
    expect(calls().filter((c) => c.path.startsWith('/channels/') && c.path.endsWith('/messages') && c.status === 200).map((c) => c.body.content)).toEqual(['after an outage']);
    expect(h.fake.callsTo('POST', `/channels/${channelId('mod-log')}/messages`).filter((c) => c.body.content.includes('after'))).toEqual([]);
  });

  it("reports a refused ban (403) to the mod log in the community's words, goes on with the next action, and never reports a failed mod-log post", async () => {
    const member = snowflake();
    h.fake.fail({ method: 'PUT', path: /^\/guilds\/\d+\/bans\/\d+$/, status: 403 });
    await run({ type: 'member.ban', member, reason: 'spam' }, { type: 'message.send', channel: 'general', message: { text: 'next action' } });
    const report = only('POST', `/channels/${channelId('mod-log')}/messages`);
    expect(report.body.content).toBe(`⚠️ Could not carry out member.ban (<@${member}>): Missing Permissions`);
    expect(only('POST', `/channels/${channelId('general')}/messages`).body.content).toBe('next action');

    mark = h.fake.calls.length;
    h.fake.fail({ method: 'POST', path: new RegExp(`^/channels/${channelId('mod-log')}/messages$`), status: 403 });
    await run({ type: 'message.send', channel: 'mod-log', message: { text: 'case #9' } });
    expect(calls().filter((c) => c.path === `/channels/${channelId('mod-log')}/messages`).map((c) => c.status)).toEqual([403]);
    expect(h.logs.some((l) => l.msg === 'platform action failed' && l.action === 'message.send')).toBe(true);
  });
});

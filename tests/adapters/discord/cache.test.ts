import { Events, GatewayDispatchEvents, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient } from '../../../src/adapters/discord/gateway/client.js';
import { FakeDiscord, member, memberAdd, message, user } from '../../support/fake-discord/index.js';
import { KOPI, waitUntil } from './harness.js';

describe("Discord adapter's discord.js cache stays small however many members come and talk", () => {
  let fake: FakeDiscord;
  let client: ReturnType<typeof createDiscordClient>;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ guilds: [KOPI] });
    client = createDiscordClient({ apiUrl: fake.restBase, restGlobalRequestsPerSecond: 1000 });
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login('fake-token');
    await ready;
  });
  afterAll(async () => {
    await client?.destroy();
    await fake?.stop();
  });

  it('keeps only the bot among members and users, and no messages, after 5,000 joins and messages', async () => {
    const guild = fake.guild(KOPI.name);
    const general = fake.channel(KOPI.name, 'general');
    let seen = 0;
    client.on(Events.MessageCreate, (m) => {
      // Read while discord.js has the author's member at hand, as the adapter does.
      if (m.member?.id === m.author.id) seen++;
    });
    const count = 5000;
    for (let i = 0; i < count; i++) {
      const who = user(`member${i}`);
      const joined = { ...member(who), user: who };
      fake.dispatch(GatewayDispatchEvents.GuildMemberAdd, memberAdd(guild.id, joined));
      fake.dispatch(GatewayDispatchEvents.MessageCreate, message({ guildId: guild.id, channelId: general.id, author: joined, content: `hello ${i}` }));
    }
    await waitUntil(() => seen >= count, 30_000, `${count} messages`);
    const cached = client.guilds.cache.get(guild.id)!;
    expect(cached.members.cache.size).toBeLessThanOrEqual(2);
    expect(client.users.cache.size).toBeLessThanOrEqual(2);
    expect((cached.channels.cache.get(general.id) as TextChannel).messages.cache.size).toBe(0);
    // Roles and channels stay: events carry their names.
    expect(cached.roles.cache.size).toBe(KOPI.roles.length + 1);
  });
});

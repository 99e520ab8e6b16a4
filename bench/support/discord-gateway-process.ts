// A child process hosting the fake Discord (gateway and REST, tests/support/fake-discord) for the
// benchmarks, so that generating and sending the traffic does not run on the event loop, nor
// count in the memory, of the client under test. Driven over IPC by DiscordGatewayProcess.
import { ChannelType, type APITextChannel } from 'discord.js';
import { FakeDiscord, snowflake, thread } from '../../tests/support/fake-discord/index.js';
import { reportFailures, type ChildMessage } from './child.js';
import { bigGuildTraffic, ingestAuthors, ingestMessages, type Dispatch, type IngestGuild } from './discord-workload.js';

reportFailures();

/** The default configuration's channels, and where members talk. */
const STANDARD_CHANNELS = ['general', 'rules', 'introductions', 'mod-log', 'feedback', 'questions', 'help', 'random', 'dev'];
const TALK = new Set(['general', 'questions', 'help', 'random', 'dev']);

let fake: FakeDiscord | undefined;
let ingest: IngestGuild[] = [];

const send = (message: ChildMessage) => process.send!(message);

async function stream(dispatches: Iterable<Dispatch>): Promise<{ dispatched: number; seconds: number }> {
  const began = performance.now();
  let dispatched = 0;
  for (const { t, d } of dispatches) {
    fake!.dispatch(t, d);
    // Lets heartbeats and REST requests be answered between batches.
    if (++dispatched % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return { dispatched, seconds: (performance.now() - began) / 1000 };
}

process.on('message', (message: ChildMessage) => {
  void (async () => {
    switch (message.type) {
      case 'start-ingest': {
        const guilds = Number(message.guilds);
        fake = await FakeDiscord.start({ guilds: Array.from({ length: guilds }, (_, g) => ({ name: `Kopi ${g + 1}`, channels: STANDARD_CHANNELS, roles: ['Moderator', 'manager'] })) });
        ingest = fake.guilds.map((guild, g) => {
          const texts = guild.channels.filter((c): c is APITextChannel => c.type === ChannelType.GuildText);
          const general = texts.find((c) => c.name === 'general')!;
          // Two threads under #general, started from messages before the run.
          for (const name of ['welcome thread', 'gear talk']) guild.threads.push(thread(guild.id, general, snowflake(), name));
          return { guild, talkChannels: [...texts.filter((c) => TALK.has(c.name)).map((c) => c.id), ...guild.threads.map((t) => t.id)], authors: ingestAuthors(g, 200) };
        });
        send({ type: 'ready', restBase: fake.restBase });
        break;
      }
      case 'start-big-guild': {
        const channels = Number(message.channels);
        const names = [...STANDARD_CHANNELS, ...Array.from({ length: channels - STANDARD_CHANNELS.length }, (_, i) => `channel-${i + 1}`)];
        fake = await FakeDiscord.start({ guilds: [{ name: 'Big Guild', channels: names, roles: ['Moderator', 'manager'] }] });
        // What Discord sends for a large guild: the member count, not the members.
        Object.assign(fake.guilds[0]!, { member_count: Number(message.memberCount), large: true });
        send({ type: 'ready', restBase: fake.restBase });
        break;
      }
      case 'stream-ingest': {
        const figures = await stream(ingestMessages(ingest, Number(message.messages), { startMs: Date.now() }));
        send({ type: 'streamed', ...figures });
        break;
      }
      case 'stream-big-guild': {
        const figures = await stream(bigGuildTraffic(fake!.guilds[0]!, Number(message.joins), Number(message.messages), { startMs: Date.now() }));
        send({ type: 'streamed', ...figures });
        break;
      }
      case 'calls': {
        const byRoute: Record<string, number> = {};
        for (const call of fake!.calls) {
          const route = `${call.method} ${call.path.replace(/\d{15,}/g, ':id')} ${call.status}`;
          byRoute[route] = (byRoute[route] ?? 0) + 1;
        }
        send({ type: 'calls', byRoute });
        break;
      }
      case 'stop':
        await fake?.stop();
        process.disconnect();
        break;
    }
  })().catch((error: unknown) => {
    send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});

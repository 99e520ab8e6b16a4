import { TsChild } from './child.js';

export interface Streamed {
  type: 'streamed';
  dispatched: number;
  seconds: number;
}

/** The fake Discord in its own process (see discord-gateway-process.ts). */
export class DiscordGatewayProcess {
  readonly #child: TsChild;
  restBase = '';

  private constructor() {
    this.#child = new TsChild('bench/support/discord-gateway-process.ts');
  }

  /** Guilds with the default configuration's channels, two threads each, and 200 posting members. */
  static async ingest(guilds: number): Promise<DiscordGatewayProcess> {
    return DiscordGatewayProcess.#start({ type: 'start-ingest', guilds });
  }

  /** One guild with `channels` text channels announcing `memberCount` members. */
  static async bigGuild(channels: number, memberCount: number): Promise<DiscordGatewayProcess> {
    return DiscordGatewayProcess.#start({ type: 'start-big-guild', channels, memberCount });
  }

  static async #start(message: { type: string; [key: string]: unknown }): Promise<DiscordGatewayProcess> {
    const gateway = new DiscordGatewayProcess();
    try {
      gateway.#child.send(message);
      gateway.restBase = String((await gateway.#child.receive('ready', 60_000)).restBase);
      return gateway;
    } catch (error) {
      await gateway.stop();
      throw error;
    }
  }

  /** Starts streaming; resolves when every dispatch has been written to the socket. */
  streamIngest(messages: number): Promise<Streamed> {
    this.#child.send({ type: 'stream-ingest', messages });
    return this.#child.receive<Streamed>('streamed');
  }

  streamBigGuild(joins: number, messages: number): Promise<Streamed> {
    this.#child.send({ type: 'stream-big-guild', joins, messages });
    return this.#child.receive<Streamed>('streamed');
  }

  /** REST calls the fake answered, by "METHOD /route status". */
  async calls(): Promise<Record<string, number>> {
    this.#child.send({ type: 'calls' });
    return (await this.#child.receive<{ type: string; byRoute: Record<string, number> }>('calls')).byRoute;
  }

  stop(): Promise<void> {
    return this.#child.stop();
  }
}

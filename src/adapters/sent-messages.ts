import type { Platform } from '../contracts/index.js';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface SentMessage {
  channel: string;
  messageId: string;
}

/**
 * Where the bot's keyed messages are on the platform (`message.send` with a `key`, edited later
 * by `message.edit`): in PostgreSQL, so any process, after any restart, edits the same message.
 */
export class SentMessageStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly platform: Platform,
  ) {}

  async remember(community: string, key: string, sent: SentMessage): Promise<void> {
    const { id: communityId } = await this.prisma.community.upsert({
      where: { platform_externalId: { platform: this.platform, externalId: community } },
      create: { platform: this.platform, externalId: community },
      update: {},
      select: { id: true },
    });
    await this.prisma.platformMessage.upsert({
      where: { communityId_key: { communityId, key } },
      create: { communityId, key, channelExternalId: sent.channel, messageExternalId: sent.messageId },
      update: { channelExternalId: sent.channel, messageExternalId: sent.messageId },
    });
  }

  async find(community: string, key: string): Promise<SentMessage | undefined> {
    const row = await this.prisma.platformMessage.findFirst({
      where: { key, community: { platform: this.platform, externalId: community } },
      select: { channelExternalId: true, messageExternalId: true },
    });
    return row ? { channel: row.channelExternalId, messageId: row.messageExternalId } : undefined;
  }
}

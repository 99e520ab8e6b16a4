import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Prisma, PrismaClient } from '../../../generated/prisma/client.js';

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** The row key: an organization-wide install is one row per enterprise, else one per workspace. */
export function installationKey(query: { isEnterpriseInstall?: boolean; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
  if (query.isEnterpriseInstall && query.enterpriseId) return `enterprise:${query.enterpriseId}`;
  if (query.teamId) return `team:${query.teamId}`;
  throw new Error('a Slack installation needs a team id, or an enterprise id for an organization-wide install');
}

/**
 * Bolt's installation store (OAuth, many workspaces) in PostgreSQL through Prisma, table
 * `SlackInstallation`: the Installation object as Bolt hands it over, keyed "team:<id>" or
 * "enterprise:<id>", so every process sees every workspace and tokens survive restarts.
 */
export class PrismaInstallationStore implements InstallationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async storeInstallation(installation: AnyInstallation): Promise<void> {
    const enterpriseId = installation.enterprise?.id;
    const teamId = installation.team?.id;
    const key = installationKey({ isEnterpriseInstall: installation.isEnterpriseInstall, enterpriseId, teamId });
    const data = {
      teamId: installation.isEnterpriseInstall ? null : (teamId ?? null),
      enterpriseId: enterpriseId ?? null,
      installation: JSON.parse(JSON.stringify(installation)) as Prisma.InputJsonValue,
    };
    await this.prisma.slackInstallation.upsert({ where: { key }, create: { key, ...data }, update: data });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    const key = installationKey(query);
    const row = await this.prisma.slackInstallation.findUnique({ where: { key }, select: { installation: true } });
    if (!row) throw new Error(`no Slack installation for ${key}`);
    return row.installation as unknown as AnyInstallation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.prisma.slackInstallation.deleteMany({ where: { key: installationKey(query) } });
  }

  /**
   * The installation that serves a workspace: its own, else the organization-wide one of its
   * enterprise (when known from its events), else the only organization-wide one there is.
   */
  async forTeam(teamId: string, enterpriseId: string | undefined): Promise<AnyInstallation | undefined> {
    const own = await this.prisma.slackInstallation.findUnique({ where: { key: `team:${teamId}` }, select: { installation: true } });
    if (own) return own.installation as unknown as AnyInstallation;
    if (enterpriseId) {
      const org = await this.prisma.slackInstallation.findUnique({ where: { key: `enterprise:${enterpriseId}` }, select: { installation: true } });
      if (org) return org.installation as unknown as AnyInstallation;
    }
    const orgs = await this.prisma.slackInstallation.findMany({ where: { key: { startsWith: 'enterprise:' } }, select: { installation: true }, take: 2 });
    return orgs.length === 1 ? (orgs[0]!.installation as unknown as AnyInstallation) : undefined;
  }
}

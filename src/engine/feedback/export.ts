import { stringify } from 'csv-stringify/sync';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { feedbackRef } from './format.js';

export const EXPORT_COLUMNS = [
  'platform',
  'community',
  'ref',
  'category',
  'status',
  'supporters',
  'author_id',
  'author_name',
  'created_at',
  'status_changed_at',
  'status_note',
  'text',
] as const;

export interface ExportFilter {
  platform?: 'discord' | 'slack' | 'shell';
  /** The community's platform id (guild or team id). */
  community?: string;
  /** Items created at or after this time. */
  since?: Date;
  category?: string;
  status?: string;
}

/** Every feedback item as CSV for the product team (RFC 4180 quoting by csv-stringify), oldest first. */
export async function exportFeedbackCsv(prisma: PrismaClient, filter: ExportFilter = {}): Promise<{ csv: string; rows: number }> {
  const items = await prisma.feedback.findMany({
    where: {
      ...(filter.since && { createdAt: { gte: filter.since } }),
      ...(filter.category && { category: filter.category }),
      ...(filter.status && { status: filter.status as never }),
      community: { ...(filter.platform && { platform: filter.platform }), ...(filter.community && { externalId: filter.community }) },
    },
    orderBy: [{ communityId: 'asc' }, { number: 'asc' }],
    include: { community: true, author: true, _count: { select: { votes: true } } },
  });
  const rows = items.map((item) => [
    item.community.platform,
    item.community.externalId,
    feedbackRef(item.number),
    item.category,
    item.status.replace('_', '-'),
    item._count.votes,
    item.author?.externalId ?? '',
    item.author?.name ?? '',
    item.createdAt.toISOString(),
    item.statusChangedAt?.toISOString() ?? '',
    item.statusNote ?? '',
    item.text,
  ]);
  return { csv: stringify(rows, { header: true, columns: [...EXPORT_COLUMNS] }), rows: rows.length };
}

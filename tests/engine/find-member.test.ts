import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMemberByReference } from '../../src/engine/records/index.js';
import { DATABASE_KINDS, openTestDatabase, type DatabaseKind } from '../support/test-engine.js';
import type { Database } from '../../src/db/index.js';

describe.each(DATABASE_KINDS)('naming a member in a command (%s)', (kind: DatabaseKind) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let communityId: number;
  beforeAll(async () => {
    ({ database, dispose } = await openTestDatabase(kind));
    const community = await database.prisma.community.create({ data: { platform: 'discord', externalId: 'g-find' } });
    communityId = community.id;
    await database.prisma.member.createMany({
      data: [
        { communityId, externalId: 'u1', name: 'Ayu' },
        { communityId, externalId: 'u2', name: 'Bu_di' },
        { communityId, externalId: 'u3', name: '100%' },
      ],
    });
  }, 60_000);
  afterAll(async () => dispose?.());

  const find = (raw: string) => database.prisma.$transaction((tx) => findMemberByReference(tx, communityId, raw));

  it('finds a member by id, by mention and by name in any case', async () => {
    expect((await find('u1'))?.name).toBe('Ayu');
    expect((await find('<@u1>'))?.name).toBe('Ayu');
    expect((await find('@ayu'))?.name).toBe('Ayu');
  });

  it('reads %, _ and \\ in a name literally: no wildcard matches, no error', async () => {
    expect(await find('%')).toBeNull();
    expect(await find('A_u')).toBeNull();
    expect(await find('\\')).toBeNull();
    expect(await find('@\\')).toBeNull();
    expect((await find('bu_di'))?.externalId).toBe('u2');
    expect((await find('100%'))?.externalId).toBe('u3');
  });
});

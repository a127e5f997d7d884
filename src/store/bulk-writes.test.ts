import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { useBulkWriteSettings } from './bulk-writes.ts';
import type { Database } from './database.ts';

async function pragma(db: Kysely<Database>, name: string): Promise<number> {
  const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(db);
  return Number(rows[0]![name]);
}

describeStores('bulk write settings', (getStore, dialect) => {
  it('apply for the run and come back after, once the last nested run ends', async () => {
    const { db } = getStore();
    if (dialect === 'postgres') {
      const restore = await useBulkWriteSettings(db); // nothing to set
      await restore();
      return;
    }
    const before = { cache: await pragma(db, 'cache_size'), checkpoint: await pragma(db, 'wal_autocheckpoint') };
    const outer = await useBulkWriteSettings(db);
    const inner = await useBulkWriteSettings(db);
    const during = { cache: await pragma(db, 'cache_size'), checkpoint: await pragma(db, 'wal_autocheckpoint') };
    expect(during.cache).toBeLessThan(before.cache); // negative = KiB: more than the default
    expect(during.checkpoint).toBeGreaterThan(before.checkpoint);
    await inner();
    await inner(); // twice is harmless
    expect(await pragma(db, 'cache_size')).toBe(during.cache);
    await outer();
    expect({ cache: await pragma(db, 'cache_size'), checkpoint: await pragma(db, 'wal_autocheckpoint') }).toEqual(before);
  });

  it('are shared by runs that start together: the defaults come back only after both', async () => {
    const { db } = getStore();
    if (dialect === 'postgres') return;
    const before = { cache: await pragma(db, 'cache_size'), checkpoint: await pragma(db, 'wal_autocheckpoint') };
    const [first, second] = await Promise.all([useBulkWriteSettings(db), useBulkWriteSettings(db)]);
    await first();
    expect(await pragma(db, 'cache_size')).not.toBe(before.cache);
    await second();
    expect({ cache: await pragma(db, 'cache_size'), checkpoint: await pragma(db, 'wal_autocheckpoint') }).toEqual(before);
  });
});

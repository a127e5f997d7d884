import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { acquireLease, LeaseBusy } from './lease.ts';
import type { Store } from './database.ts';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';

describeStores('leases', (getStore) => {
  it('admits one holder at a time and is free again after release', async () => {
    const store = getStore();
    const first = await acquireLease(store, 'archive:wwcorp');
    await expect(acquireLease(store, 'archive:wwcorp')).rejects.toBeInstanceOf(LeaseBusy);
    const other = await acquireLease(store, 'archive:wwother');
    await first.release();
    const again = await acquireLease(store, 'archive:wwcorp');
    await Promise.all([again.release(), other.release()]);
  });

  it('leaves every pooled connection to the queries, however many leases are held (a watch of many corps)', async () => {
    const store = getStore();
    // More leases than PostgreSQL's pool has connections (10): a lease on a pooled connection would
    // leave the query below waiting forever.
    const leases = await Promise.all(Array.from({ length: 12 }, (_, i) => acquireLease(store, `archive:wwcorp${i}`)));
    try {
      const rows = await store.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).execute();
      expect(rows).toHaveLength(1);
    } finally {
      await Promise.all(leases.map((lease) => lease.release()));
    }
  });

  it('is released when its holder is killed', async () => {
    const store = getStore();
    // Another process opens the same database and takes the lease.
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { openStore } = await import(${JSON.stringify(new URL('./open.ts', import.meta.url).pathname)});
      const { acquireLease } = await import(${JSON.stringify(new URL('./lease.ts', import.meta.url).pathname)});
      const store = await openStore(JSON.parse(process.env.STORE_OPTIONS));
      await acquireLease(store, 'archive:wwkilled');
      process.stdout.write('held\\n');
      setInterval(() => {}, 1000);
    `], { env: { ...process.env, STORE_OPTIONS: JSON.stringify(storeOptions(store)) }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    await expect(acquireLease(store, 'archive:wwkilled')).rejects.toBeInstanceOf(LeaseBusy);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    // PostgreSQL notices the dead connection asynchronously: ask until it has.
    let lease;
    for (let attempt = 0; !lease && attempt < 50; attempt += 1) {
      lease = await acquireLease(store, 'archive:wwkilled').catch(async (err: unknown) => {
        if (!(err instanceof LeaseBusy)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    expect(lease).toBeDefined();
    await lease!.release();
  });
});

/** How another process opens the same database (test URLs carry no password, so location is usable). */
function storeOptions(store: Store): { dataDir: string; databaseUrl?: string } {
  return store.dialect === 'postgres' ? { dataDir: tmpdir(), databaseUrl: store.location } : { dataDir: dirname(store.location) };
}

import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { acquirePidLock, PidLockBusy } from '../util/pid-lock.ts';
import type { Store } from './database.ts';

/**
 * One holder at a time of a named job (the archive puller of a corp, its media queue), across every
 * process that shares the store. PostgreSQL: a session advisory lock on a connection of its own, so
 * it spans machines and is released by the server when the holder dies. SQLite (one machine): a pid
 * lock file beside the database, taken over when its owner has died.
 */
export interface Lease {
  release(): Promise<void>;
}

/** The lease is held elsewhere; `holder` is the pid on SQLite, unknown on PostgreSQL. */
export class LeaseBusy extends Error {
  constructor(readonly lease: string, readonly holder?: number) {
    super(`lease ${lease} is held by ${holder ?? 'another process'}`);
  }
}

export async function acquireLease(store: Store, name: string): Promise<Lease> {
  return store.dialect === 'postgres' ? advisoryLease(store, name) : fileLease(store, name);
}

function fileLease(store: Store, name: string): Promise<Lease> {
  const file = join(dirname(store.location), 'locks', `${name.replace(/[^\w.-]/g, '_')}.lock`);
  return acquirePidLock(file).catch((err: unknown) => {
    throw err instanceof PidLockBusy ? new LeaseBusy(name, err.pid) : err;
  });
}

/**
 * Holds one pooled connection until release: a session lock lives and dies with its connection. The
 * key includes the schema, as advisory locks are database-wide and two stores may share a database.
 */
async function advisoryLease(store: Store, name: string): Promise<Lease> {
  let granted!: (held: boolean) => void;
  let release!: () => void;
  const acquired = new Promise<boolean>((resolve) => { granted = resolve; });
  const released = new Promise<void>((resolve) => { release = resolve; });
  const held = store.db.connection().execute(async (connection) => {
    const { rows } = await sql<{ held: boolean }>`select pg_try_advisory_lock(hashtextextended(current_schema() || ':' || ${name}, 0)) as held`.execute(connection);
    granted(Boolean(rows[0]?.held));
    if (!rows[0]?.held) return;
    await released;
    await sql`select pg_advisory_unlock(hashtextextended(current_schema() || ':' || ${name}, 0))`.execute(connection);
  });
  held.catch(() => granted(false));
  if (!(await acquired)) {
    await held.catch(() => {});
    throw new LeaseBusy(name);
  }
  return {
    release: async () => {
      release();
      await held;
    },
  };
}

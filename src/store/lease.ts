import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { acquirePidLock, PidLockBusy } from '../util/pid-lock.ts';
import type { Store, StoreSession } from './database.ts';

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
 * Holds a connection of its own until release: a session lock lives and dies with its connection,
 * and a pooled one would be taken from the queries for as long as the job runs (a watch of many
 * corps would exhaust the pool). The key includes the schema, as advisory locks are database-wide
 * and two stores may share a database.
 */
async function advisoryLease(store: Store, name: string): Promise<Lease> {
  if (!store.openSession) throw new Error('a PostgreSQL store opens sessions of its own (openStore)');
  return sessionLease(await store.openSession(), name);
}

const LOCK_KEY = "hashtextextended(current_schema() || ':' || $1, 0)";

async function sessionLease(session: StoreSession, name: string): Promise<Lease> {
  let held = false;
  try {
    const { rows } = await session.query<{ held: boolean }>(`select pg_try_advisory_lock(${LOCK_KEY}) as held`, [name]);
    held = Boolean(rows[0]?.held);
  } finally {
    if (!held) await session.end().catch(() => {});
  }
  if (!held) throw new LeaseBusy(name);
  let released: Promise<void> | undefined;
  return {
    release: () => (released ??= (async () => {
      try {
        await session.query(`select pg_advisory_unlock(${LOCK_KEY})`, [name]);
      } finally {
        await session.end().catch(() => {});
      }
    })()),
  };
}


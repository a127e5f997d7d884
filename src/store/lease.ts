import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { acquirePidLock, PidLockBusy } from '../util/pid-lock.ts';
import type { Store, StoreSession } from './database.ts';
import { parseApplicationName } from './dialects.ts';

/**
 * One holder at a time of a named job (the archive puller of a corp, its media queue), across every
 * process that shares the store. PostgreSQL: a session advisory lock on a connection of its own, so
 * it spans machines and is released by the server when the holder dies. SQLite (one machine): a pid
 * lock file beside the database, taken over when its owner has died.
 */
export interface Lease {
  release(): Promise<void>;
}

/**
 * Who holds a lease: the host and pid of its process (SQLite: from the lock file, on this machine;
 * PostgreSQL: from the holder's application_name, see dialects.ts). Either may be unknown, as for a
 * holder that is not wecom-archive or a role not allowed to see other sessions.
 */
export interface LeaseHolder {
  host?: string;
  pid?: number;
}

/** The lease is held elsewhere, by `holder`. */
export class LeaseBusy extends Error {
  constructor(readonly lease: string, readonly holder: LeaseHolder = {}) {
    super(`lease ${lease} is held by process ${holder.pid ?? '?'} on ${holder.host ?? '?'}`);
  }
}

/** `{host}` and `{pid}` for a message naming the holder ('?' for what is unknown). */
export function holderVars(holder: LeaseHolder): { host: string; pid: string | number } {
  return { host: holder.host ?? '?', pid: holder.pid ?? '?' };
}

export async function acquireLease(store: Store, name: string): Promise<Lease> {
  return store.dialect === 'postgres' ? advisoryLease(store, name) : fileLease(store, name);
}

function fileLease(store: Store, name: string): Promise<Lease> {
  const file = join(dirname(store.location), 'locks', `${name.replace(/[^\w.-]/g, '_')}.lock`);
  return acquirePidLock(file).catch((err: unknown) => {
    throw err instanceof PidLockBusy ? new LeaseBusy(name, { host: hostname(), pid: err.pid }) : err;
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
    if (!held) throw new LeaseBusy(name, await holderOf(session, name));
  } finally {
    if (!held) await session.end().catch(() => {});
  }
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


/**
 * The session holding the advisory lock, from pg_locks and pg_stat_activity: a bigint key is kept
 * as classid (its high 32 bits) and objid (its low 32 bits), objsubid 1. Unknown when the holder let
 * go meanwhile or the query is not allowed; a refusal never fails for want of a name.
 */
async function holderOf(session: StoreSession, name: string): Promise<LeaseHolder> {
  try {
    const { rows } = await session.query<{ app: string | null; backend: number }>(`
      with k as (select ${LOCK_KEY} as key)
      select a.application_name as app, a.pid as backend
      from k, pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.objsubid = 1
        and l.database = (select oid from pg_database where datname = current_database())
        and l.classid = ((k.key >> 32) & 4294967295)::oid and l.objid = (k.key & 4294967295)::oid
      limit 1`, [name]);
    return parseApplicationName(rows[0]?.app) ?? {};
  } catch {
    return {};
  }
}

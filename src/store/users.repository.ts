import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database } from './database.ts';
import type { LoginThrottleTable, SessionTable, UserTable } from './users.table.ts';

/** Users, sessions (by the hash of their id) and the login throttle. */

export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type ThrottleRow = Selectable<LoginThrottleTable>;
type Db = Kysely<Database>;

const users = {
  async insert(db: Db, row: UserRow): Promise<void> {
    await db.insertInto('users').values(row).execute();
  },
  async byName(db: Db, name: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  },
  async byId(db: Db, id: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async list(db: Db): Promise<UserRow[]> {
    return db.selectFrom('users').selectAll().orderBy('name').execute();
  },
  async update(db: Db, id: string, changes: Updateable<UserTable>): Promise<void> {
    await db.updateTable('users').set(changes).where('id', '=', id).execute();
  },
  /** Whether any enabled admin exists (serve refuses to start without one). */
  async hasAdmin(db: Db): Promise<boolean> {
    const row = await db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).limit(1).executeTakeFirst();
    return row !== undefined;
  },
};

const sessions = {
  async insert(db: Db, row: SessionRow): Promise<void> {
    await db.insertInto('sessions').values(row).execute();
  },
  async byHash(db: Db, idHash: string): Promise<SessionRow | undefined> {
    return db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  },
  async update(db: Db, idHash: string, changes: Updateable<SessionTable>): Promise<void> {
    await db.updateTable('sessions').set(changes).where('id_hash', '=', idHash).execute();
  },
  async remove(db: Db, idHash: string): Promise<void> {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  },
  /** Ends every session of a user (disabled, new password, new role). */
  async removeForUser(db: Db, userId: string): Promise<void> {
    await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  },
  /** Drops sessions past their absolute expiry or idle since `idleBefore`. */
  async prune(db: Db, now: number, idleBefore: number): Promise<void> {
    await db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)])).execute();
  },
};

const throttle = {
  async get(db: Db, key: string): Promise<ThrottleRow | undefined> {
    return db.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
  },
  async put(db: Db, row: ThrottleRow): Promise<void> {
    await db.deleteFrom('login_throttle').where('key', '=', row.key).execute();
    await db.insertInto('login_throttle').values(row).execute();
  },
  async clear(db: Db, key: string): Promise<void> {
    await db.deleteFrom('login_throttle').where('key', '=', key).execute();
  },
};

export const usersRepository = Object.freeze({ users, sessions, throttle });

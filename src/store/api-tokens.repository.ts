import type { Kysely, Selectable } from 'kysely';
import type { ApiTokenTable } from './api-tokens.table.ts';
import type { Database } from './database.ts';

/** API tokens by hash, id or name. The token itself never reaches the store. */

export type ApiTokenRow = Selectable<ApiTokenTable>;

/** A token's last use is written at most this often (a request does not cost a write). */
export const LAST_USED_RESOLUTION_MS = 60_000;

async function insert(db: Kysely<Database>, row: Omit<ApiTokenRow, 'last_used_at' | 'revoked_at'>): Promise<void> {
  await db.insertInto('api_tokens').values({ ...row, last_used_at: null, revoked_at: null }).execute();
}

/** Every token, live and revoked, oldest first. */
async function list(db: Kysely<Database>): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
}

async function byHash(db: Kysely<Database>, tokenHash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** The tokens an operator means by `idOrName`: the one with that id, else the live ones with that name. */
async function find(db: Kysely<Database>, idOrName: string): Promise<ApiTokenRow[]> {
  const byId = await db.selectFrom('api_tokens').selectAll().where('id', '=', idOrName).executeTakeFirst();
  if (byId) return [byId];
  return db.selectFrom('api_tokens').selectAll().where('name', '=', idOrName).where('revoked_at', 'is', null).orderBy('created_at').execute();
}

/** Revokes a live token; false when it was already revoked (or does not exist). */
async function revoke(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records a use, unless one was recorded within the last minute (a conditional update: no read first). */
async function touch(db: Kysely<Database>, id: string, now: number): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - LAST_USED_RESOLUTION_MS)]))
    .execute();
}

export const apiTokensRepository = Object.freeze({ insert, list, byHash, find, revoke, touch });

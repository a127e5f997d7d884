import type { Kysely } from 'kysely';

/**
 * API tokens (api-tokens.table.ts): who may call the REST API. Only the SHA-256 of a token is
 * kept; the token itself is shown once, when made. Frozen in time: takes `Kysely<any>`.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  // A name picks one live token (revoke by name); a revoked token's name may be used again.
  await db.schema.createIndex('api_tokens_name').on('api_tokens').column('name').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_tokens').execute();
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { SECRET_KEY_OF } from '../../src/wecom/credentials.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.ts';
import type { Database, Store } from '../../src/store/database.ts';
import { ENTITIES, type EntityName } from '../../src/store/entities.ts';
import { meteredFetch } from '../../src/sync/metering.ts';
import { SYNC_SCOPES, type SyncScope } from '../../src/sync/progress.ts';
import { runSync, type SyncResult } from '../../src/sync/run.ts';
import { Tally } from '../../src/sync/tally.ts';
import { createWecomClient } from '../../src/wecom/client.ts';
import type { CredentialKind } from '../../src/wecom/endpoints.ts';
import type { TestDatabase } from '../helpers/databases.ts';

/** Sync test helpers: a small sandbox with limits raised out of the way, syncs, canonical dumps. */

/** Frequency limits out of the way (tests are not about 45009); the concurrency cap stays WeCom's. */
export const TEST_LIMITS = { perMinute: 1_000_000, perHour: 10_000_000 };

export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ size: 'small', ...options, limits: { ...TEST_LIMITS, ...options.limits } });
}

/** The one-app-per-function set-up: self-built app for the directory, customer-contact secret. */
export const APP_AND_CUSTOMER: readonly CredentialKind[] = ['app', 'customer'];

export async function syncWith(
  store: Store, sandbox: Sandbox, options: { kinds?: readonly CredentialKind[]; scopes?: readonly SyncScope[]; rowsPerCommit?: number } = {},
): Promise<SyncResult> {
  const kinds = options.kinds ?? APP_AND_CUSTOMER;
  const tally = new Tally();
  const client = createWecomClient({
    corpId: sandbox.corpId, apiBase: sandbox.url, secrets: Object.fromEntries(kinds.map((k) => [k, sandbox.secrets[k]])),
    retryPolicy: 'test', fetch: meteredFetch(tally),
  });
  try {
    return await runSync({ store, corpId: sandbox.corpId, client, scopes: options.scopes ?? SYNC_SCOPES, tally, rowsPerCommit: options.rowsPerCommit });
  } finally {
    await client.close();
  }
}

/** The sandbox summary's name for each entity whose count must match it exactly. */
export const SUMMARY_OF: Partial<Record<EntityName, string>> = {
  departments: 'departments', employees: 'employees', customers: 'customers', follow_relations: 'follow_relations', customer_groups: 'groups',
};

export async function liveCount(db: Kysely<Database>, table: EntityName, corpId: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'))
    .where('corp_id', '=', corpId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Columns that differ between two runs with the same outcome: when, and by which run. */
const VOLATILE = new Set(['first_seen_at', 'updated_at', 'deleted_at', 'run_id']);

/**
 * Every synced table (entities and their child tables, from the store's declarations), rows as
 * sorted JSON, timestamps and run ids left out, deletion kept as a flag.
 */
export async function canonicalDump(db: Kysely<Database>, corpId: string): Promise<Record<string, string[]>> {
  const tables = Object.entries(ENTITIES).flatMap(([entity, spec]) => [entity, ...Object.values(spec.children).map((c) => c.table as string)]);
  const dump: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await (db as unknown as Kysely<any>).selectFrom(table).selectAll().where('corp_id', '=', corpId).execute() as Record<string, unknown>[];
    dump[table] = rows.map((row) => {
      const kept = Object.entries(row).filter(([k]) => !VOLATILE.has(k)).sort(([a], [b]) => a.localeCompare(b));
      return JSON.stringify([...kept, ...('deleted_at' in row ? [['deleted', row.deleted_at !== null]] : [])]);
    }).sort();
  }
  return dump;
}

/** A config file in the users' format for the CLI: the sandbox's secrets, API base and database. */
export function writeConfig(dir: string, sandbox: Sandbox, database: TestDatabase, kinds: readonly CredentialKind[] = APP_AND_CUSTOMER): string {
  const lines = [
    `CORP_ID=${sandbox.corpId}`, `WECOM_API_BASE=${sandbox.url}`, `DATA_DIR=${database.dataDir}`,
    ...(database.databaseUrl ? [`DATABASE_URL=${database.databaseUrl}`] : []),
    ...kinds.map((k) => `${SECRET_KEY_OF[k]}=${sandbox.secrets[k]}`),
  ];
  const file = join(dir, 'wecom.env');
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Config } from '../config/types.ts';
import { result, skipped, type CheckHead } from '../doctor/probe.ts';
import type { CheckResult } from '../doctor/report.ts';
import type { Text } from '../i18n/index.ts';
import { readLastBackup } from '../store/backup.ts';
import type { Store } from '../store/database.ts';
import { storeHealth } from '../store/health.ts';
import { SQLITE_FILE_NAME, storeLocation } from '../store/location.ts';
import { openStore } from '../store/open.ts';
import { asStorageError } from '../store/storage-errors.ts';
import { isUserError } from '../util/errors.ts';
import { verifyChain, verifyHead } from './chain/verify.ts';
import { archiveCorps } from './status/status.ts';
import { STORE_TEXT as TEXT } from './store-texts.ts';

/**
 * Doctor's store checks (`doctor --store`, and inside plain `doctor`): the store opens (read-only,
 * never migrated), SQLite's quick_check finds no damage (PostgreSQL: it answers), its migrations,
 * free space against the expected growth, each corp's hash chain (the whole chain with `full`, its
 * head otherwise), and the age of the last backup.
 */

export type StoreConfig = Pick<Config, 'dataDir' | 'databaseUrl'> & { backupMaxAgeDays?: number };

const head = (id: string, title: Text): CheckHead => ({ id: `store.${id}`, credential: null, title });
const HEADS = {
  open: head('open', { zh: '存储', en: 'Store' }),
  integrity: head('integrity', { zh: '存储完整性', en: 'Store integrity' }),
  migrations: head('migrations', { zh: '存储结构版本', en: 'Store schema' }),
  space: head('space', { zh: '剩余空间', en: 'Free space' }),
  chain: head('chain', { zh: '哈希链', en: 'Hash chain' }),
  backup: head('backup', { zh: '备份', en: 'Backup' }),
};

const DAY_MS = 86_400_000;
/** Days of growth the free space should hold: fewer warns, less than one fails. */
const SPACE_WARN_DAYS = 30;

export async function storeChecks(config: StoreConfig, options: { full: boolean; now?: number }): Promise<CheckResult[]> {
  const location = storeLocation(config);
  if (!config.databaseUrl && !existsSync(join(config.dataDir, SQLITE_FILE_NAME))) return [skipped(HEADS.open, TEXT.none, { location })];
  let store: Store;
  try {
    store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, migrate: false, access: 'read' });
  } catch (err) {
    return [failed(HEADS.open, err, location)];
  }
  const checks: CheckResult[] = [result(HEADS.open, { message: store.readOnly ? TEXT.openReadOnly : TEXT.opened, vars: { location } })];
  try {
    const health = await storeHealth(store, config.dataDir);
    if (health.integrity) {
      const ok = health.integrity.length === 1 && health.integrity[0] === 'ok';
      checks.push(ok ? result(HEADS.integrity, { message: TEXT.quickCheckOk })
        : result(HEADS.integrity, { status: 'fail', message: TEXT.quickCheckFailed, fix: TEXT.damagedFix, vars: { found: health.integrity.slice(0, 3).join('; ') } }));
      if (!ok) return checks; // a damaged file: the rest would only fail on the damage again
    } else {
      checks.push(result(HEADS.integrity, { message: TEXT.pgReachable, vars: { location } }));
    }
    checks.push(health.pendingMigrations.length === 0 ? result(HEADS.migrations, { message: TEXT.migrationsOk })
      : result(HEADS.migrations, { status: 'warn', message: TEXT.migrationsPending, fix: TEXT.migrationsFix, vars: { n: health.pendingMigrations.length } }));
    checks.push(await spaceCheck(store, health.usedBytes, health.freeBytes, config.dataDir));
    for (const corpId of await archiveCorps(store.db)) {
      const report = options.full ? await verifyChain(store.db, corpId) : await verifyHead(store.db, corpId);
      checks.push(report.ok
        ? result(HEADS.chain, { message: options.full ? TEXT.chainOk : TEXT.headOk, vars: { corp: corpId, seq: report.headSeq?.toString() ?? '-', n: report.checked } })
        : result(HEADS.chain, { status: 'fail', message: TEXT.chainBroken, fix: TEXT.chainFix, vars: { corp: corpId, seq: report.firstBreak!.seq.toString(), field: report.firstBreak!.field } }));
    }
  } catch (err) {
    checks.push(failed(HEADS.integrity, err, location));
    return checks;
  } finally {
    await store.close();
  }
  checks.push(backupCheck(config, options.now ?? Date.now()));
  return checks;
}

function failed(check: CheckHead, err: unknown, location: string): CheckResult {
  const explained = asStorageError(err, location) ?? err;
  if (!isUserError(explained)) return result(check, { status: 'fail', message: TEXT.failed, vars: { reason: explained instanceof Error ? explained.message : String(explained) } });
  const d = { what: explained.what, why: explained.why };
  const message: Text = d.why ? { zh: `${d.what.zh}。${d.why.zh}`, en: `${d.what.en}. ${d.why.en}` } : d.what;
  return result(check, { status: 'fail', message, fix: explained.fix, vars: explained.vars });
}

async function spaceCheck(store: Store, used: number | null, free: number | null, dataDir: string): Promise<CheckResult> {
  if (free === null) return skipped(HEADS.space, TEXT.spaceUnknown, { path: dataDir });
  const { rows } = await sql<{ first: number | null; last: number | null }>`select min(msgtime) as first, max(msgtime) as last from messages`.execute(store.db);
  const span = Math.max(DAY_MS, Number(rows[0]?.last ?? 0) - Number(rows[0]?.first ?? 0));
  const perDay = used ? Math.ceil((used * DAY_MS) / span) : 0;
  const days = perDay > 0 ? Math.floor(free / perDay) : Infinity;
  const vars = { path: dataDir, free: mib(free), perDay: mib(perDay), days: Number.isFinite(days) ? days : '∞' };
  if (days < 1) return result(HEADS.space, { status: 'fail', message: TEXT.spaceLow, fix: TEXT.spaceFix, vars });
  if (days < SPACE_WARN_DAYS) return result(HEADS.space, { status: 'warn', message: TEXT.spaceLow, fix: TEXT.spaceFix, vars });
  return result(HEADS.space, { message: TEXT.spaceOk, vars });
}

function backupCheck(config: StoreConfig, now: number): CheckResult {
  if (config.databaseUrl) return skipped(HEADS.backup, TEXT.backupPg);
  const maxDays = config.backupMaxAgeDays ?? 7;
  const last = readLastBackup(config.dataDir);
  if (!last) return result(HEADS.backup, { status: 'warn', message: TEXT.backupNever, fix: TEXT.backupFix, vars: { days: maxDays } });
  const age = Math.floor((now - last.at) / DAY_MS);
  const vars = { days: maxDays, age, dir: last.dir, at: new Date(last.at).toISOString() };
  if (now - last.at > maxDays * DAY_MS) return result(HEADS.backup, { status: 'warn', message: TEXT.backupOld, fix: TEXT.backupFix, vars });
  return result(HEADS.backup, { message: TEXT.backupOk, vars });
}

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;

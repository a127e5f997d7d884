import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kysely, sql } from 'kysely';
import type { Text } from '../i18n/index.ts';
import { UserError } from '../util/errors.ts';
import { redactUrl } from '../util/redact.ts';
import type { Database, Store, StoreDialect, StoreSession } from './database.ts';
import { createPgDialect, openPgSession, openSqliteFile, openSqliteReadOnly, StoreSqliteDialect } from './dialects.ts';
import { IntegerPlugin } from './integers.ts';
import { migrateToLatest } from './migrate.ts';
import { checkSqliteFile, checkSqliteTables } from './sqlite-health.ts';
import { asStorageError } from './storage-errors.ts';

import { SQLITE_FILE_NAME } from './location.ts';

export interface OpenStoreOptions {
  /** postgres://… or postgresql://…; unset: SQLite in `dataDir`. A schema is chosen with libpq's
   * `?options=-c search_path=<schema>`. */
  databaseUrl?: string;
  dataDir: string;
  /** Run pending migrations (default true). */
  migrate?: boolean;
  /**
   * 'read': a SQLite file that this user cannot write (read-only folder, file or mount) is opened
   * read-only, without migrations, journal change or any file created beside it (`store.readOnly`).
   * Default 'write': such a store is refused with a clear read-only error.
   */
  access?: 'read' | 'write';
}

/** Opens (and by default migrates) the store. Throws a UserError when the database cannot be used. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir, options.access ?? 'write');
  try {
    await sql`select 1`.execute(store.db);
  } catch (err) {
    await store.close().catch(() => {});
    throw asStorageError(err, store.location) ?? unreachable(store, err);
  }
  if (options.migrate !== false && !store.readOnly) {
    try {
      await migrateToLatest(store.db, store.dialect);
    } catch (err) {
      await store.close().catch(() => {});
      throw asStorageError(err, store.location) ?? new UserError('store.migration_failed', { what: TEXT.migrationFailed, fix: TEXT.migrationFix,
        vars: { location: store.location, reason: errorMessage(err) } }, { cause: err });
    }
  }
  return store;
}

/** Opens the store, runs `fn`, and closes the store whatever happens (CLI commands, scripts). */
export async function usingStore<T>(options: OpenStoreOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(options);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * Makes DATA_DIR (owner-only) and checks this user can write in it. Everything the product keeps on
 * disk lives there (the SQLite file, the token cache, keys, media), so a DATA_DIR that is a file or
 * read-only is the user's to fix, named as such, rather than an internal error from deep inside.
 */
export function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, constants.W_OK);
  } catch (err) {
    // A read-only mount or a full disk is the storage's state, not a wrong setting: said as such.
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'EROFS' || code === 'ENOSPC') throw asStorageError(err, dataDir)!;
    throw new DataDirError(dataDir, err);
  }
}

export class DataDirError extends UserError {
  constructor(dataDir: string, err: unknown) {
    const code = (err as NodeJS.ErrnoException)?.code;
    const file = code === 'EEXIST' || code === 'ENOTDIR' ? fileInPath(dataDir) : undefined;
    super('data_dir_unusable', {
      what: file ? TEXT.dataDirIsFile : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? TEXT.dataDirReadOnly : TEXT.dataDirOther,
      why: file ? TEXT.dataDirBlocker : { zh: '{reason}', en: '{reason}' },
      fix: TEXT.dataDirFix,
      vars: { path: dataDir, file: file ?? '', reason: errorMessage(err) },
    }, { cause: err });
    this.name = 'DataDirError';
  }
}

/** Without creating anything: DATA_DIR, or a folder above it, exists as a file (read-only commands, doctor). */
export function dataDirProblem(dataDir: string): DataDirError | undefined {
  const file = fileInPath(dataDir);
  return file ? new DataDirError(dataDir, Object.assign(new Error(`${file} is not a folder`), { code: 'ENOTDIR' })) : undefined;
}

/** The path itself, or the nearest folder above it, that exists as something other than a folder. */
function fileInPath(path: string): string | undefined {
  for (let p = path; ; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) return p;
      return undefined;
    } catch {
      if (dirname(p) === p) return undefined;
    }
  }
}

function openSqlite(dataDir: string, access: 'read' | 'write'): Store {
  const file = join(dataDir, SQLITE_FILE_NAME);
  const readOnly = access === 'read' && existsSync(file) ? readOnlyMode(dataDir, file) : undefined;
  if (!readOnly) ensureDataDir(dataDir);
  let database;
  try {
    // Damage in the header or a truncated file is named before SQLite takes it for something else.
    checkSqliteFile(file);
    if (readOnly) {
      database = openSqliteReadOnly(file, readOnly === 'readonly');
    } else {
      if (existsSync(file)) accessSync(file, constants.W_OK);
      // The database holds decrypted chats, envelopes and sdkfileids: owner-only, like the config.
      // SQLite creates its -wal and -shm files with the main file's mode.
      closeSync(openSync(file, 'a', 0o600));
      chmodSync(file, 0o600);
      database = openSqliteFile(file);
    }
  } catch (err) {
    throw asStorageError(err, file) ?? new UserError('store.sqlite_open_failed', { what: TEXT.sqliteOpen, fix: TEXT.sqliteFix,
      vars: { location: file, reason: errorMessage(err) } }, { cause: err });
  }
  try {
    checkSqliteTables(database);
  } catch (err) {
    database.close();
    throw asStorageError(err, file) ?? err;
  }
  const db = new Kysely<Database>({ dialect: new StoreSqliteDialect({ database, location: file }), plugins: [new IntegerPlugin()] });
  return makeStore(db, 'sqlite', file, undefined, Boolean(readOnly));
}

/**
 * How a reader opens a store it cannot write: undefined when it can (the usual open); 'readonly'
 * when the folder is writable but the file is not (SQLite still keeps its -shm beside it);
 * 'immutable' when the folder cannot be written either (a read-only mount, write-once media): the
 * file is read as it is, and nothing is created beside it (dialects.ts, openSqliteReadOnly).
 */
function readOnlyMode(dataDir: string, file: string): 'readonly' | 'immutable' | undefined {
  const writable = (path: string) => {
    try {
      accessSync(path, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (!writable(dataDir)) return 'immutable';
  return writable(file) ? undefined : 'readonly';
}

function openPostgres(databaseUrl: string): Store {
  if (!/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new UserError('store.unsupported_url', { what: TEXT.unsupportedUrl, fix: TEXT.unsupportedFix,
      vars: { location: redactUrl(databaseUrl) } });
  }
  const { dialect } = createPgDialect(databaseUrl);
  const db = new Kysely<Database>({ dialect, plugins: [new IntegerPlugin()] });
  return makeStore(db, 'postgres', redactUrl(databaseUrl), () => openPgSession(databaseUrl));
}

function makeStore(
  db: Kysely<Database>, dialect: StoreDialect, location: string, openSession?: () => Promise<StoreSession>, readOnly = false,
): Store {
  let closed: Promise<void> | undefined;
  return Object.freeze({ db, dialect, location, openSession, readOnly, close: () => (closed ??= db.destroy()) });
}

function unreachable(store: Store, err: unknown): UserError {
  return new UserError('store.unreachable', {
    what: TEXT.unreachable,
    why: { zh: '{reason}', en: '{reason}' },
    fix: store.dialect === 'postgres' ? TEXT.pgFix : TEXT.sqliteFix,
    vars: { location: store.location, reason: errorMessage(err) },
  }, { cause: err });
}

function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return errorMessage(err.errors[0]);
  return err instanceof Error ? err.message || err.name : String(err);
}

const TEXT = {
  unreachable: { zh: '无法连接数据库 {location}', en: 'Cannot connect to the database {location}' },
  pgFix: {
    zh: '检查 DATABASE_URL 中的主机、端口、用户名、密码和数据库名，并确认 PostgreSQL 正在运行且允许本机连接。',
    en: 'Check the host, port, user, password and database name in DATABASE_URL, and that PostgreSQL is running and accepts connections from this machine.',
  },
  sqliteOpen: { zh: '无法打开 SQLite 数据库文件 {location}：{reason}', en: 'Cannot open the SQLite database file {location}: {reason}' },
  sqliteFix: {
    zh: '确认 DATA_DIR 目录存在且当前用户可读写，磁盘未满；或设置 DATABASE_URL 使用 PostgreSQL。',
    en: 'Make sure DATA_DIR exists and is readable and writable by this user and the disk is not full, or set DATABASE_URL to use PostgreSQL.',
  },
  dataDirIsFile: { zh: '数据目录 DATA_DIR（{path}）不是文件夹', en: 'The data folder DATA_DIR ({path}) is not a folder' },
  dataDirBlocker: { zh: '{file} 是一个文件', en: '{file} is a file' },
  dataDirReadOnly: { zh: '当前用户不能写入数据目录 DATA_DIR（{path}）', en: 'This user cannot write to the data folder DATA_DIR ({path})' },
  dataDirOther: { zh: '无法使用数据目录 DATA_DIR（{path}）', en: 'Cannot use the data folder DATA_DIR ({path})' },
  dataDirFix: {
    zh: '把 DATA_DIR（配置文件或环境变量）设为当前用户可写的文件夹；不设置时使用配置文件旁的 data 文件夹。',
    en: 'Set DATA_DIR (in the config file or the environment) to a folder this user can write; unset, it is the data folder beside the config file.',
  },
  unsupportedUrl: { zh: '不支持的 DATABASE_URL：{location}', en: 'Unsupported DATABASE_URL: {location}' },
  unsupportedFix: {
    zh: 'DATABASE_URL 须以 postgres:// 或 postgresql:// 开头；不设置则使用 DATA_DIR 下的 SQLite 文件。',
    en: 'DATABASE_URL must start with postgres:// or postgresql://; leave it unset to use a SQLite file under DATA_DIR.',
  },
  migrationFailed: { zh: '数据库 {location} 结构升级失败：{reason}', en: 'Upgrading the schema of {location} failed: {reason}' },
  migrationFix: {
    zh: '确认数据库用户有建表权限（PostgreSQL 还需能执行 create extension pg_trgm，或由管理员预先创建该扩展），然后重新启动。',
    en: 'Make sure the database user may create tables (on PostgreSQL also `create extension pg_trgm`, or have an administrator create it first), then start again.',
  },
} satisfies Record<string, Text>;

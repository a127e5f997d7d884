import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import Sqlite from 'better-sqlite3';
import {
  CompiledQuery, PostgresDialect, SqliteAdapter, SqliteDialect, SqliteDriver,
  type DatabaseConnection, type DatabaseIntrospector, type DialectAdapter, type Driver, type Kysely,
  type SqliteDatabase, type SqliteDialectConfig,
} from 'kysely';
import type pg from 'pg';
import { CurrentSchemaIntrospector } from './pg-introspector.ts';
import { STORE_LOCATION } from './storage-errors.ts';

/** How long a SQLite writer waits for another process's write lock before failing (busy_timeout). */
export const SQLITE_BUSY_TIMEOUT_MS = 30_000;

/**
 * Opens the SQLite file with the settings every process must share:
 * - WAL: readers (the web UI) never block the writer (the archive pull) and vice versa;
 * - synchronous=NORMAL: in WAL mode a crash or kill -9 never corrupts nor loses a committed
 *   transaction; only a power cut may drop the last ones, and a page and its cursor go together, so
 *   the next run simply fetches them again;
 * - foreign_keys: off by default in SQLite;
 * - defaultSafeIntegers: INTEGERs come back as bigint, never rounded (integers.ts decides the type).
 */
export function openSqliteFile(file: string): Sqlite.Database {
  const db = new Sqlite(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    enableWal(db);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db.close();
    throw err;
  }
  db.defaultSafeIntegers(true);
  return db;
}

/**
 * A read-only store (evidence on write-once media, a snapshot mounted read-only): no journal change,
 * no migration, nothing written. When the folder is writable SQLite opens the file read-only in place.
 * When it is not, SQLite cannot open a WAL database there (it needs a -shm file beside it), and this
 * build of better-sqlite3 takes no `immutable=1` URI: the file is read into memory instead (its
 * header marked rollback-journal, which an in-memory database needs), so reading needs RAM for it.
 */
export function openSqliteReadOnly(file: string, inPlace: boolean): Sqlite.Database {
  let db: Sqlite.Database;
  if (inPlace) {
    db = new Sqlite(file, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  } else {
    const image = readFileSync(file);
    if (image.length >= 20 && image[18] === 2 && image[19] === 2) image[18] = image[19] = 1;
    db = new Sqlite(image, { readonly: true });
  }
  db.defaultSafeIntegers(true);
  return db;
}

/** Tags an error from the SQLite file with the file's path, so the storage error names it. */
export function tagLocation(err: unknown, location: string): unknown {
  if (err && typeof err === 'object' && !(STORE_LOCATION in err)) Object.defineProperty(err, STORE_LOCATION, { value: location });
  return err;
}

/**
 * Switching a fresh file to WAL needs an exclusive lock, and SQLite does not call the busy handler
 * for it: two processes opening a new database at once would see SQLITE_BUSY straight away. WAL is
 * persistent, so the loser retries briefly and then finds the file already in WAL mode.
 */
function enableWal(db: Sqlite.Database): void {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // opening is synchronous anyway
    }
  }
}

/**
 * SQLite's default `begin` is DEFERRED: a transaction that reads first and writes later cannot wait
 * for another process's lock (SQLITE_BUSY at once, busy_timeout notwithstanding). Every transaction
 * here reads then writes (upserts compare hashes; migrations read what ran), so each takes the write
 * lock up front with BEGIN IMMEDIATE and queues behind other processes instead. In one process the
 * single connection is already serialised by Kysely, so this costs nothing.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  #connection?: DatabaseConnection;

  constructor(config: SqliteDialectConfig, readonly raw: Sqlite.Database, readonly location: string) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection(); // always the same one: SQLite has one
    return (this.#connection ??= turnTaking(connection, this.location));
  }

  /**
   * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, a damaged
   * page): a ROLLBACK after that fails with "cannot rollback - no transaction is active", and Kysely
   * would throw that instead of the error that caused it. With nothing to roll back, there is nothing
   * to do, and the first error goes up.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.raw.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

/** How long statements may run back to back before the event loop gets a turn. */
const MAX_BUSY_MS = 10;
/** Taken at load: a test faking timers must not stall the database. */
const nextTurn = globalThis.setImmediate;

/**
 * better-sqlite3 runs each statement synchronously and Kysely chains them through microtasks only,
 * so a transaction of a few thousand rows (a sync page group: 100-500 ms) held the event loop for its
 * whole length: no response was read and no request sent meanwhile, and WeCom's side sat idle. Once
 * statements have run for MAX_BUSY_MS without a turn of the loop, the next one waits for one. Safe
 * inside a transaction: Kysely holds the single connection for it, so other queries still wait.
 */
function turnTaking(connection: DatabaseConnection, location: string): DatabaseConnection {
  let busySince: number | undefined;
  return {
    async executeQuery<R>(query: CompiledQuery) {
      try {
        return await run<R>(query);
      } catch (err) {
        throw tagLocation(err, location);
      }
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
  async function run<R>(query: CompiledQuery) {
    const now = performance.now();
    if (busySince === undefined) {
      busySince = now;
      nextTurn(() => {
        busySince = undefined; // the loop turned
      });
    } else if (now - busySince > MAX_BUSY_MS) {
      await new Promise((resolve) => nextTurn(resolve));
    }
    return connection.executeQuery<R>(query);
  }
}

/** SQLite DDL is transactional: let the migrator run all pending migrations in one BEGIN IMMEDIATE. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Prepared statements kept per connection (see cachingStatements). */
const STATEMENT_CACHE_SIZE = 128;

/**
 * Kysely's SQLite connection prepares every statement it runs, and preparing costs as much as running
 * for the sync's large multi-row statements (measured: ~4 s of a large sync). This keeps the most
 * recently used statements by SQL text. A statement still iterating (Kysely's streamQuery) is never
 * handed out twice: a fresh one is prepared instead. Schema changes need nothing: SQLite recompiles
 * a prepared statement whose schema changed when it next runs.
 */
function cachingStatements(db: Sqlite.Database): SqliteDatabase {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        // Map order is insertion order: re-inserting keeps the least recently used first.
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = db.prepare(text);
      if (cached) return statement;
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

export class StoreSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #raw: Sqlite.Database;
  readonly #location: string;

  /**
   * `database`: the better-sqlite3 connection from openSqliteFile, used through a statement cache;
   * `location`: its file, named by the errors it raises.
   */
  constructor(config: Omit<SqliteDialectConfig, 'database'> & { database: Sqlite.Database; location?: string }) {
    const withCache = { ...config, database: cachingStatements(config.database) };
    super(withCache);
    this.#config = withCache;
    this.#raw = config.database;
    this.#location = config.location ?? config.database.name;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#raw, this.#location);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

const INT8_OID = 20;

/** pg, loaded when a PostgreSQL store is first used: a command on SQLite never pays for it (~0.1 s). */
async function loadPg(): Promise<typeof pg> {
  return (await import('pg')).default;
}

/**
 * A PostgreSQL dialect over a pg pool whose int8 values parse to bigint (pg's default is a string),
 * configured per pool rather than through pg's global type registry, so nothing else in the process
 * is affected. The pool is made at the first query, then given to `onPool` (a profiler's listener).
 */
export function createPgDialect(connectionString: string, onPool?: (pool: pg.Pool) => void): { dialect: PostgresDialect } {
  return { dialect: new StorePostgresDialect({ pool: () => createPgPool(connectionString, onPool) }) };
}

async function createPgPool(connectionString: string, onPool?: (pool: pg.Pool) => void): Promise<pg.Pool> {
  const driver = await loadPg();
  const int8AsBigint = (oid: number, format?: 'text' | 'binary'): unknown =>
    (oid === INT8_OID ? (value: string) => BigInt(value) : driver.types.getTypeParser(oid, format));
  const pool = new driver.Pool({
    connectionString,
    application_name: applicationName(),
    max: 10,
    types: { getTypeParser: int8AsBigint as typeof driver.types.getTypeParser },
  });
  // An idle client losing its connection (server restart) emits 'error' on the pool; unhandled, that
  // would kill the process. The next query gets a fresh client and reports any lasting failure.
  pool.on('error', () => {});
  onPool?.(pool);
  return pool;
}

/** One connection outside any pool (same URL, so the same search_path and schema). */
export async function openPgSession(connectionString: string): Promise<pg.Client> {
  const client = new (await loadPg()).Client({ connectionString });
  // A lost connection surfaces on the next query; unhandled, 'error' would kill the process.
  client.on('error', () => {});
  await client.connect();
  // Set after connecting, so an application_name in the URL cannot hide who holds a lease: a refused
  // lease names its holder from pg_stat_activity (lease.ts).
  await client.query("select set_config('application_name', $1, false)", [applicationName()]);
  return client;
}

const APP_PREFIX = 'wecom-archive ';
/** PostgreSQL keeps 63 bytes of application_name: the host is shortened so the pid always fits. */
const APP_NAME_BYTES = 63;

/** `wecom-archive <host> pid <pid>`: which machine and process a connection belongs to. */
export function applicationName(): string {
  const tail = ` pid ${process.pid}`;
  let host = hostname().replace(/[^\x21-\x7e]/g, '_');
  while (Buffer.byteLength(APP_PREFIX + host + tail) > APP_NAME_BYTES) host = host.slice(0, -1);
  return APP_PREFIX + host + tail;
}

/** The host and pid of an application_name made by applicationName(), else undefined. */
export function parseApplicationName(name: string | null | undefined): { host: string; pid: number } | undefined {
  const match = /^wecom-archive (\S+) pid (\d+)$/.exec(name ?? '');
  return match ? { host: match[1]!, pid: Number(match[2]) } : undefined;
}

class StorePostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}

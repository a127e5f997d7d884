import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type Sqlite from 'better-sqlite3';
import { damagedFile } from './storage-errors.ts';

/**
 * Cheap checks every command runs when it opens the SQLite file, so that a damaged store stops it
 * with the damaged-store message instead of answering from what is left (or failing later with
 * something else). They read the header and each table's first page: milliseconds whatever the size.
 * The full check is `doctor --store` (quick_check in health.ts), which reads every page.
 */

const MAGIC = 'SQLite format 3\u0000';
const HEADER_BYTES = 100;

/** The file's header: the magic string, and a size that holds every page the header counts. */
export function checkSqliteFile(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return; // not there yet: a new store
  }
  if (size === 0) return; // created, never written: SQLite makes it a database
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  if (size < HEADER_BYTES || header.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw damagedFile(file, 'the file does not start with a SQLite header (SQLITE_NOTADB)');
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // The page count is valid when the change counter matches its "valid for" copy (SQLite ≥ 3.7.0),
  // and the file alone holds the database: with a WAL beside it (a checkpoint a full disk cut short)
  // the missing pages are in the WAL, and SQLite reads them from there.
  const counted = header.readUInt32BE(24) === header.readUInt32BE(92) && fileSize(`${file}-wal`) === 0;
  if (counted && pages > 0 && size < pages * pageSize) {
    throw damagedFile(file, `the file is truncated: its header counts ${pages} pages of ${pageSize} bytes, it holds ${size} bytes (SQLITE_CORRUPT)`);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Reads the schema and the first page of every table; a damaged one raises SQLITE_CORRUPT. */
export function checkSqliteTables(db: Sqlite.Database): void {
  const tables = db.prepare("select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'").pluck().all() as string[];
  for (const table of tables) db.prepare(`select 1 from "${table.replaceAll('"', '""')}" limit 1`).get();
}

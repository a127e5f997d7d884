import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from './dialects.ts';

/**
 * The SQLite side of `backup`: a consistent copy taken with SQLite's online backup API while pulls
 * and syncs keep writing, and what the copy holds (the chain head of each corp, the media files it
 * references), read from the copy itself so the manifest describes exactly what was saved.
 */

/**
 * Copies the live database to `target`. One backup step copies every page inside one read
 * transaction: in WAL mode that is a snapshot that writers never block nor change (a step-by-step
 * copy would restart each time another connection commits).
 */
export async function copySqlite(source: string, target: string): Promise<void> {
  const db = new Sqlite(source, { readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  try {
    await db.backup(target, { progress: () => 2_147_483_647 });
  } finally {
    db.close();
  }
}

export interface ChainHead {
  corpId: string;
  /** The last message of the chain (null: no message yet) and its hash. */
  headSeq: string | null;
  headHash: string | null;
  messages: number;
  /** The archive's seq cursor: where the next pull continues. */
  cursor: string | null;
}

/** Per corp, the head of the hash chain and the cursor, as stored in `file`. */
export function chainHeads(file: string): ChainHead[] {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const corps = db.prepare(`select corp_id from messages union select corp_id from sync_cursors where stream = 'archive/seq' order by 1`).pluck().all() as string[];
    return corps.map((corpId) => {
      const head = db.prepare('select seq, hash from messages where corp_id = ? order by seq desc, id desc limit 1').get(corpId) as { seq: bigint; hash: string | null } | undefined;
      const count = db.prepare('select count(*) from messages where corp_id = ?').pluck().get(corpId) as bigint;
      const cursor = db.prepare(`select cursor from sync_cursors where corp_id = ? and stream = 'archive/seq'`).pluck().get(corpId) as string | undefined;
      return { corpId, headSeq: head ? head.seq.toString() : null, headHash: head?.hash ?? null, messages: Number(count), cursor: cursor ?? null };
    });
  } finally {
    db.close();
  }
}

/** The media files (relative to DATA_DIR) that the database in `file` records as downloaded. */
export function referencedMedia(file: string): string[] {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`select distinct stored_path from message_media where stored_path is not null and status = 'downloaded' order by 1`)
      .pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** Where the last backup of a DATA_DIR is recorded, for doctor's backup-age check. */
const LAST_BACKUP_FILE = 'last-backup.json';

export interface LastBackup {
  /** When the copy was finished (UTC ms). */
  at: number;
  dir: string;
}

export function recordBackup(dataDir: string, backup: LastBackup): void {
  writeFileSync(join(dataDir, LAST_BACKUP_FILE), `${JSON.stringify(backup)}\n`, { mode: 0o600 });
}

export function readLastBackup(dataDir: string): LastBackup | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, LAST_BACKUP_FILE), 'utf8')) as Partial<LastBackup>;
    return typeof parsed.at === 'number' && typeof parsed.dir === 'string' ? { at: parsed.at, dir: parsed.dir } : undefined;
  } catch {
    return undefined;
  }
}

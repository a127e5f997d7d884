import type { Text } from '../i18n/index.ts';
import { UserError } from '../util/errors.ts';

/**
 * The one place that recognises a storage failure, whatever layer it surfaces from (better-sqlite3,
 * node:fs, pg): a full disk, read-only storage, a permission refused, a damaged database. Each
 * becomes a StorageError (a UserError: exit 2, never "this is a bug") that names the file or
 * database, keeps the original error as its cause and its message as the reason, and says what to
 * do. The CLI's error path, the per-corp results and the services all go through `asStorageError`.
 */

export type StorageFault = 'disk_full' | 'read_only' | 'permission' | 'damaged';

/** The error codes of each fault: SQLite's (extended codes start with these), errno, SQLSTATE. */
const CODES: Record<StorageFault, readonly string[]> = {
  disk_full: ['SQLITE_FULL', 'ENOSPC', 'EDQUOT', '53100', '53200'],
  read_only: ['SQLITE_READONLY', 'EROFS', '25006'],
  permission: ['SQLITE_PERM', 'SQLITE_AUTH', 'EACCES', 'EPERM', '42501'],
  damaged: ['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'XX001', 'XX002'],
};
/** PostgreSQL says "could not extend file" (SQLSTATE 53100, but some paths report only the text). */
const DISK_FULL_TEXT = /could not extend file|no space left on device|database or disk is full/i;

/** Where a caught error was raised, added by the store (dialects.ts) to the errors of a SQLite file. */
export const STORE_LOCATION = Symbol.for('wecom-archive.storeLocation');

interface Found {
  fault: StorageFault;
  error: Error & { code?: unknown; path?: unknown };
  location?: string;
}

/** The first storage fault in `err`, its causes and (AggregateError) its parts. */
export function storageFaultOf(err: unknown): Found | undefined {
  const seen = new Set<unknown>();
  let location: string | undefined;
  const visit = (e: unknown): Found | undefined => {
    if (!e || typeof e !== 'object' || seen.has(e)) return undefined;
    seen.add(e);
    const error = e as Error & { code?: unknown; path?: unknown; [STORE_LOCATION]?: string; errors?: unknown[]; cause?: unknown };
    location ??= error[STORE_LOCATION] ?? (typeof error.path === 'string' ? error.path : undefined);
    const fault = faultOfCode(error.code) ?? (DISK_FULL_TEXT.test(String(error.message ?? '')) ? 'disk_full' : undefined);
    if (fault) return { fault, error, location: error[STORE_LOCATION] ?? (typeof error.path === 'string' ? error.path : location) };
    for (const part of Array.isArray(error.errors) ? error.errors : []) {
      const found = visit(part);
      if (found) return found;
    }
    return visit(error.cause);
  };
  return visit(err);
}

function faultOfCode(code: unknown): StorageFault | undefined {
  if (typeof code !== 'string') return undefined;
  for (const [fault, codes] of Object.entries(CODES) as Array<[StorageFault, readonly string[]]>) {
    if (codes.some((c) => code === c || code.startsWith(`${c}_`))) return fault;
  }
  return undefined;
}

export class StorageError extends UserError {
  readonly fault: StorageFault;
  /** What a stopped run had already committed (a pull on a full disk), for --json. */
  readonly kept?: Record<string, unknown>;

  constructor(fault: StorageFault, location: string, reason: string, options: { cause?: unknown; kept?: { text: Text; data: Record<string, unknown> } } = {}) {
    super(`storage_${fault}`, {
      what: TEXT[fault].what,
      why: options.kept ? { zh: `{reason}\n${options.kept.text.zh}`, en: `{reason}\n${options.kept.text.en}` } : REASON,
      fix: TEXT[fault].fix,
      vars: { location, reason },
    }, { cause: options.cause });
    this.name = 'StorageError';
    this.fault = fault;
    this.kept = options.kept?.data;
  }

  /** The same failure, with what the run kept before it stopped. */
  withKept(kept: { text: Text; data: Record<string, unknown> }, vars: Record<string, string | number>): StorageError {
    const copy = new StorageError(this.fault, String(this.vars.location), String(this.vars.reason), { cause: this.cause, kept });
    Object.assign(copy.vars, vars);
    return copy;
  }
}

export function isStorageError(err: unknown): err is StorageError {
  return err instanceof StorageError;
}

/**
 * `err` as a StorageError when a storage fault is behind it (the error itself when it already is
 * one), else undefined. `location`: the store or folder to name when the error carries none.
 */
export function asStorageError(err: unknown, location?: string): StorageError | undefined {
  if (isStorageError(err)) return err;
  const found = storageFaultOf(err);
  if (!found) return undefined;
  const code = typeof found.error.code === 'string' && !/^\d/.test(found.error.code) ? `${found.error.code}: ` : '';
  const message = found.error.message?.startsWith(code) ? found.error.message : `${code}${found.error.message ?? ''}`;
  return new StorageError(found.fault, found.location ?? location ?? '?', message, { cause: err });
}

/** A damaged SQLite file found by a check of its own (header, size), not by an error from SQLite. */
export function damagedFile(location: string, reason: string): StorageError {
  return new StorageError('damaged', location, reason);
}

const REASON: Text = { zh: '{reason}', en: '{reason}' };
const DOCTOR = { zh: '`wecom-archive doctor --store` 检查存储', en: '`wecom-archive doctor --store` checks the store' };

const TEXT: Record<StorageFault, { what: Text; fix: Text }> = {
  disk_full: {
    what: { zh: '磁盘已满：无法写入 {location}', en: 'The disk is full: cannot write {location}' },
    fix: {
      zh: `释放该磁盘的空间（或把 DATA_DIR 移到更大的磁盘），然后重新运行同一命令：已提交的内容都已保存，会从中断处继续。${DOCTOR.zh}。`,
      en: `Free space on that disk (or move DATA_DIR to a larger one), then run the same command again: what was committed is kept and it continues from there. ${DOCTOR.en}.`,
    },
  },
  read_only: {
    what: { zh: '存储是只读的：无法写入 {location}', en: 'The storage is read-only: cannot write {location}' },
    fix: {
      zh: '读取和校验命令（archive verify、search、conversations 等）可直接在只读副本上运行；要写入，把数据复制到可写的文件夹（或用 `wecom-archive restore`）并让 DATA_DIR 指向它。',
      en: 'Reading and verifying (archive verify, search, conversations…) work on a read-only copy; to write, copy the data to a writable folder (or `wecom-archive restore` it) and point DATA_DIR there.',
    },
  },
  permission: {
    what: { zh: '没有权限：当前用户不能访问 {location}', en: 'Permission denied: this user cannot use {location}' },
    fix: {
      zh: `以数据的所有者运行，或修正 DATA_DIR 中文件的所有者和权限（数据库用户的权限，若为 PostgreSQL）。${DOCTOR.zh}。`,
      en: `Run as the data's owner, or fix the owner and mode of the files in DATA_DIR (the database user's privileges on PostgreSQL). ${DOCTOR.en}.`,
    },
  },
  damaged: {
    what: { zh: '数据库已损坏：{location}', en: 'The database is damaged: {location}' },
    fix: {
      zh: `不要再写入它。从备份恢复（\`wecom-archive restore <备份目录>\` 到空的 DATA_DIR），再运行 archive pull 补齐企业微信仍保留的消息；${DOCTOR.zh}。`,
      en: `Stop writing to it. Restore from a backup (\`wecom-archive restore <backup dir>\` into an empty DATA_DIR), then run archive pull to fetch what WeCom still holds; ${DOCTOR.en}.`,
    },
  },
};

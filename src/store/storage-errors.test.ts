import { describe, expect, it } from 'vitest';
import { asStorageError, STORE_LOCATION, storageFaultOf } from './storage-errors.ts';

// The classifier alone, over the shapes each layer raises (real end-to-end faults: test/storage).

const errno = (code: string, message: string, path?: string) => Object.assign(new Error(message), { code, ...(path ? { path } : {}) });
const sqlite = (code: string, message: string) => Object.assign(new Error(message), { code });
const pg = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('storage errors', () => {
  it.each([
    ['disk_full', sqlite('SQLITE_FULL', 'database or disk is full')],
    ['disk_full', errno('ENOSPC', 'ENOSPC: no space left on device, write')],
    ['disk_full', pg('53100', 'could not extend file "base/16384/16385": No space left on device')],
    ['disk_full', new Error('could not extend file "base/1/2": wrote only 4096 of 8192 bytes')],
    ['read_only', errno('EROFS', 'EROFS: read-only file system, open')],
    ['read_only', sqlite('SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database')],
    ['permission', errno('EACCES', 'EACCES: permission denied')],
    ['permission', pg('42501', 'permission denied for table messages')],
    ['damaged', sqlite('SQLITE_CORRUPT', 'database disk image is malformed')],
    ['damaged', sqlite('SQLITE_NOTADB', 'file is not a database')],
    ['damaged', pg('XX001', 'invalid page in block 7 of relation base/1/2')],
  ])('%s: %s', (fault, err) => {
    expect(storageFaultOf(err)?.fault).toBe(fault);
    const explained = asStorageError(err, '/data/wecom-archive.db')!;
    expect(explained.code).toBe(`storage_${fault}`);
    expect(explained.describe('en').why).toContain(err.message);
    expect(explained.describe('zh').fix).toBeTruthy();
  });

  it('finds the cause under wrappers (cause, AggregateError) and keeps it', () => {
    const root = sqlite('SQLITE_FULL', 'database or disk is full');
    const wrapped = new Error('pull failed', { cause: new AggregateError([new Error('other'), root]) });
    const explained = asStorageError(wrapped, 'x')!;
    expect(explained.fault).toBe('disk_full');
    expect(explained.cause).toBe(wrapped);
  });

  it('names the path the error carries, else the store it was tagged with, else the given one', () => {
    expect(asStorageError(errno('ENOSPC', 'no space', '/data/media/.partial/x'), '/fallback')!.vars.location).toBe('/data/media/.partial/x');
    const tagged = Object.defineProperty(sqlite('SQLITE_FULL', 'full'), STORE_LOCATION, { value: '/data/wecom-archive.db' });
    expect(asStorageError(tagged, '/fallback')!.vars.location).toBe('/data/wecom-archive.db');
    expect(asStorageError(sqlite('SQLITE_FULL', 'full'), '/fallback')!.vars.location).toBe('/fallback');
  });

  it('leaves other errors alone (they stay bugs or their own user errors)', () => {
    expect(asStorageError(new Error('cannot rollback - no transaction is active'))).toBeUndefined();
    expect(asStorageError(sqlite('SQLITE_BUSY', 'database is locked'))).toBeUndefined();
    expect(asStorageError(pg('23505', 'duplicate key'))).toBeUndefined();
  });
});

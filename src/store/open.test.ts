import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { isUserError, type UserError } from '../util/errors.ts';
import { SQLITE_FILE_NAME } from './location.ts';
import { openStore } from './open.ts';

describe('openStore', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-archive-open-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => { for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true }); });

  it('creates DATA_DIR and a WAL-mode SQLite file with foreign keys and a busy timeout', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = await openStore({ dataDir });
    try {
      expect(store.dialect).toBe('sqlite');
      expect(store.location).toBe(join(dataDir, SQLITE_FILE_NAME));
      const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('busy_timeout')).toBeGreaterThanOrEqual(5_000);
    } finally {
      await store.close();
    }
    await store.close(); // closing twice is harmless
  });

  it('refuses a DATABASE_URL it cannot use, with a readable error and no password in it', async () => {
    const err = await openStore({ dataDir: tempDir(), databaseUrl: 'mysql://root:hunter2secret@db/x' }).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as UserError).code).toBe('store.unsupported_url');
    expect(JSON.stringify((err as UserError).describe('en'))).not.toContain('hunter2secret');
  });

  it('reports an unreachable PostgreSQL as a UserError with a fix', async () => {
    const err = await openStore({ dataDir: tempDir(), databaseUrl: 'postgres://u:topsecretpw@127.0.0.1:1/none?connect_timeout=2' }).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    const described = (err as UserError).describe('zh');
    expect((err as UserError).code).toBe('store.unreachable');
    expect(described.fix).toContain('DATABASE_URL');
    expect(JSON.stringify(described)).not.toContain('topsecretpw');
  });
});

describeStores('integer columns', (getStore) => {
  it('reads ordinary integers as numbers and refuses to round one beyond 2^53', async () => {
    const { db } = getStore();
    const { rows } = await sql<{ n: number; c: number; big_seq: bigint }>`
      select cast(1700000000000 as bigint) as n, count(*) as c, cast(9007199254740993 as bigint) as big_seq from corps`.execute(db);
    expect(rows[0]).toEqual({ n: 1_700_000_000_000, c: 0, big_seq: 9_007_199_254_740_993n });
    await expect(sql`select cast(9007199254740993 as bigint) as total`.execute(db)).rejects.toThrow(/beyond 2\^53/);
  });
});

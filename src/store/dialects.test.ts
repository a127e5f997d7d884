import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from './database.ts';
import { openStore } from './open.ts';

describe('the SQLite connection', () => {
  let store: Store | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    store = undefined;
    dir = undefined;
  });
  const open = async () => {
    dir = mkdtempSync(join(tmpdir(), 'wecom-archive-dialects-'));
    store = await openStore({ dataDir: dir });
    return store.db;
  };

  it('reuses prepared statements without serving stale ones', async () => {
    const db = await open();
    await db.insertInto('corps').values(['c1', 'c2'].map((corp_id) => ({ corp_id, created_at: 0 }))).execute();
    const everything = () => sql<Record<string, unknown>>`select * from corps order by corp_id`.execute(db);
    expect((await everything()).rows.map((r) => Object.keys(r))).toEqual([['corp_id', 'name', 'created_at'], ['corp_id', 'name', 'created_at']]);
    // A schema change recompiles the cached statement.
    await sql`alter table corps add column extra text`.execute(db);
    expect(Object.keys((await everything()).rows[0]!)).toEqual(['corp_id', 'name', 'created_at', 'extra']);
    // A statement that was streamed is usable again afterwards.
    const query = db.selectFrom('corps').select('corp_id').orderBy('corp_id');
    const streamed: string[] = [];
    for await (const row of query.stream()) streamed.push(row.corp_id);
    expect(streamed).toEqual(['c1', 'c2']);
    expect((await query.execute()).map((r) => r.corp_id)).toEqual(['c1', 'c2']);
  });

  it('lets the event loop turn during a long run of statements, even inside a transaction', async () => {
    const db = await open();
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    let statements = 0;
    await db.transaction().execute(async (trx) => {
      // Statements chain through microtasks only; without turn-taking `turned` stays false to the end.
      while (!turned && statements < 1_000_000) {
        await sql`select 1`.execute(trx);
        statements += 1;
      }
    });
    expect(turned).toBe(true);
    expect(statements).toBeLessThan(1_000_000);
  });
});

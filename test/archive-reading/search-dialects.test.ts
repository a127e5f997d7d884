import { CompiledQuery, sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { QUERIES, TIERS } from '../../bench/search-queries.ts';
import { prepareMessage, type PreparedMessage } from '../../src/archive/ingest/records.ts';
import { writePage } from '../../src/archive/ingest/write-page.ts';
import { buildArchiveSearch, searchArchive, type ArchiveSearchQuery } from '../../src/archive/reading/search.ts';
import { ArchiveGenerator } from '../../src/sandbox/archive/generator.ts';
import { DAY_MS, Timeline } from '../../src/sandbox/archive/timeline.ts';
import { generateCompany } from '../../src/sandbox/index.ts';
import type { Database, Store } from '../../src/store/database.ts';
import { newestFirstByWindows } from '../../src/store/message-search-windows.ts';
import { syncStateRepository } from '../../src/store/sync-state.repository.ts';
import { openTestStore, skipDialect } from '../helpers/databases.ts';

/**
 * PostgreSQL answers every query of the search benchmarks' set exactly as SQLite does — the same
 * messages in the same order — although it reads them window by window (message-search-windows.ts)
 * where SQLite plans one query over FTS5. The archive is the benches' generator (seed 7) at a test's
 * size, plus a burst of messages sharing one msgtime (ties are ordered by id).
 */

const COUNT = 12_000;
const SEED = 7;
const ALL_QUERIES = TIERS.flatMap((tier) => QUERIES[tier]);

let sqlite: { store: Store; dispose(): Promise<void> } | undefined;
let postgres: { store: Store; dispose(): Promise<void> } | undefined;
let corpId = '';

function pages(): PreparedMessage[][] {
  const company = generateCompany(SEED, 'small');
  corpId = company.corpId;
  const timeline = new Timeline({ seed: SEED, count: COUNT, end: Date.parse('2026-03-02T00:00:00Z'), spanMs: 20 * DAY_MS });
  const generator = new ArchiveGenerator(company, timeline, SEED);
  const prepare = (seq: number, msgid: string, json: string) => prepareMessage(
    { seq: BigInt(seq), msgid, publickeyVer: 1, encryptRandomKey: `rk-${msgid}`, encryptChatMsg: `cm-${msgid}` }, { ok: true, msgid, json });
  const messages = Array.from({ length: COUNT }, (_, i) => {
    const m = generator.message(i);
    return prepare(m.seq, m.msgid, m.plaintext);
  });
  // 120 messages at one instant, in the middle of the timeline: a window boundary must never split them.
  const tie = timeline.start + 10 * DAY_MS;
  const last = messages[messages.length - 1]!.envelope.seq;
  for (let k = 0; k < 120; k++) {
    const msgid = `tie-${k}`;
    messages.push(prepare(Number(last) + 1 + k, msgid, JSON.stringify({
      msgid, action: 'send', from: 'tie-sender', tolist: ['someone'], roomid: '', msgtime: tie, msgtype: 'text', text: { content: `同一时刻的报价单 第${k}份` },
    })));
  }
  return Array.from({ length: Math.ceil(messages.length / 1000) }, (_, p) => messages.slice(p * 1000, p * 1000 + 1000));
}

async function fill(db: Kysely<Database>, archive: PreparedMessage[][]): Promise<void> {
  await syncStateRepository.ensureCorp(db, corpId);
  for (const page of archive) await writePage(db, corpId, page, page[page.length - 1]!.envelope.seq);
}

beforeAll(async () => {
  const archive = pages();
  sqlite = await openTestStore('sqlite');
  await fill(sqlite.store.db, archive);
  if (skipDialect('postgres')) return;
  postgres = await openTestStore('postgres');
  await fill(postgres.store.db, archive);
  await sql`analyze messages`.execute(postgres.store.db);
}, 120_000);

afterAll(async () => {
  await sqlite?.dispose();
  await postgres?.dispose();
});

const msgids = async (store: Store, query: ArchiveSearchQuery) => (await searchArchive(store.db, corpId, query)).hits.map((h) => h.msgid);

it.skipIf(skipDialect('postgres'))('finds on PostgreSQL exactly what SQLite finds, in the same order, for every benchmark query', async () => {
  let full = 0;
  for (const text of [...ALL_QUERIES, '同一时刻的报价单']) {
    for (const page of [{ limit: 50 }, { limit: 30, offset: 40 }, { limit: 200 }]) {
      const expected = await msgids(sqlite!.store, { text, ...page });
      expect(await msgids(postgres!.store, { text, ...page }), `${text} ${JSON.stringify(page)}`).toEqual(expected);
      if (expected.length === page.limit) full += 1;
    }
  }
  // The set must exercise full pages (common words), not only short answers.
  expect(full).toBeGreaterThan(10);
}, 120_000);

it.skipIf(skipDialect('postgres'))('gives the same answer whatever the window size, time bounds and participant filters', async () => {
  const db = postgres!.store.db;
  const middle = Date.parse('2026-02-20T00:00:00Z');
  for (const text of ['报价单', '测试环境', '同一时刻的报价单', '跟进报价', '量子计算机']) {
    for (const query of [{ text, limit: 60 }, { text, limit: 25, offset: 10, until: middle }, { text, since: middle - 3 * DAY_MS, until: middle }]) {
      const expected = await msgids(sqlite!.store, query);
      for (const firstWindowRows of [1, 37, 500]) {
        const rows = await newestFirstByWindows(db, corpId, { ...query, firstWindowRows },
          ({ plan, ...w }) => buildArchiveSearch(db, corpId, { ...query, ...w, offset: 0 }, plan)!.execute());
        expect(rows.map((r) => r.msgid), `${text} ${JSON.stringify(query)} first window ${firstWindowRows}`).toEqual(expected);
      }
    }
  }
}, 120_000);

it.skipIf(skipDialect('postgres'))('reads a window of a rare text through the trigram index (EXPLAIN)', async () => {
  const db = postgres!.store.db;
  const compiled = buildArchiveSearch(db, corpId, { text: '金额36200元', since: 0, until: Date.now(), limit: 50 })!.compile();
  const plan = await db.executeQuery(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
  expect(JSON.stringify(plan.rows)).toMatch(/messages_search_trgm/);
});

/**
 * Where a PostgreSQL page write spends its time, per statement (docs/archive-ingest.md, PostgreSQL
 * at archive scale). For servers without pg_stat_statements preloaded: auto_explain, loaded into the
 * one session, reports every statement's plan with ANALYZE and BUFFERS to this client.
 *
 *   BENCH_DATABASE_URL=postgres://…/bench BENCH_MESSAGES=1000000 npx tsx bench/pg-ingest-profile.ts
 *
 * On bench:search's cached store of BENCH_MESSAGES messages (built first when missing): the newest
 * PAGES pages (default 8) are deleted and written again through writePage, inside one transaction
 * that is rolled back, so the store is left as it was. Variants of the trigram index's storage
 * parameters are tried the same way (ALTER INDEX inside the rolled-back transaction). The deleted
 * rows' index entries are still there while it runs: the unique check reads a little more than a
 * fresh page's would. The store's long group chat (big-conversation.ts) comes after those pages in
 * seq, so it is deleted with them (writePage appends only) and left out of the figures.
 */
import { Kysely, sql } from 'kysely';
import { loadavg } from 'node:os';
import { writePage } from '../src/archive/ingest/write-page.ts';
import type { Database } from '../src/store/database.ts';
import { createPgDialect } from '../src/store/dialects.ts';
import { pagesOf, PAGE } from './search-messages.ts';
import { benchStore } from './search-store.ts';

const COUNT = Number((process.env.BENCH_MESSAGES ?? '1000000').replace(/_/g, ''));
const PAGES = Number(process.env.PAGES ?? 8);
const URL_ = process.env.BENCH_DATABASE_URL;

interface Stat { calls: number; ms: number; rows: number; hit: number; read: number; dirtied: number; written: number }

/** A statement's kind: its first words, parameters and column lists left out. */
function kind(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\(("[a-z_]+",? ?)+\)/g, '(…)').replace(/values .*/, 'values …').slice(0, 70);
}

function parse(message: string, into: Map<string, Stat>): void {
  const duration = /duration: ([\d.]+) ms/.exec(message);
  const text = /Query Text: ([^\n]*)/.exec(message);
  if (!duration || !text || /^(set|load|delete|savepoint|release)/i.test(text[1]!.trim())) return;
  const key = kind(text[1]!);
  const stat = into.get(key) ?? { calls: 0, ms: 0, rows: 0, hit: 0, read: 0, dirtied: 0, written: 0 };
  stat.calls += 1;
  stat.ms += Number(duration[1]);
  // The top node's line: its rows and buffers include every node below it.
  const top = message.split('\n').slice(2).join('\n');
  stat.rows += Number(/actual rows=(\d+)/.exec(top)?.[1] ?? 0);
  const buffers = /Buffers: shared ([^\n]*)/.exec(top)?.[1] ?? '';
  for (const field of ['hit', 'read', 'dirtied', 'written'] as const) stat[field] += Number(new RegExp(`${field}=(\\d+)`).exec(buffers)?.[1] ?? 0);
  into.set(key, stat);
}

async function profile(url: string, corpId: string, variant: string, alter?: string): Promise<void> {
  const stats = new Map<string, Stat>();
  let listening = false;
  const { dialect } = createPgDialect(url, (pool) => pool.on('connect', (client) => client.on('notice', (n) => { if (listening) parse(n.message ?? '', stats); })));
  const db = new Kysely<Database>({ dialect });
  const first = Math.ceil(COUNT / PAGE) - PAGES;
  const pages = await pagesOf(COUNT, first, PAGES);
  let total = 0;
  try {
    await db.transaction().execute(async (trx) => {
      const from = pages[0]![0]!.envelope.seq;
      await sql`delete from message_media where corp_id = ${corpId} and msgid in (select msgid from messages where corp_id = ${corpId} and seq >= ${from})`.execute(trx);
      await sql`delete from messages where corp_id = ${corpId} and seq >= ${from}`.execute(trx);
      if (alter) await sql.raw(alter).execute(trx);
      await sql`load 'auto_explain'`.execute(trx);
      for (const setting of ['auto_explain.log_min_duration = 0', 'auto_explain.log_analyze = on', 'auto_explain.log_buffers = on',
        'auto_explain.log_timing = off', 'auto_explain.log_nested_statements = on', 'client_min_messages = log']) {
        await sql.raw(`set local ${setting}`).execute(trx);
      }
      listening = true;
      const started = performance.now();
      for (const page of pages) await writePage(trx, corpId, page, page[page.length - 1]!.envelope.seq);
      total = performance.now() - started;
      listening = false;
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  } finally {
    await db.destroy();
  }
  const per = (x: number) => (x / PAGES).toFixed(0).padStart(8);
  console.log(`\n${variant}: ${PAGES} pages at ${COUNT.toLocaleString('en')} messages, ${(total / PAGES).toFixed(0)} ms a page (${Math.round((PAGES * PAGE) / (total / 1000))} msg/s), load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`  ${'statement'.padEnd(72)}${'calls'.padStart(8)}${'ms'.padStart(8)}${'rows'.padStart(8)}${'hit'.padStart(8)}${'read'.padStart(8)}${'dirtied'.padStart(8)}${'written'.padStart(8)}  (per page)`);
  for (const [key, s] of [...stats].sort(([, a], [, b]) => b.ms - a.ms)) {
    console.log(`  ${key.padEnd(72)}${per(s.calls)}${per(s.ms)}${per(s.rows)}${per(s.hit)}${per(s.read)}${per(s.dirtied)}${per(s.written)}`);
  }
}

class Rollback extends Error {}

async function main(): Promise<void> {
  if (!URL_) throw new Error('BENCH_DATABASE_URL is required');
  const built = await benchStore(COUNT, URL_);
  const variants: Array<[string, string | undefined]> = (process.env.VARIANTS ?? 'as migrated').split(',').map((v) => [v, VARIANTS[v]]);
  for (const [name, alter] of variants) await profile(built.dataDir, built.corpId, name, alter);
}

/** Storage settings of the trigram index to compare (names for VARIANTS=a,b,…). */
const VARIANTS: Record<string, string | undefined> = {
  'as migrated': undefined,
  'fastupdate off': 'alter index messages_search_trgm set (fastupdate = off)',
  'pending list 64MB': 'alter index messages_search_trgm set (gin_pending_list_limit = 65536)',
  'no trigram index': 'drop index messages_search_trgm',
  'no sender index': 'drop index messages_sender',
};

await main();

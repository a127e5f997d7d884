/**
 * The search benchmark's store: a SQLite DATA_DIR holding N archived messages and the directory that
 * names their senders and conversations, built once and cached under the temp dir, keyed by N and
 * STORE_VERSION (bump it when the generator, the schema or this build changes what is stored).
 *
 * Everything goes through the product's own write paths, so the FTS5 index is maintained by the
 * same triggers as in production: directory records through upsertRecords (the sync's path), messages
 * page by page through writePage (the puller's transaction: chain, media queue, conversations, cursor).
 * After the N generated messages comes one group chat of 10,000 (big-conversation.ts), which the UI
 * bench pages through: the store holds N + 10,000 messages (v2; v1 held the N alone).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { writePage } from '../src/archive/ingest/write-page.ts';
import type { Database } from '../src/store/database.ts';
import { flushSearchIndex, refreshStatistics } from '../src/store/statistics.ts';
import { openStore, syncStateRepository, upsertRecords, type RecordInput } from '../src/store/index.ts';
import { writeBigConversation, type BigConversation } from './big-conversation.ts';
import { benchCompany, generatePages, PAGE } from './search-messages.ts';

export const STORE_VERSION = 'v2';

export interface BuiltStore {
  dataDir: string;
  corpId: string;
  /** The generated archive's messages (BENCH_MESSAGES); the long conversation's come on top. */
  count: number;
  /** The one long group chat written after them. */
  conversation: BigConversation;
  /** Whether this run built it (false: reused from an earlier run). */
  built: boolean;
  directorySeconds: number;
  messagesSeconds: number;
  bytes: number;
}

type Meta = Omit<BuiltStore, 'dataDir' | 'built'>;

const progress = (text: string) => process.stderr.write(`${text}\n`);

/** The cached store for `count` messages, built first when there is none; in PostgreSQL when databaseUrl is set. */
export async function benchStore(count: number, databaseUrl?: string): Promise<BuiltStore> {
  if (databaseUrl) return benchPostgresStore(count, databaseUrl);
  const dataDir = join(tmpdir(), 'wecom-archive-bench', `search-n${count}-${STORE_VERSION}`);
  const metaFile = join(dataDir, 'bench-meta.json');
  if (existsSync(metaFile)) return { ...(JSON.parse(readFileSync(metaFile, 'utf8')) as Meta), dataDir, built: false };
  // Built beside its final place and renamed when complete: an interrupted build is never reused.
  const partial = `${dataDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  const meta = await build(partial, count);
  writeFileSync(join(partial, 'bench-meta.json'), JSON.stringify(meta, null, 2));
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(partial, dataDir);
  return { ...meta, dataDir, built: true };
}

async function build(dataDir: string, count: number, databaseUrl?: string): Promise<Meta> {
  const company = benchCompany();
  const corpId = company.corpId;
  const store = await openStore({ dataDir, databaseUrl });
  try {
    await syncStateRepository.ensureCorp(store.db, corpId, company.corpName.short);
    let started = performance.now();
    await writeDirectory(store.db, corpId);
    await refreshStatistics(store.db); // as the sync does after a run
    const directorySeconds = (performance.now() - started) / 1000;

    started = performance.now();
    let stored = 0;
    let lap = { at: started, stored: 0 };
    for await (const page of generatePages(count)) {
      const last = page[page.length - 1]!.envelope.seq;
      const written = await writePage(store.db, corpId, page, last);
      await refreshStatistics(store.db); // as the puller does after each page
      stored += written.stored;
      if ((stored / PAGE) % 50 === 0 || stored === count) {
        const now = performance.now();
        // The rate of the last 50 pages beside the running mean: whether writes slow as the store grows.
        progress(`  stored ${stored.toLocaleString('en')} / ${count.toLocaleString('en')} messages (${Math.round(stored / ((now - started) / 1000)).toLocaleString('en')}/s; last ${(stored - lap.stored).toLocaleString('en')} at ${Math.round((stored - lap.stored) / ((now - lap.at) / 1000)).toLocaleString('en')}/s)`);
        lap = { at: now, stored };
      }
    }
    if (stored !== count) throw new Error(`stored ${stored} of ${count} messages`);
    const conversation = await writeBigConversation(store.db, corpId, count);
    progress(`  stored ${conversation.messages.toLocaleString('en')} more in one group chat (${conversation.id})`);
    await flushSearchIndex(store.db); // as the puller does at the end of a pull
    const bytes = databaseUrl ? Number((await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(store.db)).rows[0]!.n) : sizeOf(dataDir);
    return { corpId, count, conversation, directorySeconds, messagesSeconds: (performance.now() - started) / 1000, bytes };
  } finally {
    await store.close();
  }
}

function sizeOf(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/** Upserts in slices: the company is generated on demand and a slice is all that is ever held. */
async function inSlices<E extends 'employees' | 'customers' | 'customer_groups'>(
  db: Kysely<Database>, table: E, corpId: string, total: number, record: (i: number) => RecordInput<E>,
): Promise<void> {
  for (let from = 0; from < total; from += 5000) {
    const slice = Array.from({ length: Math.min(5000, total - from) }, (_, k) => record(from + k));
    await upsertRecords(db, table, corpId, slice, 'bench-search');
  }
}

/**
 * The names search results show: employees and customers (what a directory sync stores of them that
 * the reading service reads), customer groups, internal groups and robots (the coverage refresh's).
 */
async function writeDirectory(db: Kysely<Database>, corpId: string): Promise<void> {
  const company = benchCompany();
  const { counts } = company;
  progress(`  directory: ${counts.employees} employees, ${counts.customers} customers, ${counts.groups} customer groups`);
  await inSlices(db, 'employees', corpId, counts.employees, (i) => {
    const e = company.employee(i);
    return {
      userid: e.userid, name: e.name, position: e.position, status: e.status, main_department: e.mainDepartment,
      departments: e.department.map((department_id, k) => ({ department_id, sort_order: e.order[k] ?? 0, is_leader: e.isLeaderInDept[k] ?? 0 })),
      raw: { userid: e.userid, name: e.name, department: e.department, position: e.position },
    };
  });
  await inSlices(db, 'customers', corpId, counts.customers, (i) => {
    const c = company.customer(i);
    return { external_userid: c.external_userid, name: c.name, type: c.type, corp_name: c.corpName ?? null, raw: { external_userid: c.external_userid, name: c.name, type: c.type } };
  });
  await inSlices(db, 'customer_groups', corpId, counts.groups, (i) => {
    const g = company.group(i);
    return { chat_id: g.chat_id, name: g.name, owner: g.ownerUserid, status: g.status, members: [], admins: [], raw: { chat_id: g.chat_id, name: g.name } };
  });
  const now = Date.now();
  for (let i = 0; i < counts.internal_groups; i++) {
    const g = company.internalGroup(i);
    await db.insertInto('archive_rooms').values({
      corp_id: corpId, roomid: g.roomid, room_type: 'internal', name: g.name, owner: g.creatorUserid, notice: null,
      room_create_time: g.createTime * 1000, members: JSON.stringify(g.memberUserids), fetched_at: now, error: null,
    }).execute();
  }
  for (let i = 0; i < counts.robots; i++) {
    const r = company.robot(i);
    await db.insertInto('archive_robots').values({ corp_id: corpId, robot_id: r.robot_id, name: r.name, creator_userid: r.creatorUserid, fetched_at: now, error: null }).execute();
  }
}

/**
 * The PostgreSQL twin: a schema of BENCH_DATABASE_URL's database named by N and STORE_VERSION, built
 * under a temporary name and renamed when complete (an interrupted build is never reused). The meta
 * lives in a one-row table of that schema. `dataDir` is the URL selecting the schema.
 */
async function benchPostgresStore(count: number, databaseUrl: string): Promise<BuiltStore> {
  const schema = `wa_bench_search_n${count}_${STORE_VERSION}`;
  const urlOf = (name: string) => {
    const url = new URL(databaseUrl);
    url.searchParams.set('options', `-c search_path=${name},public`);
    return url.toString();
  };
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const found = await admin.query<{ meta: Meta }>(`select meta from ${schema}.bench_meta`).catch(() => undefined);
    if (found?.rows[0]) return { ...found.rows[0].meta, dataDir: urlOf(schema), built: false };
    const partial = `${schema}_partial_${process.pid}`;
    await admin.query(`drop schema if exists ${partial} cascade`);
    await admin.query(`create extension if not exists pg_trgm with schema public`);
    await admin.query(`create schema ${partial}`);
    const scratch = mkdtempSync(join(tmpdir(), 'wa-bench-search-'));
    const meta = await build(scratch, count, urlOf(partial));
    rmSync(scratch, { recursive: true, force: true });
    await admin.query(`create table ${partial}.bench_meta (meta jsonb not null)`);
    await admin.query(`insert into ${partial}.bench_meta values ($1)`, [JSON.stringify(meta)]);
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.query(`alter schema ${partial} rename to ${schema}`);
    return { ...meta, dataDir: urlOf(schema), built: true };
  } finally {
    await admin.end();
  }
}

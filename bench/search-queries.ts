/**
 * The search benchmarks' shared vocabulary and arithmetic: the query tiers (phrases the sandbox's
 * archive generator writes with seed 7), how a round of searches is timed, and how it is printed.
 * Used by `npm run bench:search` (its own cached store) and by `npm run bench:archive` (the store its
 * largest `archive pull` just wrote), so both report the same queries the same way.
 */
import { sql, type Kysely } from 'kysely';
import { searchArchive } from '../src/archive/reading/search.ts';
import type { Database } from '../src/store/database.ts';
import { searchPlan } from '../src/store/message-search.ts';
import { containsText, dialectOf } from '../src/store/sql-kit.ts';

/** DESIGN.md: p95 under 100 ms for a 3+ character Chinese query over 1M messages. */
export const TARGET_MS = 100;

export type Tier = 'common' | 'medium' | 'few' | 'rare' | 'none';
/**
 * Tiers by how many of the search bench's 1M messages (90 days, `large` company) contain the query
 * (the report's `matches` column): common > 10,000; medium 1,000–10,000; few 50–1,000 (around
 * message-search.ts's FEW_HITS, where the plan switches); rare < 50 (names, amounts, a parcel
 * number); none. Another archive (other size, span or company) shifts the counts, not the phrases.
 */
export const QUERIES: Record<Tier, string[]> = {
  common: [
    '报价单', '共享文档', '测试环境', '业绩目标', '工程师上门', '演示账号', '优惠活动', '数据分析平台', '企业版年度套餐',
    '智能客服系统', '辛苦了', '请假申请', '售后群', '发票抬头', '盛世医疗', '聊天记录',
  ],
  medium: ['安装指南', '产品手册', '腾讯会议', '连锁门店', '五分钟内', '享受8折优惠', '周五要去客户现场', '会员管理小程序本月下单', '季度复盘', '恭喜发财', '合同草案V2', '快递单号SF1'],
  few: ['打算采购12套', '打算采购3套', '电话是139', '团建去哪里', '新品命名投票', '跟进报价', '回访客户', '密室逃脱'],
  rare: ['金额36200元', '还差14700元', '还差1000元', '快递单号SF4271', '宋晶晶', '欧阳睿明', '姚浩红', '侯波岚', '熊露梓'],
  none: ['量子计算机', '区块链钱包', '火星基地', '无人驾驶', '房地产中介', '保险理赔单'],
};
export const TIERS = Object.keys(QUERIES) as Tier[];

export interface Sample { query: string; tier: Tier | 'short' | 'scan'; ms: number[]; hits: number; matches?: number; plan?: string }

export const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
export const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function time(run: () => Promise<number>): Promise<{ ms: number; hits: number }> {
  const started = performance.now();
  const hits = await run();
  return { ms: performance.now() - started, hits };
}

/** The reading service's search, as `wecom-archive search <text>` calls it. */
export const viaProduct = (db: Kysely<Database>, corpId: string, text: string) => async () => (await searchArchive(db, corpId, { text, limit: 50 })).hits.length;

/** How many messages contain the query in all (SQLite's FTS index, PostgreSQL's trigram index; not timed). */
export async function matches(db: Kysely<Database>, text: string): Promise<number> {
  if (dialectOf(db) === 'postgres') {
    const found = await sql<{ n: string }>`select count(*) as n from messages where ${containsText('postgres', sql.ref('search_text'), text)}`.execute(db);
    return Number(found.rows[0]!.n);
  }
  const phrase = `"${text.replaceAll('"', '""')}"`;
  const row = await sql<{ n: number }>`select count(*) as n from messages_fts where messages_fts match ${phrase}`.execute(db);
  return Number(row.rows[0]!.n);
}

export async function measure(queries: Array<[string, Sample['tier']]>, rounds: number, run: (text: string) => () => Promise<number>): Promise<Sample[]> {
  const samples = queries.map(([query, tier]): Sample => ({ query, tier, ms: [], hits: 0 }));
  // Rounds go across all queries, so no query gets a cache the others have not had.
  for (let r = 0; r < rounds; r++) {
    for (const sample of samples) {
      const { ms: took, hits } = await time(run(sample.query));
      sample.ms.push(took);
      sample.hits = hits;
    }
  }
  return samples;
}

export interface IndexedRun { warm: Sample[]; product: Sample[]; rounds: number }

/**
 * Every tiered query through searchArchive: one untimed pass first (the benches measure a warm
 * server, not the first search after boot), then `rounds` timed ones. Each query is then annotated
 * with its match count and the plan: searchPlan's on SQLite, `win` (time windows,
 * message-search-windows.ts) on PostgreSQL.
 */
export async function measureIndexed(db: Kysely<Database>, corpId: string, rounds: number): Promise<IndexedRun> {
  const indexed = TIERS.flatMap((tier) => QUERIES[tier].map((q): [string, Tier] => [q, tier]));
  const warm = await measure(indexed, 1, (q) => viaProduct(db, corpId, q));
  const product = await measure(indexed, rounds, (q) => viaProduct(db, corpId, q));
  for (const s of product) {
    s.matches = await matches(db, s.query);
    s.plan = dialectOf(db) === 'sqlite' ? await searchPlan(db, s.query) : 'win';
  }
  return { warm, product, rounds };
}

export function table(samples: Sample[]): string[] {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const width = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e7f ? 2 : 1), 0);
  const name = (s: string) => s + ' '.repeat(Math.max(0, 24 - width(s)));
  return [
    `  ${name('query')}${'tier'.padEnd(8)}${'plan'.padEnd(6)}${pad('matches', 9)}${pad('hits', 6)}${pad('p50 ms', 9)}${pad('p95 ms', 9)}${pad('max ms', 9)}`,
    ...samples.map((s) => `  ${name(s.query)}${s.tier.padEnd(8)}${(s.plan ?? '').padEnd(6)}${pad(s.matches === undefined ? '' : s.matches.toLocaleString('en'), 9)}${pad(s.hits, 6)}`
      + `${pad(ms(pct(s.ms, 50)), 9)}${pad(ms(pct(s.ms, 95)), 9)}${pad(ms(Math.max(...s.ms)), 9)}`),
  ];
}

export function summary(label: string, samples: Sample[]): { p95: number; line: string } {
  const all = samples.flatMap((s) => s.ms);
  const p95 = pct(all, 95);
  return { p95, line: `${label.padEnd(34)}p50 ${ms(pct(all, 50))} ms, p95 ${ms(p95)} ms, max ${ms(Math.max(...all))} ms (${all.length} searches)` };
}

/** The indexed run's report: warm-up, per query, per tier, overall and the target; ok when met. */
export function indexedReport({ warm, product, rounds }: IndexedRun): { ok: boolean; p95: number; lines: string[] } {
  const overall = summary('3+ characters, all tiers', product);
  const ok = overall.p95 < TARGET_MS;
  const warmMs = warm.flatMap((s) => s.ms);
  return {
    ok, p95: overall.p95,
    lines: [
      `Warm-up pass (not counted): p95 ${ms(pct(warmMs, 95))} ms, max ${ms(Math.max(...warmMs))} ms`,
      '',
      `searchArchive, limit 50, ${rounds} rounds:`,
      ...table(product),
      '',
      ...TIERS.map((tier) => summary(`  ${tier}`, product.filter((s) => s.tier === tier)).line),
      overall.line,
      `Target: p95 ${ms(overall.p95)} ms against < ${TARGET_MS} ms ${ok ? '✔' : '✖'}`,
    ],
  };
}

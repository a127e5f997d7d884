/**
 * `npm run bench:ui` (after the bundle): the web UI's server side, over bench:search's cached store
 * (BENCH_MESSAGES, default 1,000,000, plus one group chat of 10,000: big-conversation.ts) in SQLite,
 * through the real HTTP server (ui-api-server.ts) with an auditor's token and a stated purpose, so
 * every content read is checked and audited as a reviewer's is. Issue 11's targets:
 *
 * - the first page of a 10,000-message conversation, server side (Server-Timing): p95 < 100 ms. Both
 *   ways the UI opens one: the newest page (from the list) and a page around a message in its middle
 *   (from a search hit); the UI's page is 60 (web/src/components/ConversationView.tsx);
 * - search end to end through the API: p95 < 200 ms, every query of search-queries.ts at the UI's
 *   limit of 100 (web/src/pages/Search.tsx).
 *
 * The newest page is also asked for as a browser asks (Accept-Encoding: br, gzip): the bytes on the
 * wire and what compressing them costs, against the same page sent plain.
 *
 * Beside them, in the same rounds (interleaved, so a change in the machine's load hits all alike):
 * /healthz end to end (the floor any answer pays), the service the route calls, made directly with the
 * same actor and purpose (scope checks and the audit row included), and the reading function below
 * it (neither). Their ratios say what HTTP, auth and serialisation add, and what the service adds.
 * A figure, not a test: the exit code is 0 whether targets are met or not, 1 only on an error.
 */
import { loadavg } from 'node:os';
import { readConversation as readPage } from '../src/archive/reading/conversation.ts';
import { searchArchive } from '../src/archive/reading/search.ts';
import { readConversation, searchMessages } from '../src/services/reading.ts';
import { searchPlan } from '../src/store/message-search.ts';
import { ms, pct, QUERIES, TIERS, type Tier } from './search-queries.ts';
import { benchStore } from './search-store.ts';
import { startBenchServer, type BenchServer, type Timed } from './ui-api-server.ts';

const COUNT = Number((process.env.BENCH_MESSAGES ?? '1000000').replace(/_/g, ''));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 50);
const SEARCH_ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 5);
const WARMUP = 5;
/** The UI's page of messages and of search hits. */
const PAGE = 60;
const SEARCH_LIMIT = 100;
const TARGET = { page: 100, search: 200 };

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

interface Series { label: string; server: number[]; e2e: number[]; service: number[]; reading: number[]; bytes: number[] }
const series = (label: string): Series => ({ label, server: [], e2e: [], service: [], reading: [], bytes: [] });

interface Step {
  http: () => Promise<Timed>;
  /** Throws when the answer is not what the UI would show (a wrong page would time the wrong thing). */
  check: (body: any) => void;
  service: () => Promise<unknown>;
  reading: () => Promise<unknown>;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** HTTP, then the service, then the reading function: each pass of a step, into `into` unless warming up. */
async function pass(step: Step, into?: Series): Promise<void> {
  const answer = await step.http();
  step.check(JSON.parse(answer.body));
  const service = await timed(step.service);
  const reading = await timed(step.reading);
  if (!into) return;
  into.server.push(answer.server);
  into.e2e.push(answer.e2e);
  into.service.push(service);
  into.reading.push(reading);
  into.bytes.push(answer.wire);
}

function pageSteps(bench: BenchServer, id: string, middle: string, size: number): Record<'newest' | 'around' | 'newestCompressed', Step> {
  const { corpId, caller, store } = bench;
  const path = (extra: string) => `/api/v1/conversations/${encodeURIComponent(id)}/messages?corp=${corpId}&limit=${PAGE}${extra}`;
  const full = (body: any) => {
    if (body.messages?.length !== PAGE || body.total !== size) throw new Error(`a page of ${body.messages?.length} of ${body.total}, not ${PAGE} of ${size}`);
  };
  return {
    newest: {
      http: () => bench.get(path('')),
      check: full,
      service: () => readConversation(caller, { id, corp: corpId, limit: PAGE, lang: 'zh' }),
      reading: () => readPage(store.db, corpId, id, { limit: PAGE }),
    },
    newestCompressed: {
      http: () => bench.get(path(''), false, true),
      check: full,
      service: () => readConversation(caller, { id, corp: corpId, limit: PAGE, lang: 'zh' }),
      reading: () => readPage(store.db, corpId, id, { limit: PAGE }),
    },
    around: {
      http: () => bench.get(path(`&around=${encodeURIComponent(middle)}`)),
      check: (body) => {
        full(body);
        if (!body.messages.some((m: { msgid: string }) => m.msgid === middle)) throw new Error('the page around a message does not hold it');
      },
      service: () => readConversation(caller, { id, corp: corpId, limit: PAGE, around: middle, lang: 'zh' }),
      reading: () => readPage(store.db, corpId, id, { limit: PAGE, cursor: { msgid: middle, direction: 'around' } }),
    },
  };
}

function searchStep(bench: BenchServer, text: string, hits: Map<string, number>): Step {
  const { corpId, caller, store } = bench;
  return {
    http: () => bench.get(`/api/v1/search?q=${encodeURIComponent(text)}&limit=${SEARCH_LIMIT}`),
    check: (body) => {
      if (!Array.isArray(body.hits)) throw new Error(`search ${text}: no hits in the answer`);
      hits.set(text, body.hits.length);
    },
    service: () => searchMessages(caller, { text, limit: SEARCH_LIMIT, lang: 'zh' }),
    // What the service asks the reading layer for: one more than the limit, to know whether more exist.
    reading: () => searchArchive(store.db, corpId, { text, limit: SEARCH_LIMIT + 1 }),
  };
}

async function main(): Promise<void> {
  const loadBefore = load();
  const built = await benchStore(COUNT);
  const bench = await startBenchServer(built);
  try {
    const { id, messages: size } = built.conversation;
    const ordered = await bench.store.db.selectFrom('messages').select('msgid').where('corp_id', '=', built.corpId)
      .where('conversation_id', '=', id).orderBy('msgtime').orderBy('seq').offset(Math.floor(size / 2)).limit(1).executeTakeFirstOrThrow();
    const pages = pageSteps(bench, id, ordered.msgid, size);
    const floor = series('/healthz: the HTTP floor');
    const newest = series(`first page: newest ${PAGE}`);
    const around = series(`first page: ${PAGE} around a hit`);
    const newestCompressed = series(`first page: newest, br`);
    const healthz = async (into?: Series) => {
      const answer = await bench.get('/healthz', true);
      into?.server.push(answer.server);
      into?.e2e.push(answer.e2e);
    };
    for (let round = 0; round < WARMUP + ROUNDS; round++) {
      const keep = round >= WARMUP;
      await healthz(keep ? floor : undefined);
      await pass(pages.newest, keep ? newest : undefined);
      await pass(pages.around, keep ? around : undefined);
      await pass(pages.newestCompressed, keep ? newestCompressed : undefined);
    }

    const queries = TIERS.flatMap((tier) => QUERIES[tier].map((text) => ({ text, tier })));
    const hits = new Map<string, number>();
    const byQuery = new Map(queries.map(({ text }) => [text, series(text)]));
    for (let round = 0; round < 1 + SEARCH_ROUNDS; round++) {
      for (const { text } of queries) await pass(searchStep(bench, text, hits), round >= 1 ? byQuery.get(text) : undefined);
    }
    const search = merged(`search, limit ${SEARCH_LIMIT}`, [...byQuery.values()]);
    const plans = new Map(await Promise.all(queries.map(async ({ text }) => [text, await searchPlan(bench.store.db, text)] as const)));

    const lines = [
      '',
      `web UI, server side: ${built.count.toLocaleString('en')} messages + one group chat of ${size.toLocaleString('en')} (${id}), SQLite, ${(built.bytes / 1024 ** 3).toFixed(2)} GB`,
      `  ${built.built ? `store built this run in ${(built.directorySeconds + built.messagesSeconds).toFixed(0)} s` : 'store reused'} (${built.dataDir})`,
      `  server in this process, one keep-alive connection, one request at a time, as an auditor with a purpose`,
      `  pages: ${ROUNDS} rounds after ${WARMUP} warm-up; search: ${SEARCH_ROUNDS} rounds of ${queries.length} queries after 1 warm-up`,
      `  load ${loadBefore} before; ${load()} after (1/5/15 min)`,
      '',
      ...targetTable(floor, newest, around, newestCompressed, search),
      '',
      ...baselineTable(floor, [newest, around, newestCompressed, search]),
      '',
      ...searchLines(byQuery, queries, plans, hits),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await bench.close();
  }
}

function merged(label: string, all: Series[]): Series {
  const out = series(label);
  for (const s of all) for (const key of ['server', 'e2e', 'service', 'reading', 'bytes'] as const) out[key].push(...s[key]);
  return out;
}

const col = (x: string | number, width = 7) => String(x).padStart(width);
const trio = (values: number[]) => [50, 95].map((p) => col(ms(pct(values, p)))).join('') + col(ms(Math.max(...values)));
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

function targetTable(floor: Series, newest: Series, around: Series, compressed: Series, search: Series): string[] {
  const row = (s: Series, target: string) => `  ${s.label.padEnd(29)}${col(s.e2e.length, 5)} ${trio(s.server)}   ${trio(s.e2e)} ${col(s.bytes.length ? Math.round(pct(s.bytes, 50) / 1024) : '', 6)}   ${target}`;
  const pageTarget = (s: Series) => `server p95 < ${TARGET.page} ms: ${met(pct(s.server, 95) < TARGET.page)}`;
  return [
    `  ${'request'.padEnd(29)}${col('n', 5)}  server ms (Server-Timing)  end to end ms (HTTP)     KB   target`,
    `  ${''.padEnd(29)}${''.padStart(5)} ${col('p50')}${col('p95')}${col('max')}   ${col('p50')}${col('p95')}${col('max')}`,
    row(floor, ''),
    row(newest, pageTarget(newest)),
    row(around, pageTarget(around)),
    row(compressed, `${pageTarget(compressed)}; ${(pct(newest.bytes, 50) / pct(compressed.bytes, 50)).toFixed(1)}x fewer bytes, e2e ${(pct(compressed.e2e, 50) / pct(newest.e2e, 50)).toFixed(2)}x`),
    row(search, `e2e p95 < ${TARGET.search} ms: ${met(pct(search.e2e, 95) < TARGET.search)}`),
    `  KB: bytes on the wire (p50); "br": asked as a browser asks (Accept-Encoding: br, gzip), decoded in the e2e time. Targets: issue 11 (a figure, not a test: the exit code does not depend on them)`,
  ].map((line) => line.trimEnd());
}

/** Each level's p50/p95, and the ratios: HTTP end to end over the service, the service over the reading function. */
function baselineTable(floor: Series, rows: Series[]): string[] {
  const pair = (values: number[]) => `${ms(pct(values, 50))} / ${ms(pct(values, 95))}`.padStart(13);
  const ratio = (a: number[], b: number[]) => `${(pct(a, 50) / pct(b, 50)).toFixed(2)} / ${(pct(a, 95) / pct(b, 95)).toFixed(2)}`.padStart(13);
  return [
    `  ${'p50 / p95, ms'.padEnd(30)}${'reading'.padStart(13)}${'service'.padStart(13)}${'HTTP e2e'.padStart(13)}${'HTTP/service'.padStart(14)}${'svc/reading'.padStart(14)}${'HTTP−svc'.padStart(10)}`,
    ...rows.map((s) => `  ${s.label.padEnd(30)}${pair(s.reading)}${pair(s.service)}${pair(s.e2e)} ${ratio(s.e2e, s.service)} ${ratio(s.service, s.reading)}`
      + col(`+${ms(pct(s.e2e, 50) - pct(s.service, 50))}`, 10)),
    `  reading: the archive function, no scope or audit; service: the route's call as the same auditor (scope, audit row);`,
    `  HTTP−svc (p50) against the floor, /healthz end to end: p50 ${ms(pct(floor.e2e, 50))} ms, p95 ${ms(pct(floor.e2e, 95))} ms.`,
  ];
}

function searchLines(byQuery: Map<string, Series>, queries: Array<{ text: string; tier: Tier }>, plans: Map<string, string>, hits: Map<string, number>): string[] {
  const tiers = TIERS.map((tier) => {
    const values = queries.filter((q) => q.tier === tier).flatMap((q) => byQuery.get(q.text)!.e2e);
    return `${tier} ${ms(pct(values, 95))}`;
  });
  const slowest = [...byQuery.values()].sort((a, b) => pct(b.e2e, 95) - pct(a.e2e, 95)).slice(0, 3)
    .map((s) => `    ${s.label}: p50 ${ms(pct(s.e2e, 50))} ms, max ${ms(Math.max(...s.e2e))} ms (${queries.find((q) => q.text === s.label)!.tier}, `
      + `plan ${plans.get(s.label)}, ${hits.get(s.label)} hits; service max ${ms(Math.max(...s.service))}, reading max ${ms(Math.max(...s.reading))})`);
  return [
    `  search end to end p95 by tier, ms: ${tiers.join(', ')}`,
    `  slowest queries, by end to end p95 (with ${SEARCH_ROUNDS} rounds, the max):`,
    ...slowest,
  ];
}

try {
  await main();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
}

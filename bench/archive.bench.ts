/**
 * `npm run bench:archive`: the chat-archive ingest through the product's whole path — the real CLI
 * (`wecom-archive archive pull`) in a child process, its SDK host processes (koffi, the gcc-built
 * stand-in library fetching over HTTP), RSA unwrapping, DecryptData, parsing, SQLite (or
 * BENCH_DATABASE_URL) with full-text index, hash chain — beside this machine's RSA-2048
 * private-decryption rate on all cores, measured in the same run (DESIGN.md target: ratio ≥ 0.6;
 * memory flat as the archive grows, < 400 MB for the product's processes).
 *
 * 100,000 messages by default; BENCH_FULL=1 adds 1,000,000 (BENCH_N=… sets the list). With
 * BENCH_DATABASE_URL each size is pulled into SQLite and then into a fresh schema of that PostgreSQL
 * database (BENCH_STORES=postgres: PostgreSQL only), and the rates are printed side by side. The envelopes
 * are sealed once by the sandbox generator into a file and served from it (archive-fixture.ts).
 *
 * Then search over the store the largest size's pull just wrote, before it is deleted: the tiered
 * queries of bench:search (search-queries.ts) through searchArchive, as `wecom-archive search` runs
 * them, p50/p95/max per tier and overall (DESIGN.md target: p95 < 100 ms at 1,000,000 messages).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism as availableCores, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureStandinSdk } from '../src/archive/sdk/standin-path.ts';
import type { StoreDialect } from '../src/store/database.ts';
import { usingStore, type Store } from '../src/store/index.ts';
import { loadFixture, serveFixture, type Fixture } from './archive-fixture.ts';
import { freshPostgresSchema } from './archive-pg.ts';
import { TreeMonitor } from './proc-tree.ts';
import { measureRsaBaseline, type Baseline } from './rsa-baseline.ts';
import { indexedReport, measureIndexed, type IndexedRun } from './search-queries.ts';

const BIN = fileURLToPath(new URL('../bin/wecom-archive', import.meta.url));
const SECRET = 'benchArchiveSecret-0123456789abcdefghijklmn';
const TARGET_RATIO = 0.6;
const MEMORY_LIMIT = 400 * 1024 * 1024;
const SEARCH_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

interface ProductRun {
  messages: number;
  pullSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRss: number;
  processes: number;
  /** The CLI's own CPU and peak memory (the rest is its SDK hosts and tsx's esbuild service). */
  cliCpuSeconds: number;
  cliPeakRss: number;
  /**
   * Each process, the CLI first, then its children in the order they started (the io host first;
   * forked within one clock tick, so by pid): its own peak, and its RSS when the total peaked.
   */
  perProcess: Array<{ peakRss: number; atPeak: number }>;
  /** 1-minute load average before and after (the machine may be shared). */
  load: [number, number];
}

/** With BENCH_DATABASE_URL every size is pulled into SQLite and PostgreSQL (BENCH_STORES=postgres: only it). */
const DATABASE_URL = process.env.BENCH_DATABASE_URL;
function stores(): StoreDialect[] {
  if (!DATABASE_URL) return ['sqlite'];
  return process.env.BENCH_STORES === 'postgres' ? ['postgres'] : ['sqlite', 'postgres'];
}

function sizes(): number[] {
  if (process.env.BENCH_N) return process.env.BENCH_N.split(',').map((n) => Number(n.replace(/_/g, '')));
  return process.env.BENCH_FULL === '1' ? [100_000, 1_000_000] : [100_000];
}

function writeConfig(dir: string, fixture: Fixture, url: string, library: string, dataDir: string, databaseUrl?: string): string {
  const lines = [`CORP_ID=${fixture.corpId}`, `CHAT_ARCHIVE_SECRET=${SECRET}`, `WECOM_API_BASE=${url}`, `FINANCE_SDK_PATH=${library}`, `DATA_DIR=${dataDir}`];
  for (const pair of fixture.keys) {
    const file = join(dir, `key-v${pair.version}.pem`);
    writeFileSync(file, pair.privateKeyPem, { mode: 0o600 });
    lines.push(`ARCHIVE_PRIVATE_KEY_${pair.version}=${file}`);
  }
  if (databaseUrl) lines.push(`DATABASE_URL=${databaseUrl}`);
  const file = join(dir, 'wecom.env');
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
}

/**
 * One `archive pull` of the whole fixture into a fresh store, its process tree watched from outside;
 * then `afterPull`, when given, on that store (opened here as the CLI opened it) before it is deleted.
 */
async function runProduct<T>(fixture: Fixture, library: string, dialect: StoreDialect, afterPull?: (store: Store) => Promise<T>): Promise<{ run: ProductRun; after?: T }> {
  const dir = mkdtempSync(join(tmpdir(), 'wa-bench-archive-'));
  const { url, server } = await serveFixture(fixture, SECRET);
  const postgres = dialect === 'postgres' ? await freshPostgresSchema(DATABASE_URL!) : undefined;
  try {
    const dataDir = join(dir, 'data');
    const config = writeConfig(dir, fixture, url, library, dataDir, postgres?.url);
    const load = loadavg()[0]!;
    const started = Date.now();
    // --no-media: the fixture serves chat data only (media has its own tests); this measures the ingest.
    const child = spawn(process.execPath, [BIN, '--json', 'archive', 'pull', '--no-media', '--config', config], { stdio: ['ignore', 'pipe', 'ignore'] });
    const monitor = new TreeMonitor(child.pid!);
    let stdout = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    monitor.stop();
    const wallSeconds = (Date.now() - started) / 1000;
    if (code !== 0) throw new Error(`archive pull exited ${code}: ${stdout}`);
    const [summary] = (JSON.parse(stdout) as { corps: Array<{ stored: number; durationMs: number; byStatus: { decrypted: number } }> }).corps;
    if (!summary) throw new Error(`archive pull reported no corp: ${stdout}`);
    if (summary.stored !== fixture.count || summary.byStatus.decrypted !== fixture.count) {
      throw new Error(`stored ${summary.stored} (${summary.byStatus.decrypted} decrypted) of ${fixture.count}`);
    }
    const run: ProductRun = {
      messages: summary.stored, pullSeconds: summary.durationMs / 1000, wallSeconds,
      cpuSeconds: monitor.cpuSeconds, peakRss: monitor.peakRss, processes: monitor.peakProcesses,
      cliCpuSeconds: monitor.processes.get(child.pid!)?.cpuSeconds ?? 0, cliPeakRss: monitor.processes.get(child.pid!)?.peakRss ?? 0,
      perProcess: [...monitor.processes].sort(([a, p], [b, q]) => (a === child.pid ? -1 : b === child.pid ? 1 : p.started - q.started || a - b))
        .map(([pid, p]) => ({ peakRss: p.peakRss, atPeak: monitor.atPeak.get(pid) ?? 0 })),
      load: [load, loadavg()[0]!],
    };
    // After the load reading: what runs here is the bench's own work, not the product's ingest.
    const after = afterPull ? await usingStore({ dataDir, databaseUrl: postgres?.url }, afterPull) : undefined;
    return { run, after };
  } finally {
    server.close();
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(run: ProductRun, baseline: Baseline): boolean {
  const rate = run.messages / run.pullSeconds;
  const ratio = rate / baseline.perSecond;
  const cpuPerMessage = (run.cpuSeconds * 1e6) / run.messages;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const n = (x: number) => Math.round(x).toLocaleString('en');
  console.log(`\n${n(run.messages)} messages`);
  console.log(`  ingest           ${n(rate)} messages/s (pull ${run.pullSeconds.toFixed(1)} s; process wall ${run.wallSeconds.toFixed(1)} s)`);
  console.log(`  ratio            ${ratio.toFixed(2)} of the RSA baseline (target ≥ ${TARGET_RATIO}) ${ratio >= TARGET_RATIO ? '✔' : '✖'}`);
  console.log(`  CPU per message  ${cpuPerMessage.toFixed(0)} µs, of which RSA ${baseline.cpuMicrosPerOp.toFixed(0)} µs: ${(cpuPerMessage - baseline.cpuMicrosPerOp).toFixed(0)} µs beyond RSA`);
  // What the ratio is when the product keeps every core busy, whatever else runs on the machine.
  console.log(`  CPU-bound ratio  ${(baseline.cpuMicrosPerOp / cpuPerMessage).toFixed(2)} (RSA CPU / all CPU per message)`);
  console.log(`                   CLI process ${((run.cliCpuSeconds * 1e6) / run.messages).toFixed(0)} µs, SDK hosts and helpers ${(((run.cpuSeconds - run.cliCpuSeconds) * 1e6) / run.messages).toFixed(0)} µs`);
  console.log(`  peak RSS         ${mb(run.peakRss)} for the product's ${run.processes} processes (CLI ${mb(run.cliPeakRss)} + SDK hosts; limit ${mb(MEMORY_LIMIT)}) ${run.peakRss < MEMORY_LIMIT ? '✔' : '✖'}`);
  const [cli, io, ...decrypt] = run.perProcess;
  const each = (p: { peakRss: number; atPeak: number } | undefined) => (p ? `${mb(p.peakRss)} (${mb(p.atPeak)} at the total's peak)` : '-');
  console.log(`  per process      CLI ${each(cli)}, io host ${each(io)}, decrypt hosts ${decrypt.map(each).join(', ')}`);
  console.log(`  load average     ${run.load[0].toFixed(1)} before, ${run.load[1].toFixed(1)} after (${availableCores()} cores; a busy machine lowers the ratio)`);
  return ratio >= TARGET_RATIO && run.peakRss < MEMORY_LIMIT;
}

/**
 * Search over the store a pull just wrote, in this process, one query at a time. The fixture is the
 * search bench's generator with the same seed, so the queries are its vocabulary; but its company is
 * `small` and its timeline 4 days rather than 90, so match counts per tier differ from bench:search's
 * (some rare names may not occur at all). No directory sync runs here, so names are missing:
 * searchArchive's name lookups still run, but against empty directory tables, and hits show ids.
 */
async function searchPulled(store: Store, corpId: string): Promise<{ dialect: Store['dialect']; run: IndexedRun }> {
  return { dialect: store.dialect, run: await measureIndexed(store.db, corpId, SEARCH_ROUNDS) };
}

function reportSearch(messages: number, dialect: Store['dialect'], search: IndexedRun): boolean {
  const { ok, lines } = indexedReport(search);
  const where = dialect === 'postgres' ? 'PostgreSQL' : 'SQLite';
  console.log(`\nSearch over the ${messages.toLocaleString('en')} messages just pulled, ${where}:`);
  for (const line of lines) console.log(line && `  ${line}`);
  return ok;
}

/**
 * Each store's ingest rate at every size side by side: whether it stays flat as the store grows
 * (issue 13's PostgreSQL target: the largest size at ≥ 0.9 of the smallest's rate in the same run).
 */
function reportFlatness(rates: Array<{ dialect: StoreDialect; messages: number; rate: number; ratio: number; load: number }>): void {
  console.log('\nIngest rate by size (flat: the largest at ≥ 0.9 of the smallest):');
  for (const dialect of new Set(rates.map((r) => r.dialect))) {
    const own = rates.filter((r) => r.dialect === dialect).sort((a, b) => a.messages - b.messages);
    const cells = own.map((r) => `${r.messages.toLocaleString('en')}: ${Math.round(r.rate).toLocaleString('en')} msg/s (ratio ${r.ratio.toFixed(2)}, load ${r.load.toFixed(1)})`);
    const flat = own.length > 1 ? `; largest / smallest ${(own[own.length - 1]!.rate / own[0]!.rate).toFixed(2)}` : '';
    console.log(`  ${dialect.padEnd(9)}${cells.join('  |  ')}${flat}`);
  }
}

async function main(): Promise<void> {
  const library = ensureStandinSdk();
  const all = sizes();
  const largest = Math.max(...all);
  let ok = true;
  const searched = new Set<StoreDialect>();
  const rates: Array<{ dialect: StoreDialect; messages: number; rate: number; ratio: number; load: number }> = [];
  for (const count of all) {
    const fixture = await loadFixture(count);
    const pem = fixture.keys[0]!.privateKeyPem;
    for (const dialect of stores()) {
      // Measured before and after: the machine's load may change while the product runs.
      const before = await measureRsaBaseline(pem);
      // Search once per store kind, on the largest store (1M with BENCH_FULL=1, where the target is set).
      const searchOn = count === largest && !searched.has(dialect) ? (store: Store) => searchPulled(store, fixture.corpId) : undefined;
      const { run, after: search } = await runProduct(fixture, library, dialect, searchOn);
      const after = await measureRsaBaseline(pem);
      const baseline: Baseline = { threads: before.threads, perSecond: (before.perSecond + after.perSecond) / 2, cpuMicrosPerOp: Math.min(before.cpuMicrosPerOp, after.cpuMicrosPerOp) };
      console.log(`\n[${dialect}] RSA-2048 baseline: ${Math.round(baseline.perSecond).toLocaleString('en')} private decryptions/s on ${baseline.threads} threads (before ${Math.round(before.perSecond)}, after ${Math.round(after.perSecond)}); ${baseline.cpuMicrosPerOp.toFixed(0)} µs CPU each`);
      ok = report(run, baseline) && ok;
      rates.push({ dialect, messages: run.messages, rate: run.messages / run.pullSeconds, ratio: run.messages / run.pullSeconds / baseline.perSecond, load: run.load[1] });
      if (search) {
        searched.add(dialect);
        ok = reportSearch(run.messages, search.dialect, search.run) && ok;
      }
    }
  }
  reportFlatness(rates);
  process.exitCode = ok ? 0 : 1;
}

await main();

/**
 * `npm run bench:sync`: a full sync of the sandbox's `large` company at WeCom's default rate limits,
 * then a no-change resync, into SQLite in a temp dir. Prints the duration against the floor the
 * limits impose, the requests per endpoint, 45009/45033 counts and the resync time.
 *
 * The sandbox runs in this process, on a worker thread: it stands for WeCom's servers, whose CPU is
 * not the product's, so it must not queue behind the sync's own work on the main thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { startSandbox } from '../src/sandbox/index.ts';
import { openStore } from '../src/store/open.ts';
import { meteredFetch } from '../src/sync/metering.ts';
import { runSync, type SyncResult } from '../src/sync/run.ts';
import { Tally } from '../src/sync/tally.ts';
import { createWecomClient, type WecomClient } from '../src/wecom/client.ts';
import { endpointSpec, WECOM_LIMITS, type CredentialKind, type EndpointName } from '../src/wecom/endpoints.ts';

interface SandboxInfo {
  url: string;
  corpId: string;
  secrets: Record<CredentialKind, string>;
  summary: Record<string, number>;
}

interface Run {
  result: SyncResult;
  seconds: number;
}

/** The sandbox counts the sync must reproduce. */
const CHECKED = { departments: 'departments', employees: 'employees', customers: 'customers', follow_relations: 'follow_relations', groups: 'customer_groups' } as const;

if (isMainThread) await main();
else await serveSandbox();

/** Worker side: the large company at default limits, until the main thread says stop. */
async function serveSandbox(): Promise<void> {
  const sandbox = await startSandbox({ size: 'large' });
  parentPort!.once('message', async () => {
    await sandbox.close();
    parentPort!.close();
  });
  parentPort!.postMessage({ url: sandbox.url, corpId: sandbox.corpId, secrets: { ...sandbox.secrets }, summary: sandbox.summary() } satisfies SandboxInfo);
}

async function main(): Promise<void> {
  process.stdout.write('Starting the large sandbox company on a worker thread…\n');
  // Workers do not inherit tsx's loader: the worker registers it, then loads this same file.
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true });
  const sandbox = await new Promise<SandboxInfo>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'wecom-archive-bench-'));
  const store = await openStore({ dataDir });
  const newClient = (tally?: Tally) => createWecomClient({
    corpId: sandbox.corpId, secrets: sandbox.secrets, apiBase: sandbox.url, dataDir,
    fetch: tally ? meteredFetch(tally) : undefined,
  });
  const runOnce = async (): Promise<Run> => {
    const tally = new Tally();
    const client = newClient(tally);
    const started = performance.now();
    const result = await runSync({ store, corpId: sandbox.corpId, client, scopes: ['directory', 'customers', 'groups'], tally });
    const seconds = (performance.now() - started) / 1000;
    await client.close();
    return { result, seconds };
  };
  try {
    process.stdout.write('Full sync…\n');
    const full = await runOnce();
    process.stdout.write('No-change resync…\n');
    const again = await runOnce();
    const client = newClient();
    const latency = await calibrate(client);
    await client.close();
    const stored = await storedCounts(store.db, sandbox.corpId);
    process.stdout.write(`${report(sandbox, full, again, latency, stored).join('\n')}\n`);
  } finally {
    await store.close();
    worker.postMessage('close');
    await new Promise((resolve) => worker.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Unloaded per-call latency of the two big concurrency-capped endpoints: calls one at a time, after
 * the syncs, with nothing else running. The cap then imposes at least calls × latency ÷ cap.
 */
async function calibrate(client: WecomClient): Promise<Partial<Record<EndpointName, number>>> {
  const time = async (n: number, call: (i: number) => Promise<unknown>) => {
    await call(0);
    const started = performance.now();
    for (let i = 1; i <= n; i++) await call(i);
    return (performance.now() - started) / n;
  };
  const { follow_user } = await client.call('externalcontact.getFollowUserList');
  const batch = (i: number) => follow_user.slice(i * 100, i * 100 + 100);
  const { group_chat_list: groups } = await client.call('externalcontact.groupchatList', { owner_filter: { userid_list: batch(0) }, limit: 100 });
  return {
    'externalcontact.batchGetByUser': await time(20, (i) => client.call('externalcontact.batchGetByUser', { userid_list: batch(i), limit: 100 })),
    'externalcontact.groupchatGet': await time(40, (i) => client.call('externalcontact.groupchatGet', { chat_id: groups[i % groups.length]!.chat_id, need_name: 1 })),
  };
}

async function storedCounts(db: Awaited<ReturnType<typeof openStore>>['db'], corpId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries(CHECKED)) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'))
      .where('corp_id', '=', corpId).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    out[name] = Number(row.n);
  }
  return out;
}

interface FloorRow {
  endpoint: string;
  calls: number;
  perMinute: number;
  rateFloor: number;
  latencyMs?: number;
  concurrencyFloor?: number;
  e45009: number;
  e45033: number;
}

/** Per endpoint: calls ÷ per-minute limit, and for capped endpoints calls × latency ÷ cap. */
function floors(tally: Tally, latency: Partial<Record<EndpointName, number>>): FloorRow[] {
  return Object.entries(tally.endpoints).map(([endpoint, meter]) => {
    const spec = endpointSpec(endpoint as EndpointName);
    const perMinute = Math.min(WECOM_LIMITS.perMinute, spec.perMinute ?? Infinity);
    const latencyMs = spec.concurrencyLimited ? latency[endpoint as EndpointName] ?? meter.totalMs / meter.requests : undefined;
    return {
      endpoint, calls: meter.requests, perMinute, rateFloor: (meter.requests / perMinute) * 60,
      latencyMs, concurrencyFloor: latencyMs === undefined ? undefined : (meter.requests * latencyMs) / WECOM_LIMITS.concurrency / 1000,
      e45009: meter.errcodes[45009] ?? 0, e45033: meter.errcodes[45033] ?? 0,
    };
  }).sort((a, b) => b.calls - a.calls);
}

function report(sandbox: SandboxInfo, full: Run, again: Run, latency: Partial<Record<EndpointName, number>>, stored: Record<string, number>): string[] {
  const { tally } = full.result;
  const rows = floors(tally, latency);
  const rateFloor = Math.max(...rows.map((r) => r.rateFloor));
  const concurrencyFloor = Math.max(...rows.map((r) => r.concurrencyFloor ?? 0));
  const floor = Math.max(rateFloor, concurrencyFloor);
  const which = concurrencyFloor > rateFloor ? 'the concurrency floor (5 in flight × unloaded latency)' : 'the rate floor (calls ÷ per-minute limit)';
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const written = Object.values(again.result.tally.entities).reduce((n, c) => n + c.inserted + c.updated + c.deleted, 0);
  const mismatches = Object.keys(CHECKED).filter((k) => stored[k] !== sandbox.summary[k]);
  const lines = [
    '',
    `${'endpoint'.padEnd(36)}${pad('calls', 7)}${pad('limit/min', 11)}${pad('rate floor', 12)}${pad('latency', 10)}${pad('conc. floor', 13)}${pad('45009', 7)}${pad('45033', 7)}`,
    ...rows.map((r) => `${r.endpoint.padEnd(36)}${pad(r.calls, 7)}${pad(r.perMinute, 11)}${pad(`${r.rateFloor.toFixed(1)} s`, 12)}`
      + `${pad(r.latencyMs === undefined ? '' : `${r.latencyMs.toFixed(1)} ms`, 10)}`
      + `${pad(r.concurrencyFloor === undefined ? '' : `${r.concurrencyFloor.toFixed(1)} s`, 13)}${pad(r.e45009, 7)}${pad(r.e45033, 7)}`),
    '',
    `Synced:            ${Object.keys(CHECKED).map((k) => `${k} ${stored[k]}`).join(', ')}${mismatches.length ? `  MISMATCH with the sandbox: ${mismatches.join(', ')}` : ' (= sandbox)'}`,
    `Full sync:         ${full.seconds.toFixed(1)} s (${full.result.status}; ${tally.flat().requests} requests; ${tally.errors.length} errors)`,
    `Floor:             ${floor.toFixed(1)} s, ${which}; rate floor ${rateFloor.toFixed(1)} s, concurrency floor ${concurrencyFloor.toFixed(1)} s`,
    `Ratio:             ${(full.seconds / floor).toFixed(2)}x (target ≤ 1.2x)`,
    `45009 / 45033:     ${tally.errcodeCount(45009)} / ${tally.errcodeCount(45033)} (45033 is absorbed by the client's retries)`,
    `No-change resync:  ${again.seconds.toFixed(1)} s (${again.result.status}; records inserted, updated or deleted: ${written})`,
  ];
  for (const failure of [...full.result.failures, ...again.result.failures]) {
    lines.push(`  failed ${failure.scope}: ${failure.error instanceof Error ? failure.error.message : String(failure.error)}`);
  }
  return lines;
}

import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { SimulationRequest } from '../../src/sandbox/index.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import {
  callbackStats, dumpDiff, freePort, freshSyncDump, inboxRows, liveDump, postEvents, settled, startProxy, startServe,
  startServiceWorld, startWorker, syncFinished, syncOnce, waitUntil, type Proc, type Proxy, type ServiceWorld,
} from './helpers.ts';

/**
 * SIGKILL during a burst: the sandbox sends 1,000 events (one batch on its control endpoint) through
 * a round-robin proxy to real `serve` processes; part-way (after some hundreds acknowledged) a
 * `serve` (and on PostgreSQL a `worker`) is killed with SIGKILL and started again on the same port.
 * The sandbox retries what failed on the network (3.75 s of pauses per delivery, about a restart);
 * with one server the restart waits until some deliveries ran out of retries (with two, a retry
 * reaches the other one, and the burst goes on). Then: every event the sandbox saw acknowledged is in the inbox exactly once and applied; the
 * deliveries exhausted while the server was down are caught by the reconciliation (`sync`, as the
 * schedule runs it), after which the store equals a fresh full sync.
 * SQLite: one `serve` (it runs the jobs). PostgreSQL: two `serve` and two `worker` processes.
 */

vi.setConfig({ testTimeout: 600_000, hookTimeout: 240_000 });

const BURST = 1000;
/** Each event's payload is unique (a new name or a new id), so no two are one callback to the inbox. */
const burst = (): SimulationRequest[] => Array.from({ length: BURST }, (_, i): SimulationRequest => {
  switch (i % 5) {
    case 2: return { type: 'department.created', name: `突发部门${i}` };
    case 3: return { type: 'customer_tag.created', name: `突发标签${i}` };
    case 4: return { type: 'group.created', name: `突发群${i}` };
    default: return { type: 'member.renamed', name: `突发${i}` };
  }
});

const running: Proc[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
/** Each scenario's processes, proxy and world end with it: the next one must not share the CPU with them. */
async function stopAll(): Promise<void> {
  for (const proc of running.splice(0)) await proc.kill().catch(() => {});
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
}
afterEach(stopAll);
afterAll(stopAll);

async function scenario(dialect: 'sqlite' | 'postgres', seed: number, servers: number, workers: number): Promise<void> {
  const world: ServiceWorld = await startServiceWorld(dialect, seed, { retryDelaysMs: [250, 500, 1000, 2000] });
  cleanups.push(() => world.close());
  const ports = await Promise.all(Array.from({ length: servers }, () => freePort()));
  const serves: Proc[] = [];
  for (const [i, port] of ports.entries()) running.push(serves[i] = await startServe(world, port, `serve${i}`));
  const workerProcs: Proc[] = [];
  for (let i = 0; i < workers; i++) running.push(workerProcs[i] = await startWorker(world, `worker${i}`));
  const proxy: Proxy = await startProxy(world.sandbox, ports);
  cleanups.push(() => proxy.close());
  const logs = () => running.map((p) => `--- ${p.name} (exit ${p.child.exitCode ?? p.child.signalCode}):\n${p.out.stderr.slice(-3000)}${p.out.stdout.slice(-3000)}`).join('\n');
  const corpId = world.sandbox.corpId;
  try {
    await fetch(`${world.sandbox.url}/__sandbox/callbacks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: proxy.url }) });
    await waitUntil(() => syncFinished(world.store, corpId), 'the first sync');

    const results = await postEvents(world.sandbox, burst());
    expect(results.flatMap((r) => r.deliveries)).toHaveLength(BURST);
    await waitUntil(async () => (await callbackStats(world.sandbox)).acknowledged >= 300, 'some hundreds acknowledged');
    await serves[0]!.kill('SIGKILL');
    if (workers > 0) await workerProcs[0]!.kill('SIGKILL');
    const atKill = await callbackStats(world.sandbox);
    expect(atKill.pending, 'killed part-way').toBeGreaterThan(0);
    if (servers === 1) {
      // Down long enough that some deliveries run out of retries: those only the reconciliation brings.
      await waitUntil(async () => (await callbackStats(world.sandbox)).failed >= 2, 'deliveries exhausted while down');
    } else {
      // A retry goes to the other server (round robin): the burst goes on while one is down.
      await waitUntil(async () => (await callbackStats(world.sandbox)).acknowledged >= atKill.acknowledged + 100, 'the burst going on');
    }
    running.push(serves[0] = await startServe(world, ports[0]!, 'serve0-restarted'));
    if (workers > 0) running.push(workerProcs[0] = await startWorker(world, 'worker0-restarted'));

    await waitUntil(async () => (await callbackStats(world.sandbox)).pending === 0, 'every delivery ended');
    const stats = await callbackStats(world.sandbox);
    expect({ dropped: stats.dropped, rejected: stats.rejected, ended: stats.acknowledged + stats.failed }).toEqual({ dropped: 0, rejected: 0, ended: BURST });
    expect(stats.retried, 'the sandbox retried on network failure').toBeGreaterThan(0);
    // What the proxy saw answered 200 is what the sandbox counted acknowledged.
    expect(proxy.acknowledged).toHaveLength(stats.acknowledged);
    if (servers === 1) expect(stats.failed).toBeGreaterThanOrEqual(2);

    let rows = await inboxRows(world.store, corpId);
    await waitUntil(async () => settled(rows = await inboxRows(world.store, corpId)), 'the inbox applied', 300_000);
    const count = new Map<string, number>();
    for (const row of rows) count.set(row.payload, (count.get(row.payload) ?? 0) + 1);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(rows.length);
    expect([...count.values()].filter((n) => n !== 1), 'an event stored twice').toEqual([]);
    expect(proxy.acknowledged.filter((payload) => count.get(payload) !== 1), 'acknowledged but not in the inbox once').toEqual([]);
    expect(rows.filter((r) => r.status !== 'applied').map((r) => `${r.id} ${r.event_kind} ${r.status}`)).toEqual([]);
    // Stored but unanswered (killed in between): retried, deduplicated; exhausted while down: missing.
    expect(rows.length).toBeGreaterThanOrEqual(stats.acknowledged);
    expect(rows.length).toBeLessThanOrEqual(BURST);
    process.stdout.write(`[burst ${dialect}] acknowledged ${stats.acknowledged}, failed ${stats.failed}, retries ${stats.retried}, inbox ${rows.length}, at kill ${atKill.acknowledged}\n`);
  } catch (err) {
    throw new Error(`${String(err)}\n${logs()}`);
  }

  // The reconciliation catches what no callback brought (deliveries exhausted while a server was down).
  await syncOnce(world);
  expect(dumpDiff(await liveDump(world.store, corpId), await freshSyncDump(world))).toEqual({});
}

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`a burst of ${BURST} callbacks, a process killed part-way [${dialect}]`, () => {
    if (dialect === 'sqlite') it('serve, SIGKILLed and restarted on the same port: every acknowledged event applied once; then equal to a full sync', () => scenario('sqlite', 311, 1, 0));
    else it('2 serve + 2 worker behind a proxy, one of each SIGKILLed and restarted: the same', () => scenario('postgres', 312, 2, 2));
  });
}

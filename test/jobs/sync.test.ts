import { afterEach, expect, it, vi } from 'vitest';
import { runJobsOnce, startBackground, type Background } from '../../src/jobs/index.ts';
import { listCorps } from '../../src/services/corps.ts';
import type { Runtime } from '../../src/services/runtime.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { syncStateRepository } from '../../src/store/sync-state.repository.ts';
import { SYNC_INTERRUPTED } from '../../src/sync/interrupt.ts';
import { describeDatabases } from '../helpers/databases.ts';
import { liveCount, startTestSandbox, writeConfig } from '../sync/helpers.ts';
import { bossSchema, collectingLog, runtimeFor, tempDir, waitUntil, type LogEntry } from './helpers.ts';

/**
 * The scheduled sync: a corp never synced is due at once, runs in the background (in-process on
 * SQLite, through pg-boss on PostgreSQL) and writes the sandbox's data; runJobsOnce (`worker --once`)
 * runs what is due and nothing that is not. Stopped while a sync runs (SIGTERM to serve or worker),
 * the background ends that sync at a checkpoint, and the next start resumes it at once.
 */

vi.setConfig({ testTimeout: 180_000 });

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  cleanups = [];
});

describeDatabases('background sync', (getDatabase, dialect) => {
  async function world(options: { responseDelayMs?: number } = {}): Promise<{ sandbox: Sandbox; rt: Runtime; pgBossSchema?: string }> {
    const sandbox = await startTestSandbox({ seed: 31, limits: { responseDelayMs: options.responseDelayMs ?? 0 } });
    cleanups.push(() => sandbox.close());
    const rt = await runtimeFor(writeConfig(tempDir('wa-jobs-sync-'), sandbox, getDatabase()), { ARCHIVE_POLL_SECONDS: '0' });
    cleanups.push(() => rt.close());
    if (dialect === 'sqlite') return { sandbox, rt };
    const schema = bossSchema();
    cleanups.push(() => schema.drop());
    return { sandbox, rt, pgBossSchema: schema.name };
  }

  it('runs the sync that is due at start and writes the sandbox\'s data', async () => {
    const { sandbox, rt, pgBossSchema } = await world();
    const entries: LogEntry[] = [];
    const background: Background = await startBackground(rt, collectingLog(entries, 'a'), { pgBossSchema, queuePollMs: 200 });
    cleanups.push(() => background.stop());
    await waitUntil(() => entries.some((e) => e.message === 'sync finished'), 'the background sync');
    const [corp] = (await listCorps(rt)).corps;
    expect(corp!.lastSync).toMatchObject({ status: 'succeeded' });
    const store = await rt.store();
    expect(await liveCount(store.db, 'employees', sandbox.corpId)).toBe(sandbox.company.counts.employees);
    expect(await liveCount(store.db, 'customers', sandbox.corpId)).toBe(sandbox.company.counts.customers);
    expect(entries.filter((e) => e.level === 'error' || e.level === 'warn')).toEqual([]);
    await background.stop();
  });

  it('runJobsOnce runs the due sync once; a second run finds nothing due', async () => {
    const { sandbox, rt, pgBossSchema } = await world();
    const entries: LogEntry[] = [];
    const first = await runJobsOnce(rt, collectingLog(entries, 'once'), { pgBossSchema });
    expect(first).toEqual({ inbox: { applied: 0, failed: 0, parked: 0 }, synced: [sandbox.corpId], pulled: [] });
    expect((await listCorps(rt)).corps[0]!.lastSync).toMatchObject({ status: 'succeeded' });
    const second = await runJobsOnce(rt, collectingLog(entries, 'once'), { pgBossSchema });
    expect(second.synced).toEqual([]);
    expect(entries.filter((e) => e.message === 'sync finished')).toHaveLength(1);
  });

  it('stopped while a sync runs, ends it at a checkpoint; the next start resumes it at once', async () => {
    // A slower WeCom, so the stop lands while the sync runs.
    const { sandbox, rt, pgBossSchema } = await world({ responseDelayMs: 40 });
    const entries: LogEntry[] = [];
    const background = await startBackground(rt, collectingLog(entries, 'a'), { pgBossSchema, queuePollMs: 200 });
    cleanups.push(() => background.stop());
    const store = await rt.store();
    await waitUntil(async () => (await syncStateRepository.listCursors(store.db, sandbox.corpId)).length > 0, 'the first checkpoint');
    await background.stop();
    const stopped = entries.find((e) => e.message === 'sync stopped at a checkpoint: the next sync resumes there');
    expect(stopped?.fields).toMatchObject({ corpId: sandbox.corpId, failures: [expect.objectContaining({ code: SYNC_INTERRUPTED })] });
    expect(entries.filter((e) => e.level === 'error' || e.level === 'warn')).toEqual([]);
    const [run] = await syncStateRepository.listRuns(store.db, sandbox.corpId, { limit: 1 });
    expect(run!.errors.map((e) => e.code)).toContain(SYNC_INTERRUPTED);

    // Not due by the interval (it started a moment ago), but interrupted: resumed at the next start.
    const next = await runJobsOnce(rt, collectingLog(entries, 'once'), { pgBossSchema });
    expect(next.synced).toEqual([sandbox.corpId]);
    expect((await listCorps(rt)).corps[0]!.lastSync).toMatchObject({ status: 'succeeded' });
    expect(await syncStateRepository.listCursors(store.db, sandbox.corpId)).toEqual([]);
    expect(await liveCount(store.db, 'customers', sandbox.corpId)).toBe(sandbox.company.counts.customers);
  });
});

import { afterEach, expect, it, vi } from 'vitest';
import { runJobsOnce, startBackground, type Background } from '../../src/jobs/index.ts';
import { listCorps } from '../../src/services/corps.ts';
import type { Runtime } from '../../src/services/runtime.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { describeDatabases } from '../helpers/databases.ts';
import { liveCount, startTestSandbox, writeConfig } from '../sync/helpers.ts';
import { bossSchema, collectingLog, runtimeFor, tempDir, waitUntil, type LogEntry } from './helpers.ts';

/**
 * The scheduled sync: a corp never synced is due at once, runs in the background (in-process on
 * SQLite, through pg-boss on PostgreSQL) and writes the sandbox's data; runJobsOnce (`worker --once`)
 * runs what is due and nothing that is not.
 */

vi.setConfig({ testTimeout: 180_000 });

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  cleanups = [];
});

describeDatabases('background sync', (getDatabase, dialect) => {
  async function world(): Promise<{ sandbox: Sandbox; rt: Runtime; pgBossSchema?: string }> {
    const sandbox = await startTestSandbox({ seed: 31 });
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
});

import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDeployment } from '../../src/config/deployment.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { runtimeOf, type Runtime } from '../../src/services/runtime.ts';
import { dueSyncs, syncCorps } from '../../src/services/sync.ts';
import { openStore } from '../../src/store/open.ts';
import { syncStateRepository } from '../../src/store/sync-state.repository.ts';
import { interruptibleFetch, interruptibleSleep, SYNC_INTERRUPTED, SyncInterrupted } from '../../src/sync/interrupt.ts';
import type { SyncProgress } from '../../src/sync/progress.ts';
import { BIN, cleanEnv } from '../helpers/cli.ts';
import { createTestDatabase, describeDatabases } from '../helpers/databases.ts';
import { canonicalDump, startTestSandbox, syncWith, writeConfig } from './helpers.ts';

/**
 * A sync asked to stop (SIGTERM to serve or worker, Ctrl+C on `sync`) stops at its next page with
 * everything written kept, its leases released and its run recorded as interrupted; the next sync
 * resumes it and ends with exactly the data of an uninterrupted one.
 */

const ROWS_PER_COMMIT = 40;

let sandbox: Sandbox | undefined;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  await sandbox?.close();
  runtime = sandbox = undefined;
});

/** Progress that aborts `controller` at the n-th step the sync reports (a page, a batch of customers). */
function abortAtStep(controller: AbortController, n: number): SyncProgress {
  let steps = 0;
  return { expect: () => {}, advance: () => { if (++steps === n) controller.abort(); }, done: () => {} };
}

describeDatabases('a sync stopped on request', (getDatabase, dialect) => {
  it('keeps its pages, releases its leases, is due again, and the next sync resumes to a full sync\'s data', async () => {
    sandbox = await startTestSandbox();
    const { corpId } = sandbox;
    const reference = await createTestDatabase(dialect);
    let expected: Record<string, string[]>;
    try {
      const store = await openStore({ dataDir: reference.dataDir, databaseUrl: reference.databaseUrl });
      try {
        expect((await syncWith(store, sandbox)).status).toBe('succeeded');
        expected = await canonicalDump(store.db, corpId);
      } finally {
        await store.close();
      }
    } finally {
      await reference.drop();
    }

    const database = getDatabase();
    const deployment = await loadDeployment({ configPaths: [writeConfig(database.dataDir, sandbox, database)], env: {}, strict: false });
    runtime = runtimeOf(deployment);
    const controller = new AbortController();
    const stopped = await syncCorps(runtime, { rowsPerCommit: ROWS_PER_COMMIT, signal: controller.signal }, { progress: () => abortAtStep(controller, 3) });
    expect(stopped.ok).toBe(false);
    const [corp] = stopped.corps;
    expect(corp!.failures.map((f) => f.code)).toContain(SYNC_INTERRUPTED);
    expect(corp!.failures.map((f) => f.code).every((code) => code === SYNC_INTERRUPTED)).toBe(true);
    const { db } = await runtime.store();
    expect(await syncStateRepository.listCursors(db, corpId)).not.toEqual([]);
    const [run] = await syncStateRepository.listRuns(db, corpId, { limit: 1 });
    expect(run!.status).not.toBe('running');
    expect(run!.errors.map((e) => e.code)).toContain(SYNC_INTERRUPTED);
    // An interrupted sync is due at once, whatever the interval.
    expect(await dueSyncs(runtime, 6)).toEqual([corpId]);

    // The leases were released: the next run is not refused as busy, and resumes.
    const resumed = await syncCorps(runtime, { rowsPerCommit: ROWS_PER_COMMIT });
    expect(resumed.corps[0]!.failures).toEqual([]);
    expect(resumed.ok).toBe(true);
    expect(resumed.corps[0]!.run.resumed.length).toBeGreaterThan(0);
    expect(await canonicalDump(db, corpId)).toEqual(expected!);
    expect(await syncStateRepository.listCursors(db, corpId)).toEqual([]);
    expect(await dueSyncs(runtime, 6)).toEqual([]);
  }, 120_000);

  it('`sync` stops at the next page on Ctrl+C: exit 130, said as interrupted, and `sync` again completes', async () => {
    // A slower WeCom, so the signal lands while the sync runs.
    sandbox = await startTestSandbox({ limits: { responseDelayMs: 40 } });
    const database = getDatabase();
    const config = writeConfig(database.dataDir, sandbox, database);
    const child = spawn(process.execPath, [BIN, 'sync', '--config', config, '--rows-per-commit', String(ROWS_PER_COMMIT)], { env: { ...cleanEnv(), WECOM_ARCHIVE_LANG: 'en' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.stderr.once('data', () => child.kill('SIGINT'));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stdout, stderr }).toMatchObject({ code: 130 });
    expect(stderr).toContain('Stop requested: finishing the current page');
    expect(stdout).toContain('Sync interrupted');
    expect(stdout).toContain('run sync again to resume');
    expect(stderr).not.toMatch(/at .+\.(ts|js):\d+/);

    const again = spawn(process.execPath, [BIN, 'sync', '--json', '--config', config], { env: cleanEnv() });
    let json = '';
    again.stdout.on('data', (chunk) => { json += chunk; });
    expect(await new Promise<number | null>((resolve) => again.on('close', resolve))).toBe(0);
    const report = JSON.parse(json) as { ok: boolean; corps: Array<{ run: { resumed: string[] } }> };
    expect(report.ok).toBe(true);
    expect(report.corps[0]!.run.resumed.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('interruptible waits and requests', () => {
  it('a rate-limit wait ends with SyncInterrupted when the sync is stopped', async () => {
    const controller = new AbortController();
    const waiting = interruptibleSleep(controller.signal)(3_600_000);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(SyncInterrupted);
    await expect(interruptibleSleep(controller.signal)(1)).rejects.toBeInstanceOf(SyncInterrupted);
    await expect(interruptibleSleep(new AbortController().signal)(1)).resolves.toBeUndefined();
  });

  it('many waits at once on one stop signal print no "possible memory leak" warning (worker logs JSON on stderr)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const sleep = interruptibleSleep(new AbortController().signal);
      await Promise.all(Array.from({ length: 30 }, () => sleep(5)));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('a request in flight is aborted with the sync, and still by its own time-out signal', async () => {
    const hanging = interruptibleFetch(async (_url, init) => {
      await new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
      throw new Error('unreachable');
    }, new AbortController().signal);
    const sync = new AbortController();
    const stoppedBySync = interruptibleFetch(async (url, init) => hanging(url, init), sync.signal)('http://127.0.0.1/cgi-bin/user/list', { method: 'GET', headers: {} });
    sync.abort();
    await expect(stoppedBySync).rejects.toThrow('aborted');
    const own = new AbortController();
    const timedOut = interruptibleFetch(hanging, new AbortController().signal)('http://127.0.0.1/cgi-bin/user/list', { method: 'GET', headers: {}, signal: own.signal });
    own.abort();
    await expect(timedOut).rejects.toThrow('aborted');
  });
});

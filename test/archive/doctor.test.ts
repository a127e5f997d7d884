import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { archiveDoctorChecks } from '../../src/archive/doctor-checks.ts';
import { pullArchive } from '../../src/archive/ingest/puller.ts';
import { openArchiveSession } from '../../src/archive/ingest/session.ts';
import { archiveStatus, RETENTION_MS } from '../../src/archive/status/status.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/types.ts';
import { openStore } from '../../src/store/open.ts';
import type { CheckResult } from '../../src/doctor/report.ts';
import { reportText } from '../../src/doctor/report.ts';
import { runCli } from '../helpers/cli.ts';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';
import { archiveCli, configWithout, dbEnv, openDatabase, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// doctor's archive checks against the sandbox: the SDK loads and pulls, every key opens messages of
// its version (a key of the wrong pair fails with a fix), missing keys and a lagging archive warn.

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const DAY = 86_400_000;
let world: ArchiveWorld;
let sandboxNow: number;
beforeAll(async () => {
  world = await startArchiveWorld({ messages: 1500 });
  sandboxNow = world.sandbox.clock.now().getTime();
});
afterAll(() => world?.close());

async function configOf(database: TestDatabase, file = world.configFile, env: Record<string, string> = {}): Promise<Config> {
  return loadConfig({ configFile: file, env: dbEnv(database, env), strict: false });
}

/** A pull in this process on the sandbox's clock, so lag figures and message times agree. */
async function pullAt(config: Config): Promise<void> {
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const session = await openArchiveSession(config, store, { hosts: 1 });
  try {
    expect((await pullArchive(session, { now: () => sandboxNow })).caughtUp).toBe(true);
  } finally {
    await session.close();
    await store.close();
  }
}

async function doctor(config: Config, now = sandboxNow) {
  const checks = await archiveDoctorChecks({ now: () => now })(config);
  const byId = (id: string) => checks.find((c) => c.id === id) as CheckResult;
  const text = reportText({ ok: true, checks, advice: [] }, 'en');
  return { checks, byId, text };
}

describeDatabases('archive doctor checks', (getDatabase) => {
  it('passes a working set-up, warns as the lag nears the 5-day window, fails beyond it', async () => {
    const database = getDatabase();
    const config = await configOf(database);
    const before = await doctor(config);
    expect(before.byId('archive.lag').status).toBe('skip');
    await pullAt(config);

    const { checks, byId } = await doctor(config);
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(checks.map((c) => c.id)).toEqual(['archive.sdk', 'archive.sdk_pull', 'archive.key.1', 'archive.key.2', 'archive.lag']);
    expect(byId('archive.key.2').vars).toMatchObject({ version: 2 });

    const store = await openDatabase(database);
    try {
      const status = await archiveStatus(store.db, world.sandbox.corpId, sandboxNow);
      expect(status.lagMs).toBe(sandboxNow - status.newestMsgtime!);
      expect(status.expiresInMs).toBe(RETENTION_MS);
    } finally {
      await store.close();
    }
    const near = await doctor(config, sandboxNow + 4 * DAY);
    expect(near.byId('archive.lag').status).toBe('warn');
    expect(near.text).toMatch(/start expiring in 1d/);
    const lost = await doctor(config, sandboxNow + 6 * DAY);
    expect(lost.byId('archive.lag')).toMatchObject({ status: 'fail' });
    expect(lost.text).toMatch(/may already be lost/);
  });

  it('fails a key that does not open its version, and warns about a version without a key', async () => {
    const database = getDatabase();
    const keyOf = (version: number) => (world.configFile.replace(/wecom\.env$/, `sandbox-archive-${world.sandbox.corpId}-key-v${version}.pem`));
    await pullAt(await configOf(database, configWithout(world.configFile, ['ARCHIVE_PRIVATE_KEY_1'])));

    const swapped = await doctor(await configOf(database, configWithout(world.configFile, ['ARCHIVE_PRIVATE_KEY_1']), { ARCHIVE_PRIVATE_KEY_2: keyOf(1) }));
    expect(swapped.byId('archive.key.2')).toMatchObject({ status: 'fail' });
    expect(swapped.text).toMatch(/not the private key of that public key/);
    expect(swapped.text).toMatch(/Point ARCHIVE_PRIVATE_KEY_2 at the private key/);
    expect(swapped.byId('archive.key.1')).toMatchObject({ status: 'warn' });
    expect(swapped.text).toMatch(/Add ARCHIVE_PRIVATE_KEY_1=/);
    expect(swapped.text).not.toMatch(/BEGIN .*PRIVATE KEY/);

    const garbage = join(database.dataDir, 'not-a-key.pem');
    writeFileSync(garbage, 'hello', { mode: 0o600 });
    const unreadable = await doctor(await configOf(database, world.configFile, { ARCHIVE_PRIVATE_KEY_1: garbage }));
    expect(unreadable.byId('archive.key.1')).toMatchObject({ status: 'fail' });
    expect(unreadable.byId('archive.key.2')).toMatchObject({ status: 'pass' });
  });

  it('fails without a loadable Finance SDK, and the CLI doctor runs these checks', async () => {
    const database = getDatabase();
    const missing = await doctor(await configOf(database, configWithout(world.configFile, ['FINANCE_SDK_PATH'])));
    expect(missing.byId('archive.sdk')).toMatchObject({ status: 'fail' });
    expect(missing.text).toMatch(/FINANCE_SDK_PATH not set/);
    const wrong = await doctor(await configOf(database, world.configFile, { FINANCE_SDK_PATH: join(database.dataDir, 'nope.so') }));
    expect(wrong.byId('archive.sdk')).toMatchObject({ status: 'fail' });
    expect(wrong.text).toMatch(/not found/);
    expect(wrong.byId('archive.key.1').status).toBe('skip');

    const cli = await archiveCli(database, world.configFile, ['--help']);
    expect(cli.stdout).toMatch(/pull.*\n(.*\n)*.*watch/);
    const run = await archiveCliDoctor(database);
    expect(run.checks.find((c: { id: string }) => c.id === 'archive.sdk')).toMatchObject({ status: 'pass' });
  });
});

async function archiveCliDoctor(database: TestDatabase) {
  const run = await runCli(['doctor', '--json', '--lang', 'en', '--config', world.configFile], { env: dbEnv(database) });
  return JSON.parse(run.stdout) as { checks: Array<{ id: string; status: string }> };
}

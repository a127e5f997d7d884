import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { BIN, cleanEnv } from '../helpers/cli.ts';
import { describeDatabases } from '../helpers/databases.ts';
import { archiveCli, dbEnv, dumpOf, SANDBOX_NOW, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// `archive watch`: pulls, waits, pulls again what arrived meanwhile (the sandbox clock moves on), and
// stops cleanly on SIGINT / SIGTERM with exit code 0 and a summary.

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
beforeAll(async () => { world = await startArchiveWorld({ messages: 1500 }); });
beforeEach(() => world.sandbox.clock.set(new Date(SANDBOX_NOW)));
afterAll(() => world?.close());

describeDatabases('archive watch', (getDatabase, dialect) => {
  it('keeps pulling on its interval and stops cleanly on a signal', async () => {
    const database = getDatabase();
    const before = world.archive.instance!.archive.window();
    const child = spawn(process.execPath, [BIN, '--json', '--lang', 'en', 'archive', 'watch', '--interval', '1', '--config', world.configFile], {
      env: { ...cleanEnv(), ...dbEnv(database) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = async (pattern: RegExp) => {
      while (!pattern.test(stderr)) {
        if (child.exitCode !== null) throw new Error(`watch exited early: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    await waitFor(/pull done: [1-9]\d* new/);
    // Two hours pass at WeCom: new messages arrive; the next cycle picks them up.
    world.sandbox.clock.advance(2 * 3_600_000);
    const after = world.archive.instance!.archive.window();
    expect(after.last).toBeGreaterThan(before.last);
    await waitFor(/pull done: [1-9]\d* new[^\n]*\n(.*\n)*.*pull done: [1-9]\d* new/);
    child.kill(dialect === 'sqlite' ? 'SIGINT' : 'SIGTERM');
    expect(await exited, stderr).toBe(0);

    const report = JSON.parse(stdout) as { ok: boolean; corps: Array<{ corpId: string; ok: boolean; cycles: number; stored: number; mediaDownloaded: number }> };
    const total = after.last - before.first + 1;
    expect(report.ok).toBe(true);
    const [summary] = report.corps;
    expect(summary).toMatchObject({ corpId: world.sandbox.corpId, ok: true, stored: total, failedCycles: 0 });
    // Each cycle also fetched the media of what it pulled: they expire with their messages.
    expect(summary!.mediaDownloaded).toBeGreaterThan(0);
    expect(summary!.cycles).toBeGreaterThanOrEqual(2);
    const dump = await dumpOf(database, world.sandbox.corpId);
    expect(dump.messages.length).toBe(total);
    expect(dump.cursor).toBe(String(after.last + 1));
    expect((await archiveCli(database, world.configFile, ['verify'])).code).toBe(0);
  });

  it('a second watcher stands by while the first holds the lease, and takes over when it stops', async () => {
    const database = getDatabase();
    const watch = () => {
      const child = spawn(process.execPath, [BIN, '--lang', 'en', 'archive', 'watch', '--interval', '1', '--no-media', '--config', world.configFile], {
        env: { ...cleanEnv(), ...dbEnv(database) }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      const out = { stderr: '', exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))) };
      child.stderr.on('data', (chunk) => { out.stderr += chunk; });
      return { child, out };
    };
    const waitFor = async (out: { stderr: string }, pattern: RegExp) => {
      while (!pattern.test(out.stderr)) await new Promise((resolve) => setTimeout(resolve, 100));
    };
    const first = watch();
    await waitFor(first.out, /pull done/);
    const second = watch();
    await waitFor(second.out, /standing by/);
    expect(second.out.stderr).not.toMatch(/pull done/);
    first.child.kill('SIGTERM');
    expect(await first.out.exited).toBe(0);
    await waitFor(second.out, /pull done/);
    second.child.kill('SIGTERM');
    expect(await second.out.exited).toBe(0);
    expect((await archiveCli(database, world.configFile, ['verify'])).code).toBe(0);
  });
});

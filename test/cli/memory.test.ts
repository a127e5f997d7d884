import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * What keeps the CLI small (measured with `npm run bench:archive`): the command tree is built without
 * the store, the SDK pool or the HTTP client (each command imports them when it runs), and the
 * ingest commands start with a small young generation (src/cli/heap.ts).
 */

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/wecom-archive');
const HEAVY = /node_modules\/(better-sqlite3|pg|koffi|undici|redis|@redis)\//;
const run = promisify(execFile);

/** The CommonJS packages loaded (require.cache) after importing `modules` in a fresh process. */
async function heavyPackagesAfter(modules: string[]): Promise<string[]> {
  const urls = modules.map((m) => new URL(`../../src/${m}`, import.meta.url).href);
  const script = `
    import { createRequire } from 'node:module';
    const [program] = await Promise.all(${JSON.stringify(urls)}.map((url) => import(url)));
    program.buildProgram('en');
    console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
  return (JSON.parse(stdout) as string[]).filter((file) => HEAVY.test(file));
}

/** The young generation's size (MB) when `wecom-archive <args>` exits. */
async function youngGenerationAtExit(args: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'wa-heap-probe-'));
  const probe = join(dir, 'probe.mjs');
  writeFileSync(probe, `import v8 from 'node:v8';
process.on('exit', () => process.stderr.write('NEW_SPACE ' + v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size + '\\n'));`);
  const { stderr } = await run(process.execPath, ['--import', probe, BIN, ...args], { cwd: ROOT })
    .catch((err: { stderr: string }) => err).finally(() => rmSync(dir, { recursive: true, force: true }));
  return Number(/NEW_SPACE (\d+)/.exec(stderr)![1]) / 1024 / 1024;
}

describe('CLI memory', () => {
  it('builds the command tree without loading the store, the SDK or the HTTP client', async () => {
    expect(await heavyPackagesAfter(['cli/program.ts'])).toEqual([]);
  });

  it('would notice one (the check itself works)', async () => {
    expect(await heavyPackagesAfter(['cli/program.ts', 'store/open.ts'])).not.toEqual([]);
  });

  it('starts archive pull with a small young generation (V8 grows it to 32 MB by default)', async () => {
    const noConfig = join(tmpdir(), 'wa-no-such-config.env');
    // Its initial size, never grown (measured: 4 MB; the same start grows to 8-16 MB without the flags).
    expect(await youngGenerationAtExit(['--lang', 'en', 'archive', 'pull', '--config', noConfig])).toBeLessThanOrEqual(4);
    // The control: another command keeps V8's defaults, and the probe sees the difference.
    expect(await youngGenerationAtExit(['--lang', 'en', 'archive', 'status', '--config', noConfig])).toBeGreaterThan(4);
  });
});

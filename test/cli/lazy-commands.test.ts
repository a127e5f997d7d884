import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Every invocation builds the whole command tree (for parsing and --help), so the command files
 * register options only and import the store, the SDK pool and the HTTP client when their action
 * runs: `archive pull` must not carry every other command's dependencies (measured: ~70 MB).
 */

const HEAVY = /node_modules\/(better-sqlite3|pg|koffi|undici|redis|@redis)\//;

/** The CommonJS packages loaded (require.cache) after importing `modules` in a fresh process. */
async function loadedPackages(modules: string[], build: boolean): Promise<string[]> {
  const urls = modules.map((m) => new URL(`../../src/${m}`, import.meta.url).href);
  const script = `
    import { createRequire } from 'node:module';
    const loaded = await Promise.all(${JSON.stringify(urls)}.map((url) => import(url)));
    if (${build}) loaded[0].buildProgram('en');
    console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url).pathname });
  return (JSON.parse(stdout) as string[]).filter((file) => HEAVY.test(file));
}

describe('CLI command tree', () => {
  it('loads no store, SDK or HTTP client module when it is built', async () => {
    expect(await loadedPackages(['cli/program.ts'], true)).toEqual([]);
  });

  it('would notice one (the check itself works)', async () => {
    expect(await loadedPackages(['cli/program.ts', 'store/open.ts'], true)).not.toEqual([]);
  });
});

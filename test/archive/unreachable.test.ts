import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { describeDatabases } from '../helpers/databases.ts';
import { configWithout, dbEnv, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// WeCom unreachable (here: the sandbox's address with nothing listening): `sync`, `call` and
// `archive pull` fail alike, exit 2, and say so once, naming the URL and how to start the sandbox.

// Real CLI processes that wait out their retries; the bound is a safety net, not a timing claim.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
let configFile: string;
let base: string;
beforeAll(async () => {
  world = await startArchiveWorld({ messages: 50 });
  const port = await closedPort();
  base = `http://127.0.0.1:${port}`;
  configFile = configWithout(world.configFile, ['WECOM_API_BASE']);
  writeFileSync(configFile, `${readFileSync(configFile, 'utf8')}\nWECOM_API_BASE=${base}\n`, { mode: 0o600 });
});
afterAll(() => world?.close());

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describeDatabases('WeCom unreachable', (getDatabase) => {
  it('sync, call and archive pull exit 2 and say it once, naming the URL and the sandbox', async () => {
    const env = dbEnv(getDatabase());
    const run = (...args: string[]) => runCli(['--lang', 'en', ...args, '--config', configFile], { env });
    const [sync, call, pull] = await Promise.all([run('sync'), run('call', 'user/list_id'), run('archive', 'pull', '--no-media')]);
    for (const [name, result] of Object.entries({ sync, call, pull })) {
      expect({ name, code: result.code }, result.stderr).toEqual({ name, code: 2 });
      expect(occurrences(result.stderr, '✖'), `${name}: ${result.stderr}`).toBe(1);
      expect(result.stderr, name).toContain(base);
      expect(result.stderr, name).toMatch(/wecom-archive sandbox [^\n]*--port \d+/);
    }
    // The pull gave up: it must not promise a retry it will not make.
    expect(pull.stderr).not.toMatch(/retried automatically/i);
    expect(pull.stderr).toContain('tried 4 times');
  });
});

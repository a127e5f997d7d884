import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, describeStores } from '../helpers/databases.ts';
import { startTestSandbox, writeConfig } from './helpers.ts';

/** `sync` over a deployment of two corps: both synced into one store, one entry each; `--corp` narrows. */

let sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  sandboxes = [];
});

describeStores('sync of several corps', (_getStore, dialect) => {
  it('syncs every configured corp, reports each, and --corp syncs one', async () => {
    sandboxes = [await startTestSandbox({ seed: 11 }), await startTestSandbox({ seed: 12 })];
    const database = await createTestDatabase(dialect);
    try {
      const folder = mkdtempSync(join(tmpdir(), 'wa-sync-corps-'));
      sandboxes.forEach((sandbox, i) => {
        const dir = mkdtempSync(join(tmpdir(), 'wa-sync-corp-'));
        copyFileSync(writeConfig(dir, sandbox, database), join(folder, `corp-${i}.env`));
      });
      const cli = async (...args: string[]) => {
        const run = await runCli(['--json', '--lang', 'en', ...args, '--config', folder]);
        expect(run.code, run.stderr).toBe(0);
        return JSON.parse(run.stdout);
      };
      const byId = new Map(sandboxes.map((s) => [s.corpId, s]));
      const ids = [...byId.keys()].sort();

      const all = await cli('sync');
      expect(all.ok).toBe(true);
      expect(all.corps.map((c: any) => c.corpId)).toEqual(ids);
      for (const corp of all.corps) {
        expect(corp).toMatchObject({ ok: true, run: { status: 'succeeded' }, failures: [] });
        expect(corp.entities.customers.inserted).toBe(byId.get(corp.corpId)!.company.counts.customers);
      }

      const listed = await cli('corps');
      expect(listed.corps.map((c: any) => [c.corpId, c.lastSync?.status])).toEqual(ids.map((id) => [id, 'succeeded']));

      const one = await cli('--corp', ids[1]!, 'sync', 'directory');
      expect(one.corps).toEqual([expect.objectContaining({ corpId: ids[1], ok: true, run: expect.objectContaining({ scopes: ['directory'] }) })]);
      expect(one.corps[0].entities.employees).toMatchObject({ inserted: 0, unchanged: byId.get(ids[1]!)!.company.counts.employees });
    } finally {
      await database.drop();
    }
  }, 240_000);
});

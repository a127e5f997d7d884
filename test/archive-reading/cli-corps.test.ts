import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { displayWidth } from '../../src/cli/output.ts';
import { openStore } from '../../src/store/open.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, DIALECTS, skipDialect, type TestDatabase } from '../helpers/databases.ts';
import { at, ingest, seedArchive, SINGLE } from './seed.ts';

/**
 * The reading commands with two corps in one deployment (a folder of two config files, one store),
 * as a user runs them: a corp column only when both are in scope, --corp narrowing, an id both corps
 * have answered with a question; and a fresh DATA_DIR saying it holds nothing yet.
 */

// Each command is a child process (node + tsx): seconds apiece on a busy machine, not a timing check.
vi.setConfig({ testTimeout: 120_000 });

const CORPS = ['ww00000000000000a1', 'ww00000000000000b2'] as const;
const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`reading commands over two corps [${dialect}]`, () => {
    let database: TestDatabase;
    let folder: string;
    const cli = (...args: string[]) => runCli(['--config', folder, ...args]);

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
      try {
        for (const corpId of CORPS) await seedArchive(store.db, corpId);
        await ingest(store.db, CORPS[1], [{ msgid: 'x1', action: 'send', from: 'zhaoliu', tolist: ['wmCust9'], roomid: '', msgtime: at('2026-11-22 09:00:00'), msgtype: 'text', text: { content: '只在第二个企业的续签条款' } }]);
      } finally {
        await store.close();
      }
      folder = join(database.dataDir, 'corps');
      mkdirSync(folder);
      for (const corpId of CORPS) {
        const lines = [`CORP_ID=${corpId}`, `DATA_DIR=${database.dataDir}`, ...(database.databaseUrl ? [`DATABASE_URL=${database.databaseUrl}`] : [])];
        writeFileSync(join(folder, `${corpId}.env`), `${lines.join('\n')}\n`, { mode: 0o600 });
      }
    });
    afterAll(async () => { await database?.drop(); });

    it('lists and searches both corps with a corp column, and narrows to one with --corp', async () => {
      const [both, one, hits, json] = await Promise.all([
        cli('conversations'), cli('--corp', CORPS[1], 'conversations'), cli('search', '合同'), cli('--json', 'search', '合同'),
      ]);
      expect(both.code).toBe(0);
      expect(both.stdout).toContain('企业');
      for (const corpId of CORPS) expect(both.stdout).toContain(corpId);
      expect(both.stderr).toContain('共 9 个会话');
      expect(widest(both.stdout)).toBeLessThanOrEqual(120);
      expect(one.stdout).not.toContain('企业');
      expect(one.stderr).toContain('共 5 个会话');
      expect(hits.stdout).toContain(CORPS[0]);
      expect(widest(hits.stdout)).toBeLessThanOrEqual(120);
      const body = JSON.parse(json.stdout);
      expect(body).toMatchObject({ ok: true, truncated: false });
      expect(body.hits.map((h: { corpId: string }) => h.corpId).sort()).toEqual([...CORPS, ...CORPS, ...CORPS].sort());
    });

    it('asks for --corp when both corps have the conversation, and finds one only a corp has', async () => {
      const [shared, chosen, only] = await Promise.all([
        cli('--lang', 'en', 'conversation', SINGLE), cli('--corp', CORPS[0], 'conversation', SINGLE), cli('conversation', 'wmCust9|zhaoliu'),
      ]);
      expect(shared.code).toBe(2);
      expect(shared.stderr).toContain(`Conversation ${SINGLE} exists in 2 corps: ${CORPS.join(', ')}`);
      expect(shared.stderr).toContain('--corp');
      expect(chosen.code).toBe(0);
      expect(chosen.stdout).toContain(`会话：张三 ↔ 客户陈先生（${SINGLE}）`);
      expect(only.code).toBe(0);
      expect(only.stdout).toContain(`（wmCust9|zhaoliu，企业 ${CORPS[1]}）`);
    });

    it.runIf(dialect === 'sqlite')('says a fresh DATA_DIR holds no database yet instead of showing an empty table', async () => {
      const fresh = join(database.dataDir, 'fresh');
      mkdirSync(fresh);
      const config = join(fresh, 'wecom.env');
      writeFileSync(config, `CORP_ID=${CORPS[0]}\nDATA_DIR=${join(fresh, 'data')}\n`, { mode: 0o600 });
      for (const args of [['conversations'], ['search', '合同'], ['conversation', SINGLE]]) {
        const run = await runCli(['--config', config, '--json', ...args]);
        expect(run.code, args.join(' ')).toBe(2);
        expect(JSON.parse(run.stdout).error.code).toBe('store_empty');
      }
    });
  });
}

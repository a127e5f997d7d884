import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { displayWidth } from '../../src/cli/output.ts';
import { openStore } from '../../src/store/open.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, DIALECTS, skipDialect, type TestDatabase } from '../helpers/databases.ts';
import { at, ingest, OTHER_SINGLE, seedArchive, SINGLE } from './seed.ts';

/**
 * The reading commands as a user runs them: a child process whose TZ is New York, on a store seeded
 * through the ingest; every time printed must still be China time.
 */

// Each command is a child process (node + tsx): seconds apiece on a busy machine, not a timing check.
vi.setConfig({ testTimeout: 120_000 });

const CORP = 'ww0123456789abcdef';

/** A long Chinese message (no 合同 in it: the seed's searches for 合同 stay as they are). */
const LONG = `关于下个季度的续约安排，我们建议把续签条款放在第三页，并且补充违约责任、付款节点和验收标准，另外附件里的报价单也需要同步更新，请在周五之前确认${'，谢谢配合'.repeat(6)}`;
const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`search, conversations, conversation [${dialect}]`, () => {
    let database: TestDatabase;
    let config: string;
    const cli = (...args: string[]) => runCli(['--config', config, ...args], { env: { TZ: 'America/New_York' } });

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
      try {
        await seedArchive(store.db, CORP);
        await ingest(store.db, CORP, [{ msgid: 'L1', action: 'send', from: 'lisi', tolist: ['wmCust2'], roomid: '', msgtime: at('2026-11-21 09:00:00'), msgtype: 'text', text: { content: LONG } }]);
      } finally {
        await store.close();
      }
      config = join(database.dataDir, 'wecom.env');
      const lines = [`CORP_ID=${CORP}`, `DATA_DIR=${database.dataDir}`, ...(database.databaseUrl ? [`DATABASE_URL=${database.databaseUrl}`] : [])];
      writeFileSync(config, `${lines.join('\n')}\n`, { mode: 0o600 });
    });
    afterAll(async () => { await database?.drop(); });

    it('conversation: one line per message in Asia/Shanghai, recalls marked, under another TZ', async () => {
      const zh = await cli('conversation', SINGLE);
      expect(zh.stderr).toBe('');
      expect(zh.code).toBe(0);
      expect(zh.stdout).toContain('2026-11-20 14:03:05 张三 → 客户陈先生: 您好，关于合同条款我们明天再确认\n');
      expect(zh.stdout).toContain('2026-11-20 14:03:40 客户陈先生 → 张三: [图片 12 KB，待下载] 「已撤回 2026-11-20 14:04:10」\n');
      expect(zh.stdout).toContain('2026-11-20 14:04:10 客户陈先生 撤回了一条消息（14:03:40 的消息）\n');
      expect(zh.stdout).toContain('    └ 2026-11-19 09:00:00 内部讨论的折扣方案\n');

      const json = await cli('--json', '--lang', 'en', 'conversation', SINGLE, '--from', '2026-11-20 14:03:30', '--limit', '2');
      const body = JSON.parse(json.stdout);
      expect(body.conversation).toMatchObject({ id: SINGLE, kind: 'single', title: '张三 ↔ 陈先生 (customer)' });
      expect(body.messages.map((m: { msgid: string }) => m.msgid)).toEqual(['m2', 'm3']);
      expect(body.messages[0]).toMatchObject({
        timeText: '2026-11-20 14:03:40', sender: { id: 'wmCust1', kind: 'customer', name: '陈先生', label: '陈先生 (customer)' },
        recalled: { msgid: 'm3' }, lines: ['2026-11-20 14:03:40 陈先生 (customer) → 张三: [Image 12 KB, pending] (recalled 2026-11-20 14:04:10)'],
      });
    });

    it('search and conversations: hits with time, conversation, sender and snippet; names and last times', async () => {
      const found = await cli('--lang', 'en', 'search', '折扣方案', '--employee', '张三', '--from', '2026-11-20', '--to', '2026-11-20');
      expect(found.code).toBe(0);
      expect(found.stdout).toContain('2026-11-20 14:06:00');
      expect(found.stdout).toContain('张三 ↔ 陈先生 (customer)');
      expect(found.stdout).toContain('【折扣方案】');
      expect(found.stderr).toContain('1 hit(s)');

      const json = JSON.parse((await cli('--json', 'search', '合同', '--customer', '刘女士')).stdout);
      expect(json).toMatchObject({ ok: true, indexed: false, hits: [{ msgid: 's1', timeText: '2026-11-21 11:00:00', sender: { label: '李四' } }] });

      const list = JSON.parse((await cli('--json', 'conversations', '--customer', 'wmCust1', '--type', 'single')).stdout);
      expect(list.conversations).toEqual([expect.objectContaining({ id: SINGLE, title: '张三 ↔ 客户陈先生', lastTime: '2026-11-20 14:07:00' })]);
    });

    it('fits the search table in 120 columns, a long Chinese snippet wrapped and whole', async () => {
      const found = await cli('search', '续签条款');
      expect(found.code).toBe(0);
      expect(widest(found.stdout)).toBeLessThanOrEqual(120);
      expect(found.stdout).toContain('【续签条款】');
      expect(found.stdout.split('\n').filter((line) => line.includes('│')).length).toBeGreaterThan(3);
      expect(found.stderr).toContain('共 1 条结果');
    });

    it('announces a cut list of conversations with their total', async () => {
      const [list, json, all] = await Promise.all([
        cli('conversations', '--limit', '2'), cli('--json', 'conversations', '--limit', '2'), cli('conversations'),
      ]);
      expect(list.code).toBe(0);
      expect(list.stderr).toContain('显示前 2 个，共 4 个，用 --limit 查看更多');
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, truncated: true, total: 4 });
      expect(all.stderr).toContain('共 4 个会话');
    });

    it('announces a cut conversation page with the option that shows the rest', async () => {
      const [page, next, whole, json] = await Promise.all([
        cli('conversation', SINGLE, '--limit', '2'),
        cli('--lang', 'en', 'conversation', OTHER_SINGLE, '--from', '2026-11-21', '--limit', '1'),
        cli('conversation', SINGLE),
        cli('--json', 'conversation', SINGLE, '--limit', '2'),
      ]);
      expect(page.stdout).toContain('2026-11-20 14:06:00 张三 → 客户陈先生: [聊天记录]');
      expect(page.stdout).not.toContain('14:05:00');
      expect(page.stderr).toContain('显示最近 2 条，共 6 条；更早的消息：加 --to "2026-11-20 14:06:00"');
      expect(next.stderr).toContain('Showing the first 1 of 2; for later messages use --from "2026-11-21 09:00:00"');
      expect(whole.stderr).toBe('');
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, truncated: true, total: 6, direction: 'earlier' });
    });

    it.runIf(dialect === 'sqlite')('explains bad input instead of failing', async () => {
      const [badType, badKind, ...blanks] = await Promise.all([
        cli('search', '合同', '--type', 'letter'), cli('--json', 'conversations', '--type', 'room'), cli('search', ''), cli('search', '  '),
      ]);
      expect(badType.code).toBe(2);
      expect(badType.stderr).toContain('未知的消息类型：letter');
      for (const empty of blanks) {
        expect(empty.code).toBe(2);
        expect(empty.stderr).toContain('搜索内容为空');
      }
      expect(badKind.code).toBe(2);
      expect(JSON.parse(badKind.stdout).error.code).toBe('archive_bad_kind');
    });
  });
}

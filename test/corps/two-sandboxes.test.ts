import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, DIALECTS, skipDialect, type TestDatabase } from '../helpers/databases.ts';
import { startArchiveWorld, type ArchiveWorld } from '../archive/helpers.ts';

/**
 * Several corps in one deployment never mix: two sandboxes (seeds 7 and 8), one config folder that
 * holds both, one store. Each corp's employees, customers, groups, conversations and search hits
 * equal what that corp's sandbox alone gives (its counts, and a store that holds only that corp).
 */

const SEEDS = [7, 8] as const;
const MESSAGES = 600;
/** Common in the sandbox's vocabulary (contracts are discussed in many conversations). */
const WORD = '合同';

interface View {
  employees: string[];
  customers: string[];
  groups: string[];
  conversations: string[];
  hits: string[];
}

let worlds: ArchiveWorld[] = [];
const alone = new Map<string, View>();
const scratch = mkdtempSync(join(tmpdir(), 'wa-two-corps-'));

/** A deployment folder holding the given worlds' files, all pointing at one store. */
function deploymentFolder(name: string, chosen: ArchiveWorld[], store: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const world of chosen) {
    const extra = Object.entries(store).map(([key, value]) => `${key}=${value}`).join('\n');
    writeFileSync(join(dir, `${world.sandbox.corpId}.env`), `${readFileSync(world.configFile, 'utf8')}\n${extra}\n`, { mode: 0o600 });
  }
  return dir;
}

async function cli(folder: string, ...args: string[]): Promise<any> {
  const run = await runCli(['--config', folder, '--json', '--lang', 'en', ...args]);
  expect(run.stderr.includes('Internal error'), run.stderr).toBe(false);
  expect(run.code, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout);
}

async function fill(folder: string): Promise<void> {
  await cli(folder, 'sync');
  await cli(folder, 'archive', 'pull', '--no-media');
}

/** One corp's records as the deployment shows them, each row checked to carry that corp. */
async function view(folder: string, corpId: string): Promise<View> {
  const corp = ['--corp', corpId];
  const ids = <T extends { corpId: string }>(rows: T[], id: (row: T) => string) => {
    expect(new Set(rows.map((row) => row.corpId))).toEqual(new Set(rows.length ? [corpId] : []));
    return rows.map(id).sort();
  };
  const [employees, customers, groups, conversations, search] = await Promise.all([
    cli(folder, ...corp, 'employees'), cli(folder, ...corp, 'customers'), cli(folder, ...corp, 'groups'),
    cli(folder, ...corp, 'conversations', '--limit', '10000'), cli(folder, ...corp, 'search', WORD, '--limit', '10000'),
  ]);
  expect(conversations.truncated).toBe(false);
  expect(search.truncated).toBe(false);
  return {
    employees: ids(employees.employees, (e: any) => e.userid),
    customers: ids(customers.customers, (c: any) => c.externalUserid),
    groups: ids(groups.groups, (g: any) => g.chatId),
    conversations: ids(conversations.conversations, (c: any) => c.id),
    hits: ids(search.hits, (h: any) => h.msgid),
  };
}

beforeAll(async () => {
  worlds = await Promise.all(SEEDS.map((seed) => startArchiveWorld({ messages: MESSAGES }, seed)));
  expect(new Set(worlds.map((w) => w.sandbox.corpId)).size).toBe(2);
  // Each corp alone, in a store of its own: what its own sandbox gives.
  for (const world of worlds) {
    const folder = deploymentFolder(`alone-${basename(world.configFile, '.env')}-${world.sandbox.corpId}`, [world], {
      DATA_DIR: join(scratch, `data-${world.sandbox.corpId}`),
    });
    await fill(folder);
    alone.set(world.sandbox.corpId, await view(folder, world.sandbox.corpId));
  }
}, 600_000);

afterAll(async () => {
  await Promise.all(worlds.map((world) => world.close()));
  rmSync(scratch, { recursive: true, force: true });
});

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`two corps in one deployment [${dialect}]`, () => {
    let database: TestDatabase;
    let folder: string;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      folder = deploymentFolder(`both-${dialect}`, worlds, {
        DATA_DIR: database.dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
      });
      await fill(folder);
    }, 600_000);
    afterAll(async () => { await database?.drop(); });

    it('gives each corp exactly its own sandbox\'s records, conversations and search hits', async () => {
      for (const world of worlds) {
        const corpId = world.sandbox.corpId;
        const mine = await view(folder, corpId);
        const summary = world.sandbox.summary();
        expect(mine.employees).toHaveLength(summary.employees!);
        expect(mine.groups).toHaveLength(summary.groups!);
        expect(mine.hits.length).toBeGreaterThan(0);
        expect(mine).toEqual(alone.get(corpId));
      }
    }, 180_000);

    it('lists every corp without --corp, each row marked with its corp', async () => {
      const both = await cli(folder, 'employees');
      const rows = both.employees as Array<{ corpId: string }>;
      for (const world of worlds) {
        expect(rows.filter((row) => row.corpId === world.sandbox.corpId)).toHaveLength(alone.get(world.sandbox.corpId)!.employees.length);
      }
      expect(new Set(rows.map((row) => row.corpId)).size).toBe(2);
      const hits = await cli(folder, 'search', WORD, '--limit', '10000');
      expect(hits.hits).toHaveLength(worlds.reduce((sum, w) => sum + alone.get(w.sandbox.corpId)!.hits.length, 0));
    }, 120_000);

    it('acts on every corp in sync and archive status, and lists both in corps', async () => {
      const status = await cli(folder, 'archive', 'status');
      expect(status.corps.map((c: { corpId: string }) => c.corpId).sort()).toEqual(worlds.map((w) => w.sandbox.corpId).sort());
      const corps = await cli(folder, 'corps');
      expect(corps.corps.map((c: { corpId: string }) => c.corpId).sort()).toEqual(worlds.map((w) => w.sandbox.corpId).sort());
    }, 120_000);

    it('names the configured corps when --corp names another', async () => {
      const run = await runCli(['--config', folder, '--lang', 'en', '--corp', 'wwffffffffffffffff', 'employees']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('wwffffffffffffffff');
      for (const world of worlds) expect(run.stderr).toContain(world.sandbox.corpId);
    }, 60_000);
  });
}

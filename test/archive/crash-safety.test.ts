import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestDatabase, describeDatabases, type TestDatabase } from '../helpers/databases.ts';
import { archiveCli, dumpOf, pullKilledAfter, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// kill -9 of the real CLI process (`archive pull`) at named points of a page's life and at random
// instants, then a restart: the archive must end exactly as an uninterrupted run leaves it (every
// message, status, text, hash, media reference, conversation, cursor), on SQLite and PostgreSQL.

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

const PAGE = ['--page-size', '300'];
let world: ArchiveWorld;
let reference: Awaited<ReturnType<typeof dumpOf>>;
let referenceDb: TestDatabase;
/** How long an uninterrupted pull took: random kills land inside a pull, not after it. */
let pullMs: number;

beforeAll(async () => {
  world = await startArchiveWorld();
  referenceDb = await createTestDatabase('sqlite');
  const started = Date.now();
  const run = await archiveCli(referenceDb, world.configFile, ['pull', ...PAGE]);
  pullMs = Date.now() - started;
  expect(run.code, run.stderr).toBe(0);
  reference = await dumpOf(referenceDb, world.sandbox.corpId);
  expect(reference.messages.length).toBe(world.sandbox.summary().messages);
});
afterAll(async () => {
  await referenceDb?.drop();
  await world?.close();
});

async function killedAt(database: TestDatabase, point: string): Promise<void> {
  const run = await archiveCli(database, world.configFile, ['pull', ...PAGE], { WECOM_ARCHIVE_KILL_AT: point });
  expect(run.code, `${point}: ${run.stderr}`).toBeNull(); // killed by SIGKILL, not exited
}

async function messagesHeld(database: TestDatabase): Promise<number> {
  return (await dumpOf(database, world.sandbox.corpId)).messages.length;
}

async function finishAndCompare(database: TestDatabase): Promise<void> {
  const run = await archiveCli(database, world.configFile, ['pull', ...PAGE]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.json.corps[0].caughtUp).toBe(true);
  expect(await dumpOf(database, world.sandbox.corpId)).toEqual(reference);
  const verify = await archiveCli(database, world.configFile, ['verify']);
  expect(verify.code, verify.stdout).toBe(0);
}

describeDatabases('archive pull killed and restarted', (getDatabase) => {
  it('killed after a page was fetched, before anything of it was written', async () => {
    const database = getDatabase();
    await killedAt(database, 'archive.page.fetched:3');
    await finishAndCompare(database);
  });

  it('killed after a page was decrypted, before its transaction', async () => {
    const database = getDatabase();
    await killedAt(database, 'archive.page.decrypted:2');
    expect(await messagesHeld(database)).toBe(300);
    await finishAndCompare(database);
  });

  it('killed inside a page transaction (rows written, cursor not): the page is rolled back whole', async () => {
    const database = getDatabase();
    await killedAt(database, 'archive.page.written:3');
    expect(await messagesHeld(database)).toBe(600);
    await finishAndCompare(database);
  });

  it('killed right after a commit, and again on the restart', async () => {
    const database = getDatabase();
    await killedAt(database, 'archive.page.committed:2');
    expect(await messagesHeld(database)).toBe(600);
    await killedAt(database, 'archive.page.written:2');
    expect(await messagesHeld(database)).toBe(900);
    await finishAndCompare(database);
  });

  it('killed at random instants, three times in a row', async () => {
    const database = getDatabase();
    for (let i = 0; i < 3; i++) await pullKilledAfter(database, world.configFile, Math.floor(pullMs * (0.15 + 0.7 * Math.random())), PAGE);
    await finishAndCompare(database);
  });
});

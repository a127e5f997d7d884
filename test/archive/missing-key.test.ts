import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestDatabase, describeDatabases, type TestDatabase } from '../helpers/databases.ts';
import { archiveCli, configWithout, dumpOf, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// A publickey_ver whose private key is not configured: its messages are stored encrypted
// (missing_key), hash-chained over their envelopes like every other; once the key is configured,
// `archive retry` or the next pull decrypts them, and the chain does not change by one bit.

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
let withoutKey1: string;
let reference: Awaited<ReturnType<typeof dumpOf>>;
let referenceDb: TestDatabase;

beforeAll(async () => {
  world = await startArchiveWorld();
  withoutKey1 = configWithout(world.configFile, ['ARCHIVE_PRIVATE_KEY_1']);
  referenceDb = await createTestDatabase('sqlite');
  expect((await archiveCli(referenceDb, world.configFile, ['pull'])).code).toBe(0);
  reference = await dumpOf(referenceDb, world.sandbox.corpId);
});
afterAll(async () => {
  await referenceDb?.drop();
  await world?.close();
});

const links = (dump: Awaited<ReturnType<typeof dumpOf>>) => dump.messages.map((m) => [m.seq, m.msgid, m.prev_hash, m.hash]);

/** Pulls without the version 1 key; returns how many messages are of version 1. */
async function pullWithoutKey1(database: TestDatabase): Promise<number> {
  const pull = await archiveCli(database, withoutKey1, ['pull']);
  expect(pull.code, pull.stderr).toBe(0);
  const total = world.sandbox.summary().messages!;
  const missing = pull.json.corps[0].byStatus.missing_key as number;
  expect(missing).toBeGreaterThan(0);
  expect(pull.json.corps[0].byStatus).toEqual({ decrypted: total - missing, quarantined: 0, missing_key: missing, failed: 0 });
  expect(pull.stdout + pull.stderr).not.toMatch(/BEGIN .*PRIVATE KEY/);
  const status = await archiveCli(database, withoutKey1, ['status']);
  expect(status.json.corps[0]).toMatchObject({ missingKeyVersions: [1], byStatus: { missing_key: missing } });
  const dump = await dumpOf(database, world.sandbox.corpId);
  // The chain over the envelopes is already the final one: nothing about it depends on the key.
  expect(links(dump)).toEqual(links(reference));
  expect(dump.messages.filter((m) => m.status === 'missing_key').every((m) => m.raw_json === null && m.search_text === null)).toBe(true);
  return missing;
}

describeDatabases('archive missing key', (getDatabase) => {
  it('stores the messages of a version without key as missing_key; `archive retry` decrypts them once the key is back', async () => {
    const database = getDatabase();
    const missing = await pullWithoutKey1(database);
    const retry = await archiveCli(database, world.configFile, ['retry']);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.json).toMatchObject({ attempted: missing, byStatus: { decrypted: missing, missing_key: 0 } });
    expect(await dumpOf(database, world.sandbox.corpId)).toEqual(reference);
    expect((await archiveCli(database, world.configFile, ['verify'])).code).toBe(0);
  });

  it('the next pull decrypts them by itself, even when a retry before it was killed mid-transaction', async () => {
    const database = getDatabase();
    const missing = await pullWithoutKey1(database);
    const killed = await archiveCli(database, world.configFile, ['retry', '--status', 'missing_key'], { WECOM_ARCHIVE_KILL_AT: 'archive.retry.written:1' });
    expect(killed.code).toBeNull();
    expect((await dumpOf(database, world.sandbox.corpId)).messages.filter((m) => m.status === 'missing_key').length).toBe(missing);
    const pull = await archiveCli(database, world.configFile, ['pull']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json.corps[0]).toMatchObject({ stored: 0, keyRetry: { attempted: missing, byStatus: { decrypted: missing } } });
    expect(await dumpOf(database, world.sandbox.corpId)).toEqual(reference);
  });
});

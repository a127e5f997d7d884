import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { describeDatabases, type TestDatabase } from '../helpers/databases.ts';
import { archiveCli, dumpOf, startArchiveWorld, type ArchiveWorld } from './helpers.ts';

// The SDK misbehaving for real: the sandbox marks a message so that the stand-in library raises
// SIGSEGV, sleeps forever or returns a code while decrypting it (or hangs a GetChatData call), in the
// host processes of the CLI child. The rest of the archive must be stored all the same.

// Several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
let total: number;
/** A message in the middle of the first page, and its seq. */
let target: { seq: number; msgid: string };

beforeAll(async () => {
  world = await startArchiveWorld();
  total = world.sandbox.summary().messages!;
  const archive = world.archive.instance!.archive;
  const message = archive.generator.message(archive.window().first + 137);
  target = { seq: message.seq, msgid: message.msgid };
});
afterEach(() => world.archive.faults.clear());
afterAll(() => world?.close());

async function statusOf(database: TestDatabase) {
  const status = await archiveCli(database, world.configFile, ['status']);
  return status.json.corps[0];
}

async function expectChainIntact(database: TestDatabase): Promise<void> {
  const verify = await archiveCli(database, world.configFile, ['verify']);
  expect(verify.code, verify.stdout).toBe(0);
}

describeDatabases('archive faults', (getDatabase) => {
  it('crash: the message that kills the SDK host is quarantined, every other one stored; a retry that still crashes keeps it quarantined', async () => {
    const database = getDatabase();
    world.archive.faults.onMessage({ seq: target.seq }, { kind: 'crash' });
    const pull = await archiveCli(database, world.configFile, ['pull']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json.corps[0]).toMatchObject({ stored: total, caughtUp: true });
    expect(pull.json.corps[0].byStatus).toEqual({ decrypted: total - 1, quarantined: 1, missing_key: 0, failed: 0 });

    const status = await statusOf(database);
    expect(status.byStatus.quarantined).toBe(1);
    expect(status.quarantined).toEqual([{ seq: String(target.seq), msgid: target.msgid, attempts: 1, lastError: 'crash' }]);
    const before = await dumpOf(database, world.sandbox.corpId);
    const row = before.messages.find((m) => m.msgid === target.msgid)!;
    expect(row).toMatchObject({ status: 'quarantined', search_text: null, raw_json: null });

    // The stored envelope itself makes the SDK crash: a retry runs it again, and it stays quarantined.
    const retry = await archiveCli(database, world.configFile, ['retry', '--status', 'quarantined']);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.json).toMatchObject({ attempted: 1, byStatus: { quarantined: 1, decrypted: 0 } });
    expect((await statusOf(database)).quarantined).toEqual([expect.objectContaining({ msgid: target.msgid, attempts: 2 })]);
    const after = await dumpOf(database, world.sandbox.corpId);
    expect(after.messages).toEqual(before.messages);
    await expectChainIntact(database);
  });

  it('hang: a message that hangs DecryptData times out three times and is quarantined; the rest is stored', async () => {
    const database = getDatabase();
    world.archive.faults.onMessage({ msgid: target.msgid }, { kind: 'hang' });
    const pull = await archiveCli(database, world.configFile, ['pull', '--timeout', '3']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json.corps[0].byStatus).toEqual({ decrypted: total - 1, quarantined: 1, missing_key: 0, failed: 0 });
    // Said while it happens, not only in the summary: the stuck message by seq, then its quarantine.
    expect(pull.stderr).toContain(`seq ${target.seq}: the SDK has not answered for 3 s, retrying, then quarantining`);
    expect(pull.stderr).toContain(`seq ${target.seq}: the SDK still has not answered for 3 s; the message is quarantined`);
    const status = await statusOf(database);
    expect(status.quarantined).toEqual([expect.objectContaining({ msgid: target.msgid, lastError: 'timeout' })]);
    await expectChainIntact(database);
  });

  it('hang: a GetChatData call that hangs is killed at the deadline and retried, and the pull succeeds', async () => {
    const database = getDatabase();
    world.archive.faults.onRoute('chatdata', { kind: 'hang' }, 1);
    const pull = await archiveCli(database, world.configFile, ['pull', '--timeout', '3']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.json.corps[0]).toMatchObject({ stored: total, caughtUp: true, byStatus: { decrypted: total, quarantined: 0 } });
    expect(world.archive.faults.state().routes).toEqual([]);
  });

  it('error code: a message DecryptData rejects is stored encrypted as failed, with its code', async () => {
    const database = getDatabase();
    world.archive.faults.onMessage({ seq: target.seq }, { kind: 'rc', code: 10006 });
    const pull = await archiveCli(database, world.configFile, ['pull']);
    expect(pull.code, pull.stdout + pull.stderr).toBe(0);
    expect(pull.json.corps[0].byStatus).toEqual({ decrypted: total - 1, quarantined: 0, missing_key: 0, failed: 1 });
    const status = await statusOf(database);
    expect(status.failed).toEqual([{ seq: String(target.seq), msgid: target.msgid, error: 'rc=10006' }]);
    const dump = await dumpOf(database, world.sandbox.corpId);
    expect(dump.messages.find((m) => m.msgid === target.msgid)).toMatchObject({ status: 'failed', raw_json: null });
    await expectChainIntact(database);
  });
});

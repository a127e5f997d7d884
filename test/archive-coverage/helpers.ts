import type { Kysely } from 'kysely';
import { prepareMessage } from '../../src/archive/ingest/records.ts';
import { writePage } from '../../src/archive/ingest/write-page.ts';
import type { SandboxArchive } from '../../src/sandbox/archive/archive.ts';
import { archiveExtension } from '../../src/sandbox/archive/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import type { Database } from '../../src/store/database.ts';
import { syncStateRepository } from '../../src/store/sync-state.repository.ts';

/** The coverage tests' clock: the sandbox's, and every refresh's `now`. */
export const NOW = new Date('2025-03-01T12:00:00Z');

/** The sandbox company (seed 7) with its chat archive, at NOW. */
export async function startCoverageSandbox(): Promise<{ sandbox: Sandbox; archive: SandboxArchive }> {
  const factory = archiveExtension();
  const sandbox = await startSandbox({ seed: 7, now: NOW, extensions: [factory] });
  return { sandbox, archive: factory.instance!.archive };
}

/**
 * Stores the sandbox archive's current window as a pull would (seq = index + 1), through the ingest's
 * page writer, with the plaintext the stand-in SDK would have decrypted: what `archive pull` holds.
 */
export async function ingestWindow(db: Kysely<Database>, corpId: string, archive: SandboxArchive): Promise<{ first: number; last: number }> {
  await syncStateRepository.ensureCorp(db, corpId);
  const { first, last } = archive.window();
  for (let start = first; start <= last; start += 1000) {
    const end = Math.min(last, start + 999);
    const prepared = [];
    for (let index = start; index <= end; index++) {
      const m = archive.generator.message(index);
      const envelope = { seq: BigInt(m.seq), msgid: m.msgid, publickeyVer: 1, encryptRandomKey: `rk${m.seq}`, encryptChatMsg: `cm${m.seq}` };
      prepared.push(prepareMessage(envelope, { ok: true, msgid: m.msgid, json: m.plaintext }));
    }
    await writePage(db, corpId, prepared, BigInt(end + 1));
  }
  return { first, last };
}

/** One more message, e.g. from someone WeCom does not know. */
export async function ingestOne(db: Kysely<Database>, corpId: string, seq: bigint, message: Record<string, unknown>): Promise<void> {
  const msgid = String(message.msgid);
  const envelope = { seq, msgid, publickeyVer: 1, encryptRandomKey: `rk${seq}`, encryptChatMsg: `cm${seq}` };
  await writePage(db, corpId, [prepareMessage(envelope, { ok: true, msgid, json: JSON.stringify(message) })], seq);
}

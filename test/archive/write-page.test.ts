import { expect, it } from 'vitest';
import { genesisHash, linkHash } from '../../src/archive/chain/chain.ts';
import { verifyChain } from '../../src/archive/chain/verify.ts';
import { prepareMessage } from '../../src/archive/ingest/records.ts';
import { readSeqCursor, writePage } from '../../src/archive/ingest/write-page.ts';
import type { ChatDataEnvelope, DecryptResult } from '../../src/archive/sdk/protocol.ts';
import { syncStateRepository } from '../../src/store/sync-state.repository.ts';
import { describeStores } from '../helpers/databases.ts';

// The page transaction on its own (no SDK): dedupe, chain links, failures remembered, the cursor,
// and all-or-nothing when something is wrong with the page.

const CORP = 'wwtestcorp';

function envelope(seq: number, msgid = `m${seq}`): ChatDataEnvelope {
  return { seq: BigInt(seq), msgid, publickeyVer: 1, encryptRandomKey: `erk${seq}`, encryptChatMsg: `ecm${seq}` };
}

function textMessage(e: ChatDataEnvelope, content = `你好 ${e.seq}`, roomid = ''): DecryptResult {
  const json = JSON.stringify({ msgid: e.msgid, action: 'send', from: 'zhangsan', tolist: ['wmCustomer1'], roomid, msgtime: 1_700_000_000_000 + Number(e.seq % 1000n), msgtype: 'text', text: { content } });
  return { ok: true, msgid: e.msgid, json };
}

function imageMessage(e: ChatDataEnvelope): DecryptResult {
  const json = JSON.stringify({ msgid: e.msgid, action: 'send', from: 'zhangsan', tolist: ['lisi'], roomid: 'wrRoom', msgtime: 1_700_000_000_000, msgtype: 'image', image: { sdkfileid: `file-${e.seq}`, md5sum: 'abc', filesize: 10 } });
  return { ok: true, msgid: e.msgid, json };
}

describeStores('archive page write', (getStore) => {
  it('stores a page with its chain, media, conversations and cursor; a re-served page adds nothing', async () => {
    const { db } = getStore();
    await syncStateRepository.ensureCorp(db, CORP);
    const page1 = [1, 2, 3].map((s) => envelope(s));
    const first = await writePage(db, CORP, [
      prepareMessage(page1[0]!, textMessage(page1[0]!)),
      prepareMessage(page1[1]!, imageMessage(page1[1]!)),
      prepareMessage(page1[2]!, { ok: false, msgid: 'm3', kind: 'quarantined', attempts: 3, cause: 'crash' }),
    ], 3n);
    expect(first).toMatchObject({ stored: 3, duplicates: 0, byStatus: { decrypted: 2, quarantined: 1 }, cursor: 3n });

    const rows = await db.selectFrom('messages').selectAll().orderBy('seq').execute();
    let previous = genesisHash(CORP);
    for (const [i, row] of rows.entries()) {
      expect(row.prev_hash).toBe(previous);
      previous = linkHash(previous, page1[i]!);
      expect(row.hash).toBe(previous);
    }
    expect(first.headHash).toBe(previous);
    expect(rows.map((r) => [r.status, r.search_text])).toEqual([['decrypted', '你好 1'], ['decrypted', null], ['quarantined', null]]);
    expect(await db.selectFrom('message_media').select(['msgid', 'sdkfileid', 'item_path', 'status']).execute())
      .toEqual([{ msgid: 'm2', sdkfileid: 'file-2', item_path: '', status: 'pending' }]);
    expect((await db.selectFrom('conversations').select(['conversation_id', 'kind']).orderBy('conversation_id').execute()))
      .toEqual([{ conversation_id: 'wmCustomer1|zhangsan', kind: 'single' }, { conversation_id: 'wrRoom', kind: 'group' }]);
    expect(await db.selectFrom('message_attempts').select(['msgid', 'attempts', 'last_error', 'quarantined']).execute())
      .toEqual([{ msgid: 'm3', attempts: 1, last_error: 'crash', quarantined: 1 }]);

    // WeCom serves 2..5 again from an older cursor: 2 and 3 are duplicates, 4 and 5 continue the chain.
    const page2 = [2, 3, 4, 5].map((s) => envelope(s));
    const second = await writePage(db, CORP, page2.map((e) => prepareMessage(e, e.seq === 5n
      ? { ok: false, msgid: e.msgid, kind: 'error', reason: 'sdk', code: 10006, retryable: false }
      : textMessage(e))), 5n);
    expect(second).toMatchObject({ stored: 2, duplicates: 2, cursor: 5n, byStatus: { decrypted: 1, failed: 1 } });
    expect(await verifyChain(db, CORP)).toMatchObject({ ok: true, checked: 5, headHash: second.headHash });
    expect((await db.selectFrom('message_attempts').select('last_error').where('msgid', '=', 'm5').executeTakeFirstOrThrow()).last_error).toBe('rc=10006');

    // A cursor never moves back, even if a page ends lower than it.
    await writePage(db, CORP, [prepareMessage(envelope(1), textMessage(envelope(1)))], 1n);
    expect(await readSeqCursor(db, CORP)).toBe(5n);
  });

  it('refuses a page holding an unknown message older than the chain head, and writes none of it', async () => {
    const { db } = getStore();
    await syncStateRepository.ensureCorp(db, CORP);
    await writePage(db, CORP, [10, 20].map((s) => prepareMessage(envelope(s), textMessage(envelope(s)))), 20n);
    const page = [envelope(21), envelope(15, 'late'), envelope(22)];
    await expect(writePage(db, CORP, page.map((e) => prepareMessage(e, textMessage(e))), 22n)).rejects.toMatchObject({ code: 'archive_out_of_order' });
    expect((await db.selectFrom('messages').select('msgid').orderBy('seq').execute()).map((r) => r.msgid)).toEqual(['m10', 'm20']);
    expect(await readSeqCursor(db, CORP)).toBe(20n);
  });

  it('keeps a NUL in the text from reaching PostgreSQL, and seqs beyond 2^53 exact', async () => {
    const { db } = getStore();
    await syncStateRepository.ensureCorp(db, CORP);
    const big = envelope(0);
    big.seq = 2n ** 63n - 5n;
    await writePage(db, CORP, [prepareMessage(big, textMessage(big, 'a\u0000b'))], big.seq);
    const row = await db.selectFrom('messages').select(['seq', 'search_text']).executeTakeFirstOrThrow();
    expect(row.seq).toBe(2n ** 63n - 5n);
    expect(row.search_text).not.toContain('\u0000');
    expect(await readSeqCursor(db, CORP)).toBe(2n ** 63n - 5n);
  });
});

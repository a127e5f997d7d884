import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { mediaRepository as repo } from './media.repository.ts';
import { messagesRepository } from './messages.repository.ts';
import { syncStateRepository } from './sync-state.repository.ts';

const CORP = 'wwcorp1';

describeStores('media and attempts', (getStore) => {
  async function setup() {
    const { db } = getStore();
    await syncStateRepository.ensureCorp(db, CORP);
    await messagesRepository.insertMessages(db, CORP, ['m1', 'm2'].map((msgid, i) => ({
      seq: BigInt(i + 1), msgid, encrypt_random_key: 'k', encrypt_chat_msg: 'c', status: 'decrypted' as const, msgtype: 'mixed',
    })));
    return db;
  }

  it('queues each item once, nested items by path, and lists the pending ones oldest first', async () => {
    const db = await setup();
    expect(await repo.enqueueMedia(db, CORP, [
      { msgid: 'm1', sdkfileid: 'sdk-1', media_type: 'image', md5sum: 'aa', size: 10 },
      { msgid: 'm1', item_path: 'item[1]', sdkfileid: 'sdk-2', media_type: 'file', filename: '合同.pdf' },
    ], 1000)).toBe(2);
    expect(await repo.enqueueMedia(db, CORP, [
      { msgid: 'm1', sdkfileid: 'sdk-1-again' }, { msgid: 'm2', sdkfileid: 'sdk-3', media_type: 'voice' },
    ], 2000)).toBe(1);
    const pending = await repo.listPendingMedia(db, CORP);
    expect(pending.map((p) => [p.msgid, p.item_path, p.sdkfileid, p.status, p.attempts])).toEqual([
      ['m1', '', 'sdk-1', 'pending', 0], ['m1', 'item[1]', 'sdk-2', 'pending', 0], ['m2', '', 'sdk-3', 'pending', 0],
    ]);
  });

  it('records downloads, retries and final failures', async () => {
    const db = await setup();
    await repo.enqueueMedia(db, CORP, [{ msgid: 'm1', sdkfileid: 's1', size: 10 }, { msgid: 'm2', sdkfileid: 's2' }, { msgid: 'm2', item_path: 'item[0]', sdkfileid: 's3' }], 1000);
    await repo.markMediaDownloaded(db, CORP, 'm1', '', { stored_path: 'media/ab/cd', sha256: 'f'.repeat(64), mime: 'image/png' }, 2000);
    await repo.markMediaFailed(db, CORP, 'm2', '', 'timeout', undefined, 2000);
    await repo.markMediaFailed(db, CORP, 'm2', '', 'timeout again', undefined, 3000);
    await repo.markMediaFailed(db, CORP, 'm2', 'item[0]', 'sdkfileid expired', 'expired', 3000);
    const [m1] = await repo.listMedia(db, CORP, 'm1');
    expect(m1).toMatchObject({ status: 'downloaded', stored_path: 'media/ab/cd', mime: 'image/png', size: 10, updated_at: 2000 });
    const m2 = await repo.listMedia(db, CORP, 'm2');
    expect(m2.map((m) => [m.item_path, m.status, m.attempts, m.last_error])).toEqual([
      ['', 'pending', 2, 'timeout again'], ['item[0]', 'expired', 1, 'sdkfileid expired'],
    ]);
    expect((await repo.listPendingMedia(db, CORP)).map((m) => m.msgid)).toEqual(['m2']);
    expect(await repo.listPendingMedia(db, CORP, { maxAttempts: 2 })).toEqual([]);
  });

  it('counts failures per message and quarantines on the Nth', async () => {
    const db = await setup();
    const seq = 2n ** 60n;
    expect(await repo.recordFailure(db, CORP, { msgid: 'bad', seq, error: 'host crashed' }, 3, 1000)).toEqual({ attempts: 1, quarantined: false });
    expect(await repo.recordFailure(db, CORP, { msgid: 'bad', seq, error: 'host crashed' }, 3, 2000)).toEqual({ attempts: 2, quarantined: false });
    expect(await repo.recordFailure(db, CORP, { msgid: 'bad', seq, error: 'decrypt -40' }, 3, 3000)).toEqual({ attempts: 3, quarantined: true });
    expect(await repo.getAttempts(db, CORP, 'bad')).toEqual({
      corp_id: CORP, msgid: 'bad', seq, attempts: 3, last_error: 'decrypt -40', first_failed_at: 1000, last_failed_at: 3000, quarantined: 1,
    });
    await repo.recordFailure(db, CORP, { msgid: 'flaky', seq: 5n, error: 'timeout' }, 3, 1000);
    expect((await repo.listQuarantined(db, CORP)).map((a) => a.msgid)).toEqual(['bad']);
    await repo.clearAttempts(db, CORP, 'bad');
    expect(await repo.getAttempts(db, CORP, 'bad')).toBeUndefined();
    expect(await repo.recordFailure(db, CORP, { msgid: 'once', seq: 6n, error: 'x' }, 1, 1000)).toEqual({ attempts: 1, quarantined: true });
  });
});

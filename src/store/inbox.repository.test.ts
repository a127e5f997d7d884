import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { inboxRepository } from './inbox.repository.ts';

describeStores('inbox repository', (getStore, dialect) => {
  it('applies in a transaction whose commit, on PostgreSQL only, does not wait for the disk', async () => {
    const { db } = getStore();
    const setting = async (executor: typeof db) => (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(executor)).rows[0]?.synchronous_commit;
    if (dialect === 'postgres') {
      expect(await inboxRepository.applying(db, (trx) => setting(trx))).toBe('off');
      // Scoped to that transaction: the acknowledgements' own commits still wait for the disk.
      expect(await setting(db)).toBe('on');
    } else {
      expect(await inboxRepository.applying(db, async () => 'applied')).toBe('applied');
    }
  });

  it('rolls the effect back with the status when the work fails', async () => {
    const { db } = getStore();
    await expect(inboxRepository.applying(db, async (trx) => {
      await inboxRepository.insertMany(trx, [{ corpId: 'wwcorp', kind: 'contacts', eventKind: 'change_contact.update_user', dedupeKey: 'k1', recordKey: 'r1', payload: '<xml/>', status: 'pending', receivedAt: 1 }]);
      throw new Error('failed mid-way');
    })).rejects.toThrow('failed mid-way');
    expect(await inboxRepository.exists(db, 'wwcorp', 'k1')).toBe(false);
  });
});

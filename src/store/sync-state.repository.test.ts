import { expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import type { RecordInput } from './entities.ts';
import { upsertRecords } from './records.ts';
import { syncStateRepository as repo } from './sync-state.repository.ts';

const CORP = 'wwcorp1';

const department = (id: number, name: string): RecordInput<'departments'> => ({
  department_id: id, name, parent_id: id === 1 ? 0 : 1, sort_order: 100 - id, raw: { id, name },
});

describeStores('sync state', (getStore) => {
  it('keeps one cursor per (corp, stream)', async () => {
    const { db } = getStore();
    await repo.ensureCorp(db, CORP, '示例公司');
    await repo.ensureCorp(db, CORP); // idempotent
    await repo.ensureCorp(db, 'wwcorp2');
    await repo.ensureCorp(db, 'wwcorp2', '第二家');
    expect(await repo.getCursor(db, CORP, 'customers')).toBeUndefined();
    await repo.setCursor(db, CORP, 'customers', 'c1', 1000);
    await repo.setCursor(db, CORP, 'customers', 'c2', 2000);
    await repo.setCursor(db, 'wwcorp2', 'customers', 'other', 2000);
    expect(await repo.getCursor(db, CORP, 'customers')).toBe('c2');
    expect(await repo.listCursors(db, CORP)).toEqual([{ stream: 'customers', cursor: 'c2', updated_at: 2000 }]);
    await repo.clearCursor(db, CORP, 'customers');
    expect(await repo.getCursor(db, CORP, 'customers')).toBeUndefined();
    expect(await repo.getCursor(db, 'wwcorp2', 'customers')).toBe('other');
    expect(await repo.listCorps(db)).toEqual([{ corp_id: CORP, name: '示例公司' }, { corp_id: 'wwcorp2', name: '第二家' }]);
  });

  it('records runs with their counts and errors', async () => {
    const { db } = getStore();
    const first = await repo.startRun(db, CORP, 'directory', 1000);
    const second = await repo.startRun(db, CORP, 'customers', 2000);
    expect(await repo.getRun(db, first)).toMatchObject({ status: 'running', finishedAt: null, counts: {}, errors: [] });
    await repo.finishRun(db, first, { status: 'partial', counts: { inserted: 3, unchanged: 10 },
      errors: [{ code: '60011', message: 'no privilege to access user', context: { userid: 'x' } }] }, 1500);
    expect(await repo.getRun(db, first)).toEqual({
      id: first, corpId: CORP, kind: 'directory', startedAt: 1000, finishedAt: 1500, status: 'partial',
      counts: { inserted: 3, unchanged: 10 }, errors: [{ code: '60011', message: 'no privilege to access user', context: { userid: 'x' } }],
    });
    expect((await repo.listRuns(db, CORP)).map((r) => r.id)).toEqual([second, first]);
    expect((await repo.listRuns(db, CORP, { kind: 'directory' })).map((r) => r.id)).toEqual([first]);
    expect((await repo.listRuns(db, CORP, { status: 'running' })).map((r) => r.id)).toEqual([second]);
  });

  it('commits a page and its checkpoint together', async () => {
    const { db } = getStore();
    await repo.ensureCorp(db, CORP);
    const counts = await repo.withCheckpoint(db, CORP, 'departments', 'page-1',
      (trx) => upsertRecords(trx, 'departments', CORP, [department(1, '总部'), department(2, '销售部')], null, 1000));
    expect(counts.inserted).toBe(2);
    expect(await repo.getCursor(db, CORP, 'departments')).toBe('page-1');
  });

  it('rolls back both the page and the checkpoint when the page fails', async () => {
    const { db } = getStore();
    await repo.ensureCorp(db, CORP);
    await repo.setCursor(db, CORP, 'departments', 'page-0');
    await expect(repo.withCheckpoint(db, CORP, 'departments', 'page-1', async (trx) => {
      await upsertRecords(trx, 'departments', CORP, [department(1, '总部')], null, 1000);
      throw new Error('network died mid-page');
    })).rejects.toThrow('network died mid-page');
    expect(await repo.getCursor(db, CORP, 'departments')).toBe('page-0');
    expect(await db.selectFrom('departments').selectAll().execute()).toEqual([]);
  });

  it('rolls back the page when the checkpoint cannot be written', async () => {
    const { db } = getStore();
    await repo.ensureCorp(db, CORP);
    await expect(repo.withCheckpoint(db, CORP, 'departments', () => { throw new Error('bad cursor'); },
      (trx) => upsertRecords(trx, 'departments', CORP, [department(1, '总部')], null, 1000))).rejects.toThrow('bad cursor');
    expect(await db.selectFrom('departments').selectAll().execute()).toEqual([]);
  });

  it('derives the cursor from the page and joins an outer transaction', async () => {
    const { db } = getStore();
    await repo.ensureCorp(db, CORP);
    const outer = db.transaction().execute(async (trx) => {
      await repo.withCheckpoint(trx, CORP, 'archive', (maxSeq: bigint) => maxSeq.toString(), async () => 2n ** 60n + 1n);
      throw new Error('outer rollback');
    });
    await expect(outer).rejects.toThrow('outer rollback');
    expect(await repo.getCursor(db, CORP, 'archive')).toBeUndefined();
    await repo.withCheckpoint(db, CORP, 'archive', (maxSeq: bigint) => maxSeq.toString(), async () => 2n ** 60n + 1n);
    expect(await repo.getCursor(db, CORP, 'archive')).toBe('1152921504606846977');
  });
});

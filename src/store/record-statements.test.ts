import { InsertQueryNode, type KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeStores } from '../../test/helpers/databases.ts';
import { insertRows, selectByKeys, statementSizes } from './record-statements.ts';
import { syncStateRepository } from './sync-state.repository.ts';

const CORP = 'wwcorp1';

describe('statementSizes', () => {
  it('cuts full statements, then the rest in powers of two', () => {
    expect(statementSizes(1_234, 500)).toEqual([500, 500, 128, 64, 32, 8, 2]);
    expect(statementSizes(500, 500)).toEqual([500]);
    expect(statementSizes(7, 500)).toEqual([4, 2, 1]);
    expect(statementSizes(0, 500)).toEqual([]);
  });
});

describeStores('record statements', (getStore) => {
  const shape = {
    table: 'departments', columns: ['corp_id', 'department_id', 'name', 'raw_json', 'hash', 'first_seen_at', 'updated_at'],
    conflict: { columns: ['corp_id', 'department_id'], keep: ['first_seen_at'] },
  } as const;
  const row = (id: number, name: string, at: number) => [CORP, id, name, '{}', `h${id}`, at, at];

  it('inserts and upserts in statements of repeating shapes, keeping first_seen_at', async () => {
    const { db } = getStore();
    await syncStateRepository.ensureCorp(db, CORP);
    await insertRows(db, shape, Array.from({ length: 1_234 }, (_, i) => row(i, `d${i}`, 1000)));
    await insertRows(db, shape, [row(7, 'renamed', 2000), row(5_000, 'new', 2000)]);
    const rows = await db.selectFrom('departments').select(['department_id', 'name', 'first_seen_at', 'updated_at'])
      .where('department_id', 'in', [6, 7, 5_000]).orderBy('department_id').execute();
    expect(rows).toEqual([
      { department_id: 6, name: 'd6', first_seen_at: 1000, updated_at: 1000 },
      { department_id: 7, name: 'renamed', first_seen_at: 1000, updated_at: 2000 },
      { department_id: 5_000, name: 'new', first_seen_at: 2000, updated_at: 2000 },
    ]);
    expect((await selectByKeys(db, 'departments', ['department_id'], ['department_id'], CORP, [[1]])).length).toBe(1);
  });

  it('hands every statement to the plugins, and compiles what a plugin changed', async () => {
    const { db } = getStore();
    await syncStateRepository.ensureCorp(db, CORP);
    let seen = 0;
    // Rewrites every insert into "departments" to set name = 'plugged' by swapping the values node.
    const plugin: KyselyPlugin = {
      transformQuery({ node }) {
        if (!InsertQueryNode.is(node)) return node;
        seen += 1;
        return { ...node, values: node.values && JSON.parse(JSON.stringify(node.values).replaceAll('"d', '"plugged-d')) };
      },
      transformResult: async ({ result }) => result,
    };
    await insertRows(db, shape, [row(1, 'd1', 1000), row(2, 'd2', 1000), row(3, 'd3', 1000)]);
    await insertRows(db.withPlugin(plugin), shape, [row(4, 'd4', 1000), row(5, 'd5', 1000), row(6, 'd6', 1000)]);
    expect(seen).toBe(2); // sizes 2 + 1
    const names = await db.selectFrom('departments').select('name').orderBy('department_id').execute();
    expect(names.map((n) => n.name)).toEqual(['d1', 'd2', 'd3', 'plugged-d4', 'plugged-d5', 'plugged-d6']);
  });

  it('finds each row once however the key list is padded, on composite keys too', async () => {
    const { db } = getStore();
    await syncStateRepository.ensureCorp(db, 'other');
    await syncStateRepository.ensureCorp(db, CORP);
    const relation = (external_userid: string, userid: string, corp = CORP) => ({
      corp_id: corp, external_userid, userid, raw_json: '{}', hash: 'h', first_seen_at: 1, updated_at: 1,
    });
    await db.insertInto('follow_relations').values([relation('wm1', 'u1'), relation('wm1', 'u2'), relation('wm2', 'u1'), relation('wm1', 'u1', 'other')]).execute();
    const keys = [['wm1', 'u1'], ['wm2', 'u1'], ['wm1', 'u1'], ['wm9', 'u9']];
    const found = await selectByKeys(db, 'follow_relations', ['external_userid', 'userid', 'corp_id'], ['external_userid', 'userid'], CORP, keys);
    expect(found.map((r) => `${r.corp_id}/${r.external_userid}/${r.userid}`).sort()).toEqual([`${CORP}/wm1/u1`, `${CORP}/wm2/u1`]);
    // More keys than one statement takes: several statements, the last one padded.
    const many = Array.from({ length: 1_100 }, (_, i) => [`wm${i}`, 'u1']);
    const foundMany = await selectByKeys(db, 'follow_relations', ['external_userid'], ['external_userid', 'userid'], CORP, many);
    expect(foundMany.map((r) => r.external_userid).sort()).toEqual(['wm1', 'wm2']);
  });
});

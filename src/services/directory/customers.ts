import { consentHistory } from '../../archive/coverage/report.ts';
import { customersRepository, type CustomerDetail, type CustomerRow } from '../../store/customers.repository.ts';
import { parseJson } from '../../store/sql-kit.ts';
import type { Runtime } from '../runtime.ts';
import type { Customer, CustomerDetailResult, CustomerQuery, CustomersResult, Follow, RecordQuery } from '../types/directory.ts';
import { findInCorps, listAcrossCorps } from './scope.ts';

/** `customers`: the customers of every corp in scope, by external_userid, filtered. */
export async function listCustomers(rt: Runtime, query: CustomerQuery): Promise<CustomersResult> {
  const tagIds = new Map<string, string[]>();
  const { rows, truncated } = await listAcrossCorps(rt, query, async (db, corpId, offset, limit) => {
    // Tag ids are per corp: a name is looked up in each.
    if (query.tag !== undefined && !tagIds.has(corpId)) tagIds.set(corpId, await customersRepository.corpTagIds(db, corpId, query.tag));
    return customersRepository.listCustomers(db, corpId, {
      search: query.search, followUser: query.followUser, departmentId: query.department, tagIds: tagIds.get(corpId),
      includeDeleted: query.includeDeleted, offset, limit,
    });
  }, { kind: 'customer', idOf: (row) => row.external_userid });
  const customers = rows.map((r) => ({ ...customerFields(r, parseJson<string[]>(r.hidden_fields) ?? []), followerCount: r.followers }));
  return { ok: true, customers, truncated };
}

/** `customers <id>`: one customer with everyone following them and their consent history. */
export async function getCustomer(rt: Runtime, query: RecordQuery): Promise<CustomerDetailResult> {
  const { corpId, found } = await findInCorps(rt, query.corp, 'customer', query.id,
    (db, corp) => customersRepository.getCustomer(db, corp, query.id, { includeDeleted: query.includeDeleted }));
  const { db } = await rt.readStore();
  const consent = await consentHistory(db, corpId, query.id);
  return {
    ok: true,
    customer: { ...customerFields(found.customer, found.customer.hidden_fields), raw: found.customer.raw },
    follows: found.follows.map(followOf),
    consent,
  };
}

/** The customer's own fields, the same in the list and on their record. */
function customerFields(r: Omit<CustomerRow, 'hidden_fields' | 'followers'>, hiddenFields: string[]): Omit<Customer, 'followerCount'> {
  return {
    corpId: r.corp_id, externalUserid: r.external_userid, name: r.name, type: r.type, gender: r.gender, corpName: r.corp_name,
    corpFullName: r.corp_full_name, position: r.position, avatar: r.avatar, unionid: r.unionid,
    hiddenFields, firstSeenAt: r.first_seen_at, updatedAt: r.updated_at, deletedAt: r.deleted_at,
  };
}

function followOf(f: CustomerDetail['follows'][number]): Follow {
  return {
    userid: f.userid, employeeName: f.employee_name, remark: f.remark, description: f.description, remarkCorpName: f.remark_corp_name,
    remarkMobiles: f.remark_mobiles, addedAt: f.createtime, addWay: f.add_way, operUserid: f.oper_userid, state: f.state,
    hiddenFields: parseJson<string[]>(f.hidden_fields) ?? [], deletedAt: f.deleted_at,
    tags: f.tags.map((tag) => ({ tagId: tag.tag_id, name: tag.name, groupName: tag.group_name, type: tag.type })),
  };
}

import { ERRCODE } from '../../wecom/errcodes.ts';
import type { SandboxCustomer, SandboxEmployee, SandboxFollow } from '../company/view.ts';
import { ApiError, invalid } from '../server/api-error.ts';
import { decodeCursor, encodeCursor, pageLimit, requireStr, str, strList } from '../server/params.ts';
import { visibleMember } from './directory.ts';
import type { ApiCall, Handler } from './types.ts';

/**
 * Customers and follow relations (wecom-api.md §3). An app token only sees follow users inside its
 * visible scope; relations come from the overlay so remarks and tags written earlier show up.
 */

/** externalcontact/get pages follow_user only beyond this many followers. */
const FOLLOWERS_PER_PAGE = 500;

export function customerJson(c: SandboxCustomer): Record<string, unknown> {
  return {
    external_userid: c.external_userid,
    name: c.name,
    ...(c.position ? { position: c.position } : {}),
    avatar: c.avatar,
    ...(c.corpName ? { corp_name: c.corpName, corp_full_name: c.corpFullName } : {}),
    type: c.type,
    gender: c.gender,
    ...(c.unionid ? { unionid: c.unionid } : {}),
  };
}

function relationBase(f: SandboxFollow): Record<string, unknown> {
  return { userid: f.userid, remark: f.remark, description: f.description, createtime: f.createtime };
}

function relationTail(f: SandboxFollow): Record<string, unknown> {
  return {
    remark_corp_name: f.remarkCorpName, remark_mobiles: f.remarkMobiles, oper_userid: f.operUserid,
    add_way: f.addWay, ...(f.state ? { state: f.state } : {}),
  };
}

/** batch/get_by_user's follow_info: corp tag ids only (personal tags are not returned there). */
export function followInfoJson(f: SandboxFollow): Record<string, unknown> {
  return { ...relationBase(f), tag_id: f.tagIds, ...relationTail(f) };
}

/** externalcontact/get's follow_user entry: tags with names, personal tags included. */
function followUserJson(call: ApiCall, f: SandboxFollow): Record<string, unknown> {
  const corpTags = f.tagIds.map((id) => {
    const group = call.state.tags.groupOfTag(id)!;
    return { group_name: group.group_name, tag_name: group.tag.find((t) => t.id === id)!.name, tag_id: id, type: 1 };
  });
  const personal = f.personalTags.map((name) => ({ group_name: '', tag_name: name, type: 2 }));
  return { ...relationBase(f), tags: [...corpTags, ...personal], ...relationTail(f) };
}

export function knownCustomer(call: ApiCall, externalUserid: string): SandboxCustomer {
  const customer = call.state.company.customerByExternalUserid(externalUserid);
  if (!customer) throw new ApiError(ERRCODE.INVALID_EXTERNAL_USERID, externalUserid);
  return customer;
}

/** The relation behind remark/mark_tag: member and customer must exist and be connected (84061). */
export function relationOf(call: ApiCall): { member: SandboxEmployee; customer: SandboxCustomer; follow: SandboxFollow } {
  const member = visibleMember(call, requireStr(call.params, 'userid', 64));
  const customer = knownCustomer(call, requireStr(call.params, 'external_userid'));
  const follow = call.state.relations.follow(customer.index, member.index);
  if (!follow) throw new ApiError(ERRCODE.NOT_EXTERNAL_CONTACT, `${member.userid} does not follow ${customer.external_userid}`);
  return { member, customer, follow };
}

function getCustomer(call: ApiCall): Record<string, unknown> {
  const customer = knownCustomer(call, requireStr(call.params, 'external_userid'));
  const { relations, company, visibility } = call.state;
  const followers = relations.followersOf(customer.index);
  if (followers.length === 0) throw new ApiError(ERRCODE.NOT_EXTERNAL_CONTACT, customer.external_userid);
  const visible = followers.filter((e) => visibility.seesEmployee(call.credential, company.employee(e)));
  // wecom-api.md §6: 40096 when the customer's follow users are all outside the app's scope.
  if (visible.length === 0) throw new ApiError(ERRCODE.INVALID_EXTERNAL_USERID, 'follow users outside the app scope');
  const binding = customer.external_userid;
  const [offset] = decodeCursor(call.state.seed, 'follow', binding, str(call.params, 'cursor'), 1) ?? [0];
  const page = visible.slice(offset, offset + FOLLOWERS_PER_PAGE);
  const next = offset + page.length < visible.length ? encodeCursor(call.state.seed, 'follow', binding, [offset + page.length]) : '';
  return {
    external_contact: customerJson(customer),
    follow_user: page.map((e) => followUserJson(call, relations.follow(customer.index, e)!)),
    ...(next ? { next_cursor: next } : {}),
  };
}

function batchGetByUser(call: ApiCall): Record<string, unknown> {
  const requested = strList(call.params, 'userid_list', { required: true, max: 100 });
  const members = [...new Map(requested.map((u) => {
    const member = visibleMember(call, u);
    return [member.index, member] as const;
  })).values()];
  const limit = pageLimit(call.name, call.params, 'clamp');
  const binding = members.map((m) => m.index).join(',');
  const { relations, company, seed } = call.state;
  let [memberPos, offset] = decodeCursor(seed, 'by_user', binding, str(call.params, 'cursor'), 2) ?? [0, 0];
  const entries: Array<Record<string, unknown>> = [];
  while (memberPos < members.length && entries.length < limit) {
    const member = members[memberPos];
    const customers = member.followUser ? relations.customersOf(member.index) : [];
    for (; offset < customers.length && entries.length < limit; offset++) {
      const c = customers[offset];
      entries.push({ external_contact: customerJson(company.customer(c)), follow_info: followInfoJson(relations.follow(c, member.index)!) });
    }
    if (offset < customers.length) break;
    memberPos++;
    offset = 0;
  }
  // Skip members with nothing left so an exhausted listing ends with an empty cursor, not an empty page.
  while (memberPos < members.length && offset === 0 && relations.customersOf(members[memberPos].index).length === 0) memberPos++;
  const done = memberPos >= members.length;
  return { external_contact_list: entries, next_cursor: done ? '' : encodeCursor(seed, 'by_user', binding, [memberPos, offset]) };
}

const REMARK_LIMITS = { remark: 20, description: 150, remark_company: 20 } as const;

export const customerHandlers = {
  'externalcontact.getFollowUserList': (call) => {
    const { company, visibility } = call.state;
    const follow_user: string[] = [];
    for (let e = 0; e < company.counts.employees; e++) {
      if (!company.hasEmployee(e)) continue;
      const member = company.employee(e);
      if (member.followUser && visibility.seesEmployee(call.credential, member)) follow_user.push(member.userid);
    }
    return { follow_user };
  },
  'externalcontact.list': (call) => {
    const member = visibleMember(call, requireStr(call.params, 'userid', 64));
    const customers = member.followUser ? call.state.relations.customersOf(member.index) : [];
    // WxJava#1528: WeCom answers 84061 rather than an empty list.
    if (customers.length === 0) throw new ApiError(ERRCODE.NOT_EXTERNAL_CONTACT, `${member.userid} has no customers`);
    return { external_userid: customers.map((c) => call.state.company.customer(c).external_userid) };
  },
  'externalcontact.get': getCustomer,
  'externalcontact.batchGetByUser': batchGetByUser,
  'externalcontact.remark': (call) => {
    const { member, customer } = relationOf(call);
    for (const [field, max] of Object.entries(REMARK_LIMITS)) str(call.params, field, { max });
    const mobiles = strList(call.params, 'remark_mobiles', { max: 5 });
    if (mobiles.some((m) => !/^[\d+-]{5,32}$/.test(m))) throw invalid('remark_mobiles', 'not a phone number');
    const changes: Parameters<typeof call.state.relations.patch>[2] = {};
    if (call.params.remark !== undefined) changes.remark = String(call.params.remark);
    if (call.params.description !== undefined) changes.description = String(call.params.description);
    if (call.params.remark_company !== undefined) changes.remarkCorpName = String(call.params.remark_company);
    if (call.params.remark_mobiles !== undefined) changes.remarkMobiles = mobiles;
    call.state.relations.patch(customer.index, member.index, changes);
    return {};
  },
  'externalcontact.markTag': (call) => {
    const { member, customer } = relationOf(call);
    const add = strList(call.params, 'add_tag');
    const remove = strList(call.params, 'remove_tag');
    if (add.length === 0 && remove.length === 0) throw invalid('add_tag/remove_tag', 'one of them is required');
    for (const id of [...add, ...remove]) if (!call.state.tags.hasTag(id)) throw new ApiError(ERRCODE.INVALID_TAG_ID, id);
    call.state.relations.markTags(customer.index, member.index, add, remove);
    return {};
  },
} satisfies Record<string, Handler>;

import { createHash } from 'node:crypto';
import { ERRCODE } from '../../wecom/errcodes.ts';
import type { SandboxGroup } from '../company/view.ts';
import { ApiError, wecomAnswer } from '../server/api-error.ts';
import { decodeCursor, encodeCursor, int, pageLimit, requireStr, str, strList } from '../server/params.ts';
import { STREAM, rngFor } from '../random.ts';
import { visibleMember } from './directory.ts';
import type { ApiCall, Handler } from './types.ts';

/** Customer groups (wecom-api.md §3, docs 92120/92122/92127). */

/** wecom-api.md §3: groupchat/list without owner_filter fails (81017) beyond this many members in scope. */
const OWNER_FILTER_THRESHOLD = 1000;

function ownerOf(call: ApiCall, index: number): string {
  return call.state.transfers.groupOwner(index) ?? call.state.company.employee(call.state.company.groupOwnerIndex(index)).userid;
}

function statusOf(call: ApiCall, index: number): number {
  return call.state.transfers.groupOwner(index) ? 3 : call.state.company.groupStatus(index);
}

function ownerVisible(call: ApiCall, userid: string): boolean {
  const owner = call.state.company.employeeByUserid(userid);
  // An owner who left (deleted since): the group waits for inheritance, seen by the customer-contact secret.
  if (!owner) return call.credential !== 'app';
  return call.state.visibility.seesEmployee(call.credential, owner);
}

function groupchatList(call: ApiCall): Record<string, unknown> {
  const limit = pageLimit(call.name, call.params);
  const status = int(call.params, 'status_filter', { min: 0, max: 3 }) ?? 0;
  const filter = call.params.owner_filter as Record<string, unknown> | undefined;
  const owners = filter && typeof filter === 'object' ? strList(filter, 'userid_list', { max: 100 }) : [];
  if (owners.length === 0 && call.state.visibility.followUsersVisible(call.credential) > OWNER_FILTER_THRESHOLD) {
    throw new ApiError(ERRCODE.OWNER_FILTER_REQUIRED, `more than ${OWNER_FILTER_THRESHOLD} members in scope`);
  }
  const ownerSet = new Set(owners.map((u) => u.toLowerCase()));
  const binding = `${status}|${[...ownerSet].sort().join(',')}`;
  const { company, seed } = call.state;
  const [start] = decodeCursor(seed, 'groupchat', binding, str(call.params, 'cursor'), 1) ?? [0];
  const matches = (i: number) => {
    const owner = ownerOf(call, i);
    return company.hasGroup(i) && (status === 0 || statusOf(call, i) === status)
      && (ownerSet.size === 0 || ownerSet.has(owner.toLowerCase()))
      && ownerVisible(call, owner);
  };
  const page: Array<{ chat_id: string; status: number }> = [];
  let i = start;
  for (; i < company.counts.groups && page.length < limit; i++) {
    if (matches(i)) page.push({ chat_id: company.groupChatId(i), status: statusOf(call, i) });
  }
  while (i < company.counts.groups && !matches(i)) i++;
  return { group_chat_list: page, next_cursor: i < company.counts.groups ? encodeCursor(seed, 'groupchat', binding, [i]) : '' };
}

export function memberVersion(group: SandboxGroup): string {
  return createHash('md5').update([...group.memberUserids, ...group.memberCustomerIds].join(',')).digest('hex');
}

function groupchatGet(call: ApiCall): Record<string, unknown> {
  const chatId = requireStr(call.params, 'chat_id');
  const { company } = call.state;
  const group = company.groupByChatId(chatId);
  if (!group) {
    throw company.internalGroupByRoomid(chatId) ? new ApiError(ERRCODE.NOT_CUSTOMER_GROUP, chatId) : new ApiError(ERRCODE.INVALID_PARAMETER, `chat_id ${chatId}`);
  }
  const owner = ownerOf(call, group.index);
  if (!ownerVisible(call, owner)) throw new ApiError(ERRCODE.NO_PRIVILEGE, `owner ${owner} outside the app scope`);
  const needName = int(call.params, 'need_name', { min: 0, max: 1 }) === 1;
  const rng = rngFor(call.state.seed, STREAM.groupMembers, group.index, 1);
  const joined = () => group.createTime + rng.int(Math.max(1, company.timeRange.end - group.createTime));
  const scene = () => rng.weighted([[1, 0.5], [2, 0.2], [3, 0.3]] as const);
  // A member who left the company (member.deleted) has left the group too; the owner stays listed
  // while the group waits for inheritance, under the name they had.
  const stayed = (userid: string, i: number) => i === 0 || company.employeeByUserid(userid) !== undefined;
  const nameOf = (userid: string) => (company.employeeByUserid(userid) ?? company.employee(company.groupOwnerIndex(group.index))).name;
  const internal = group.memberUserids.filter(stayed).map((userid, i) => ({
    userid, type: 1, join_time: i === 0 ? group.createTime : joined(), join_scene: scene(),
    ...(i === 0 ? {} : { invitor: { userid: group.ownerUserid } }),
    group_nickname: '',
    ...(needName ? { name: nameOf(userid) } : {}),
  }));
  const external = group.memberCustomerIds.map((id) => {
    const customer = company.customerByExternalUserid(id)!;
    return {
      userid: id, type: 2, ...(customer.unionid ? { unionid: customer.unionid } : {}),
      join_time: joined(), join_scene: scene(), invitor: { userid: group.ownerUserid }, group_nickname: '',
      ...(needName ? { name: customer.name } : {}),
    };
  });
  return {
    group_chat: {
      chat_id: group.chat_id, name: group.name, owner, create_time: group.createTime, notice: group.notice,
      member_list: [...internal, ...external], admin_list: group.adminUserids.filter((userid) => company.employeeByUserid(userid) !== undefined).map((userid) => ({ userid })),
      member_version: memberVersion(group),
    },
  };
}

function groupchatTransfer(call: ApiCall): Record<string, unknown> {
  const chatIds = strList(call.params, 'chat_id_list', { required: true, max: 100 });
  const newOwner = visibleMember(call, requireStr(call.params, 'new_owner', 64));
  const failed: Array<{ chat_id: string; errcode: number; errmsg: string }> = [];
  for (const chatId of chatIds) {
    const group = call.state.company.groupByChatId(chatId);
    // groupchat/transfer is for groups whose owner left (status 1); others stay with their owner.
    if (!group) failed.push({ chat_id: chatId, ...wecomAnswer(ERRCODE.NOT_CUSTOMER_GROUP) });
    else if (statusOf(call, group.index) !== 1) failed.push({ chat_id: chatId, ...wecomAnswer(ERRCODE.OWNER_NOT_RESIGNED) });
    else call.state.transfers.setGroupOwner(group.index, newOwner.userid);
  }
  return { failed_chat_list: failed };
}

export const groupHandlers = {
  'externalcontact.groupchatList': groupchatList,
  'externalcontact.groupchatGet': groupchatGet,
  'externalcontact.groupchatTransfer': groupchatTransfer,
} satisfies Record<string, Handler>;

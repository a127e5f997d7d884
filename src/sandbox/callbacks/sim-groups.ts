import { GROUP_TOPICS } from '../company/names.ts';
import { memberVersion } from '../handlers/groups.ts';
import { BASE62 } from '../random.ts';
import { SimulationError, customerOf, groupOf, memberOf, pickIndex, type SimulationContext, type SimulationResult } from './context.ts';

/** Customer group changes (change_external_chat, §5.5/§5.6). */

export function groupCreated(ctx: SimulationContext, t: { ownerUserid?: string; name?: string }): SimulationResult {
  const { relations } = ctx.state;
  const owner = memberOf(ctx, t.ownerUserid, (m) => m.followUser && relations.customersOf(m.index).length > 0);
  const customers = relations.customersOf(owner.index);
  const joined = ctx.rng.distinct(customers.length, Math.min(customers.length, 1 + ctx.rng.int(3)))
    .map((i) => ctx.state.company.customer(customers[i]!).external_userid);
  const chatId = `wr${ctx.rng.chars(BASE62, 30)}`;
  const name = t.name ?? `${owner.name}的${ctx.rng.pick(GROUP_TOPICS)}`;
  const group = ctx.edits.addGroup({
    chat_id: chatId, name, ownerUserid: owner.userid, memberUserids: [owner.userid], memberCustomerIds: joined,
    status: 0, createTime: ctx.now, notice: '', adminUserids: [],
  });
  return {
    changed: { chat_id: group.chat_id, name, owner: owner.userid, members: [owner.userid, ...joined] },
    events: [{ kind: 'change_external_chat.create', fields: { ChatId: chatId } }],
  };
}

export function groupRenamed(ctx: SimulationContext, t: { chatId?: string; name?: string }): SimulationResult {
  const group = groupOf(ctx, t.chatId);
  const name = t.name ?? `${group.name.replace(/（.*）$/, '')}（${ctx.rng.pick(GROUP_TOPICS)}）`;
  ctx.edits.patchGroup(group.index, { name });
  return {
    changed: { chat_id: group.chat_id, name, previousName: group.name },
    events: [{ kind: 'change_external_chat.update', fields: { ChatId: group.chat_id, UpdateDetail: 'change_name' } }],
  };
}

export function groupJoined(ctx: SimulationContext, t: { chatId?: string; externalUserid?: string }): SimulationResult {
  const { company } = ctx.state;
  const group = groupOf(ctx, t.chatId);
  const customer = t.externalUserid !== undefined
    ? customerOf(ctx, t.externalUserid)
    : company.customer(pickIndex(ctx.rng, company.counts.customers, (c) => !group.memberCustomerIds.includes(company.customer(c).external_userid), 'customer outside the group'));
  if (group.memberCustomerIds.includes(customer.external_userid)) throw new SimulationError(`${customer.external_userid} is already in ${group.chat_id}`);
  const after = ctx.edits.patchGroup(group.index, { memberCustomerIds: [...group.memberCustomerIds, customer.external_userid] });
  return {
    changed: { chat_id: group.chat_id, joined: customer.external_userid, member_version: memberVersion(after) },
    events: [{
      kind: 'change_external_chat.update',
      fields: {
        ChatId: group.chat_id, UpdateDetail: 'add_member', JoinScene: ctx.rng.pick([0, 3]), MemChangeCnt: 1,
        MemChangeList: [customer.external_userid], LastMemVer: memberVersion(group), CurMemVer: memberVersion(after),
      },
    }],
  };
}

/** A member other than the owner leaves: `memberId` is a userid or an external_userid. */
export function groupLeft(ctx: SimulationContext, t: { chatId?: string; memberId?: string }): SimulationResult {
  const group = groupOf(ctx, t.chatId);
  const leavers = [...group.memberUserids.filter((u) => u !== group.ownerUserid), ...group.memberCustomerIds];
  const memberId = t.memberId ?? (leavers.length > 0 ? ctx.rng.pick(leavers) : undefined);
  if (memberId === undefined || !leavers.includes(memberId)) throw new SimulationError(`${memberId ?? 'nobody'} can leave ${group.chat_id}`);
  const after = ctx.edits.patchGroup(group.index, {
    memberUserids: group.memberUserids.filter((u) => u !== memberId),
    memberCustomerIds: group.memberCustomerIds.filter((c) => c !== memberId),
  });
  return {
    changed: { chat_id: group.chat_id, left: memberId, member_version: memberVersion(after) },
    events: [{
      kind: 'change_external_chat.update',
      fields: {
        ChatId: group.chat_id, UpdateDetail: 'del_member', QuitScene: 0, MemChangeCnt: 1, MemChangeList: [memberId],
        LastMemVer: memberVersion(group), CurMemVer: memberVersion(after),
      },
    }],
  };
}

export function groupDismissed(ctx: SimulationContext, t: { chatId?: string }): SimulationResult {
  const group = groupOf(ctx, t.chatId);
  ctx.edits.dismissGroup(group.index);
  return {
    changed: { chat_id: group.chat_id, dismissed: true },
    events: [{ kind: 'change_external_chat.dismiss', fields: { ChatId: group.chat_id } }],
  };
}

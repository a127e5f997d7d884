import { BASE62 } from '../random.ts';
import { DEPARTMENT_FUNCTIONS, MEMBER_TAGS, chineseNumber, personName } from '../company/names.ts';
import { SimulationError, memberOf, pickIndex, type SimulationContext, type SimulationResult } from './context.ts';

/** Directory changes made in WeCom's admin console or app (change_contact, §5.5). */

const lower = BASE62.slice(0, 36).toLowerCase();

export function memberRenamed(ctx: SimulationContext, t: { userid?: string; name?: string }): SimulationResult {
  const member = memberOf(ctx, t.userid);
  let name = t.name;
  while (name === undefined || (t.name === undefined && name === member.name)) name = personName(ctx.rng).name;
  ctx.edits.renameMember(member.index, { name });
  return {
    changed: { userid: member.userid, name, previousName: member.name },
    events: [{ kind: 'change_contact.update_user', fields: { UserID: member.userid, Name: name } }],
  };
}

export function memberUseridChanged(ctx: SimulationContext, t: { userid?: string; newUserid?: string }): SimulationResult {
  const member = memberOf(ctx, t.userid);
  const newUserid = t.newUserid ?? `${member.userid}${ctx.rng.chars(lower, 3)}`.slice(0, 64);
  if (ctx.state.company.employeeByUserid(newUserid)) throw new SimulationError(`userid ${newUserid} is taken`);
  ctx.edits.renameMember(member.index, { userid: newUserid });
  ctx.state.visibility.invalidate();
  return {
    changed: { userid: newUserid, previousUserid: member.userid },
    events: [{ kind: 'change_contact.update_user', fields: { UserID: member.userid, NewUserID: newUserid } }],
  };
}

export function memberMoved(ctx: SimulationContext, t: { userid?: string; departmentId?: number }): SimulationResult {
  const { company } = ctx.state;
  const member = memberOf(ctx, t.userid);
  const departments = company.departments();
  const target = t.departmentId ?? departments[pickIndex(ctx.rng, departments.length, (i) => departments[i]!.id !== member.mainDepartment, 'other department')]!.id;
  if (!company.department(target)) throw new SimulationError(`no department ${target}`);
  ctx.edits.moveMember(member.index, [target]);
  ctx.state.visibility.invalidate();
  return {
    changed: { userid: member.userid, department: [target], previousDepartment: member.department },
    events: [{ kind: 'change_contact.update_user', fields: { UserID: member.userid, Department: [target], MainDepartment: target, IsLeaderInDept: [0] } }],
  };
}

export function memberDeleted(ctx: SimulationContext, t: { userid?: string }): SimulationResult {
  const member = memberOf(ctx, t.userid);
  ctx.edits.deleteMember(member.index);
  ctx.state.visibility.invalidate();
  return { changed: { userid: member.userid, deleted: true }, events: [{ kind: 'change_contact.delete_user', fields: { UserID: member.userid } }] };
}

export function departmentCreated(ctx: SimulationContext, t: { parentId?: number; name?: string }): SimulationResult {
  const { company } = ctx.state;
  const departments = company.departments();
  const parent = t.parentId ?? departments[ctx.rng.int(departments.length)]!.id;
  if (!company.department(parent)) throw new SimulationError(`no department ${parent}`);
  const id = Math.max(...departments.map((d) => d.id)) + 1;
  const [han, en] = ctx.rng.pick(DEPARTMENT_FUNCTIONS);
  const name = t.name ?? `${han}${chineseNumber(2 + ctx.rng.int(8))}组`;
  const order = 1000 + ctx.rng.int(99_000);
  ctx.edits.addDepartment({ id, name, name_en: t.name ? '' : `${en} ${id}`, parentid: parent, order });
  ctx.state.visibility.invalidate();
  return {
    changed: { department: { id, name, parentid: parent, order } },
    events: [{ kind: 'change_contact.create_party', fields: { Id: String(id), Name: name, ParentId: String(parent), Order: order } }],
  };
}

export function memberTagUpdated(ctx: SimulationContext, t: { tagId?: number; add?: string[]; remove?: string[] }): SimulationResult {
  const { company } = ctx.state;
  const tags = company.memberTags();
  if (tags.length === 0) throw new SimulationError(`no member tag (${MEMBER_TAGS.length} names, none generated)`);
  const tag = t.tagId !== undefined ? tags.find((x) => x.tagid === t.tagId) : ctx.rng.pick(tags);
  if (!tag) throw new SimulationError(`no member tag ${t.tagId}`);
  const current = tag.userids.filter((u) => company.employeeByUserid(u));
  let add = t.add ?? [];
  const remove = t.remove ?? [];
  if (t.add === undefined && t.remove === undefined) add = [memberOf(ctx, undefined, (m) => !current.includes(m.userid)).userid];
  const known = [...add, ...remove].map((u) => memberOf(ctx, u).userid);
  const [added, removed] = [known.slice(0, add.length), known.slice(add.length)];
  const next = [...current.filter((u) => !removed.includes(u)), ...added.filter((u) => !current.includes(u))];
  ctx.edits.setMemberTag(tag.tagid, next);
  return {
    changed: { tagid: tag.tagid, userids: next },
    events: [{
      kind: 'change_contact.update_tag',
      fields: { TagId: String(tag.tagid), ...(added.length ? { AddUserItems: added } : {}), ...(removed.length ? { DelUserItems: removed } : {}) },
    }],
  };
}

import { groupsRepository, type GroupDetail, type GroupRow } from '../../store/groups.repository.ts';
import { parseJson } from '../../store/sql-kit.ts';
import type { Runtime } from '../runtime.ts';
import type { Group, GroupDetailResult, GroupMember, GroupQuery, GroupsResult, RecordQuery } from '../types/directory.ts';
import { findInCorps, listAcrossCorps } from './scope.ts';

/** `groups`: the customer groups of every corp in scope, by chat_id, filtered. */
export async function listGroups(rt: Runtime, query: GroupQuery): Promise<GroupsResult> {
  const { rows, truncated } = await listAcrossCorps(rt, query, (db, corpId, offset, limit) => groupsRepository.listGroups(db, corpId, {
    search: query.search, followUser: query.followUser, includeDeleted: query.includeDeleted, offset, limit,
  }), { kind: 'group', idOf: (row) => row.chat_id });
  const groups = rows.map((r) => ({ ...groupFields(r, parseJson<string[]>(r.hidden_fields) ?? []), memberCount: r.members }));
  return { ok: true, groups, truncated };
}

/** `groups <chat_id>`: one group with its members and admins. */
export async function getGroup(rt: Runtime, query: RecordQuery): Promise<GroupDetailResult> {
  const { found } = await findInCorps(rt, query.corp, 'group', query.id, (db, corpId) => groupsRepository.getGroup(db, corpId, query.id));
  const { group } = found;
  return {
    ok: true,
    group: { ...groupFields(group, group.hidden_fields), ownerName: group.owner_name, raw: group.raw },
    members: found.members.map(memberOf),
    admins: found.admins,
  };
}

/** The group's own fields, the same in the list and on its record. */
function groupFields(r: Omit<GroupRow, 'hidden_fields' | 'members'>, hiddenFields: string[]): Omit<Group, 'memberCount'> {
  return {
    corpId: r.corp_id, chatId: r.chat_id, name: r.name, owner: r.owner, createdAt: r.create_time, status: r.status, notice: r.notice,
    hiddenFields, firstSeenAt: r.first_seen_at, updatedAt: r.updated_at, deletedAt: r.deleted_at,
  };
}

function memberOf(m: GroupDetail['members'][number]): GroupMember {
  return {
    memberId: m.member_id, type: m.type, displayName: m.display_name, name: m.name, groupNickname: m.group_nickname, unionid: m.unionid,
    joinedAt: m.join_time, joinScene: m.join_scene, invitor: m.invitor, state: m.state, isOwner: m.is_owner, isAdmin: m.is_admin,
  };
}

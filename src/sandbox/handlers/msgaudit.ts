import { ERRCODE } from '../../wecom/errcodes.ts';
import { ApiError, invalid } from '../server/api-error.ts';
import { int, requireStr } from '../server/params.ts';
import { STREAM, rngFor } from '../random.ts';
import type { ApiCall, Handler } from './types.ts';

/**
 * Chat-archive HTTP APIs (wecom-api.md §4), answered from the company when no extension owns them
 * (the archive extension may replace any of these through `SandboxExtension.endpoints`).
 */

/** check_single_agree takes at most 100 pairs (301060 beyond). */
const MAX_AGREE_PAIRS = 100;

function agreeStatus(agree: boolean): 'Agree' | 'Disagree' {
  return agree ? 'Agree' : 'Disagree';
}

function checkSingleAgree(call: ApiCall): Record<string, unknown> {
  const info = call.params.info;
  if (!Array.isArray(info) || info.length === 0) throw invalid('info', 'expected a non-empty array');
  if (info.length > MAX_AGREE_PAIRS) throw new ApiError(ERRCODE.TOO_MANY_ITEMS, `${info.length} pairs`);
  const { company } = call.state;
  const agreeinfo = info.map((pair, i) => {
    if (!pair || typeof pair !== 'object') throw invalid(`info[${i}]`, 'expected an object');
    const entry = pair as Record<string, unknown>;
    // Note WeCom's own spelling, exteranalopenid (it carries an external_userid).
    const userid = requireStr(entry, 'userid', 64);
    const externalId = requireStr(entry, 'exteranalopenid');
    const member = company.employeeByUserid(userid);
    if (!member) throw new ApiError(ERRCODE.USERID_NOT_FOUND, `invalid string value \`${userid}\``);
    const customer = company.customerByExternalUserid(externalId);
    if (!customer) throw new ApiError(ERRCODE.INVALID_EXTERNAL_USERID, externalId);
    const consent = company.consent(member.index, customer.index);
    return { status_change_time: consent.changedAt, userid: member.userid, exteranalopenid: externalId, agree_status: agreeStatus(consent.agree) };
  });
  return { agreeinfo };
}

function checkRoomAgree(call: ApiCall): Record<string, unknown> {
  const roomid = requireStr(call.params, 'roomid');
  const { company } = call.state;
  const group = company.groupByChatId(roomid);
  if (!group) {
    if (company.internalGroupByRoomid(roomid)) return { agreeinfo: [] };
    throw invalid('roomid', `no group ${roomid}`);
  }
  const owner = company.groupOwnerIndex(group.index);
  return {
    agreeinfo: group.memberCustomerIds.map((id) => {
      const consent = company.consent(owner, company.customerByExternalUserid(id)!.index);
      return { status_change_time: consent.changedAt, exteranalopenid: id, agree_status: agreeStatus(consent.agree) };
    }),
  };
}

export const msgauditHandlers = {
  'msgaudit.getPermitUserList': (call) => {
    const type = int(call.params, 'type', { min: 1, max: 3 });
    const { company } = call.state;
    const ids: string[] = [];
    for (let e = 0; e < company.counts.employees; e++) {
      if (!company.hasEmployee(e)) continue;
      const member = company.employee(e);
      if (member.archiveLicense !== 0 && (type === undefined || member.archiveLicense === type)) ids.push(member.userid);
    }
    return { ids };
  },
  'msgaudit.checkSingleAgree': checkSingleAgree,
  'msgaudit.checkRoomAgree': checkRoomAgree,
  'msgaudit.groupchatGet': (call) => {
    const roomid = requireStr(call.params, 'roomid');
    const { company } = call.state;
    const room = company.internalGroupByRoomid(roomid);
    if (!room) throw company.groupByChatId(roomid) ? new ApiError(ERRCODE.NOT_INTERNAL_GROUP, roomid) : invalid('roomid', `no group ${roomid}`);
    const rng = rngFor(call.state.seed, STREAM.internalGroup, room.index, 1);
    const span = Math.max(1, company.timeRange.end - room.createTime);
    return {
      roomname: room.name, creator: room.creatorUserid, room_create_time: room.createTime, notice: room.notice,
      members: room.memberUserids.map((memberid, i) => ({ memberid, jointime: i === 0 ? room.createTime : room.createTime + rng.int(span) })),
    };
  },
  'msgaudit.getRobotInfo': (call) => {
    const robotId = requireStr(call.params, 'robot_id');
    const robot = call.state.company.robotById(robotId);
    if (!robot) throw invalid('robot_id', `no robot ${robotId}`);
    return { data: { robot_id: robot.robot_id, name: robot.name, creator_userid: robot.creatorUserid } };
  },
} satisfies Record<string, Handler>;

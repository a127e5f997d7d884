import { ERRCODE } from '../../wecom/errcodes.ts';
import { hash32 } from '../random.ts';
import type { SandboxArchive } from './archive.ts';
import { wecomAnswer } from '../server/api-error.ts';

/**
 * The chat-archive HTTP APIs (wecom-api.md §4, archive-sdk.md §1.7), answered from the same data the
 * archive is generated from: the permit list is who is archived, consent matches the agree/disagree
 * messages, robots are those that post in the groups.
 */

type Handler = (params: Record<string, unknown>, credential: string) => unknown;

const OK = { errcode: 0, errmsg: 'ok' } as const;
const FORBIDDEN = wecomAnswer(ERRCODE.API_FORBIDDEN, 'needs the chat archive secret');
const INVALID = wecomAnswer(ERRCODE.INVALID_PARAMETER);
/** check_single_agree takes at most 100 pairs (wecom-api.md §4). */
const MAX_PAIRS = 100;

const seconds = (ms: number) => Math.floor(ms / 1000);

export function msgauditEndpoints(archive: SandboxArchive, now: () => Date): Record<string, Handler> {
  const { cast, consent } = archive.generator;
  const company = cast.company;
  const currentIndex = () => archive.timeline.lastAtOrBefore(now().getTime());
  const statusOf = (employee: number, customer: number) => {
    const status = consent.status(employee, customer, currentIndex());
    return { status_change_time: seconds(status.changedAt), agree_status: status.agree ? 'Agree' : 'Disagree' };
  };
  // Only the archive secret's token may call these (an app token gets 48002, WxJava#3563).
  const archiveOnly = (handler: Handler): Handler => (params, credential) => (credential === 'archive' ? handler(params, credential) : FORBIDDEN);

  const handlers: Record<string, Handler> = {
    'msgaudit.getPermitUserList': (params) => {
      const type = params.type === undefined ? undefined : Number(params.type);
      if (type !== undefined && ![1, 2, 3].includes(type)) return INVALID;
      const ids: string[] = [];
      for (const e of cast.licensed) {
        if (type === undefined || cast.licenceOf(e) === type) ids.push(cast.employee(e).id);
      }
      return { ...OK, ids };
    },

    'msgaudit.checkSingleAgree': (params) => {
      const info = params.info;
      if (!Array.isArray(info) || info.length === 0) return INVALID;
      if (info.length > MAX_PAIRS) return wecomAnswer(ERRCODE.TOO_MANY_ITEMS, `${info.length} pairs`);
      const agreeinfo = [];
      for (const pair of info as Array<Record<string, unknown>>) {
        // Note WeCom's own spelling, exteranalopenid (it carries an external_userid).
        const userid = String(pair?.userid ?? '');
        const externalId = String(pair?.exteranalopenid ?? '');
        const employee = company.employeeByUserid(userid);
        if (!employee) return wecomAnswer(ERRCODE.USERID_NOT_FOUND, `invalid string value \`${userid}\``);
        const customer = company.customerByExternalUserid(externalId);
        if (!customer) return wecomAnswer(ERRCODE.INVALID_EXTERNAL_USERID, externalId);
        agreeinfo.push({ userid: employee.userid, exteranalopenid: externalId, ...statusOf(employee.index, customer.index) });
      }
      return { ...OK, agreeinfo };
    },

    'msgaudit.checkRoomAgree': (params) => {
      const roomid = String(params.roomid ?? '');
      if (company.internalGroupByRoomid(roomid)) return { ...OK, agreeinfo: [] };
      const group = company.groupByChatId(roomid);
      if (!group) return INVALID;
      const agreeinfo = group.memberCustomerIds.flatMap((id) => {
        const customer = company.customerByExternalUserid(id);
        if (!customer) return [];
        const employee = cast.consentFollower(customer.index) ?? company.followersOf(customer.index)[0];
        return [{ exteranalopenid: id, ...statusOf(employee, customer.index) }];
      });
      return { ...OK, agreeinfo };
    },

    'msgaudit.groupchatGet': (params) => {
      const group = company.internalGroupByRoomid(String(params.roomid ?? ''));
      if (!group) return wecomAnswer(ERRCODE.NOT_INTERNAL_GROUP, 'use externalcontact/groupchat/get');
      return {
        ...OK,
        roomname: group.name,
        creator: group.creatorUserid,
        room_create_time: group.createTime,
        notice: group.notice,
        members: group.memberUserids.map((memberid, position) => ({
          memberid,
          // The creator joins at creation; the others some days later.
          jointime: position === 0 ? group.createTime : group.createTime + (hash32(company.seed, group.index, position) % (30 * 86_400)),
        })),
      };
    },

    'msgaudit.getRobotInfo': (params) => {
      const robot = company.robotById(String(params.robot_id ?? ''));
      if (!robot) return wecomAnswer(ERRCODE.INVALID_PARAMETER, 'invalid robot_id');
      return { ...OK, data: { robot_id: robot.robot_id, name: robot.name, creator_userid: robot.creatorUserid } };
    },
  };
  return Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, archiveOnly(handler)]));
}

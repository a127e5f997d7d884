/**
 * Request and response shapes of the chat-archive HTTP endpoints (wecom-api.md §4), keyed in types.ts
 * by the catalogue names. `exteranalopenid` is WeCom's own misspelling: it carries an external_userid.
 */

export interface GetPermitUserListReq { /** 1 办公版, 2 服务版, 3 企业版; omitted = all. */ type?: 1 | 2 | 3 }
export interface GetPermitUserListRes { ids: string[] }

export type AgreeStatus = 'Agree' | 'Disagree';
export interface CheckSingleAgreeReq { /** ≤100 pairs (301060). */ info: Array<{ userid: string; exteranalopenid: string }> }
export interface CheckSingleAgreeRes {
  agreeinfo: Array<{ status_change_time: number; userid: string; exteranalopenid: string; agree_status: AgreeStatus }>;
}
export interface CheckRoomAgreeReq { roomid: string }
export interface CheckRoomAgreeRes {
  agreeinfo: Array<{ status_change_time: number; exteranalopenid: string; agree_status: AgreeStatus }>;
}

export interface MsgauditGroupchatGetReq { roomid: string }
export interface MsgauditGroupchatGetRes {
  roomname: string;
  creator: string;
  room_create_time: number;
  notice: string;
  members: Array<{ memberid: string; jointime: number }>;
}

export interface GetRobotInfoReq { /** The wb… id seen in archived messages. */ robot_id: string }
export interface GetRobotInfoRes { data: { robot_id: string; name: string; creator_userid: string } }

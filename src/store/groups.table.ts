import type { RecordColumns } from './record.table.ts';

/** Customer groups (externalcontact/groupchat/get, wecom-api.md §3). */
export interface CustomerGroupTable extends RecordColumns {
  corp_id: string;
  /** `wr…` */
  chat_id: string;
  name: string | null;
  owner: string | null;
  create_time: number | null;
  notice: string | null;
  /** 0 normal, 1 owner resigned, 2 inheritance in progress, 3 inheritance done. */
  status: number | null;
}

export interface GroupMemberTable {
  corp_id: string;
  chat_id: string;
  /** userid (type 1) or external_userid (type 2). */
  member_id: string;
  /** 1 member of the corp, 2 external. */
  type: number | null;
  unionid: string | null;
  join_time: number | null;
  /** 1 direct invite, 2 invite link, 3 QR code. */
  join_scene: number | null;
  invitor: string | null;
  group_nickname: string | null;
  name: string | null;
  state: string | null;
}

export interface GroupAdminTable {
  corp_id: string;
  chat_id: string;
  userid: string;
}

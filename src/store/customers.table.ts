import type { RecordColumns } from './record.table.ts';

/** Customer-contact tables (wecom-api.md §3). */

/** An external contact (`external_contact` of externalcontact/get or batch/get_by_user). */
export interface CustomerTable extends RecordColumns {
  corp_id: string;
  /** `wo…`/`wm…` */
  external_userid: string;
  name: string | null;
  /** 1 WeChat user, 2 WeCom user. */
  type: number | null;
  gender: number | null;
  corp_name: string | null;
  corp_full_name: string | null;
  position: string | null;
  avatar: string | null;
  unionid: string | null;
}

/** Employee ↔ customer (`follow_user` / `follow_info`): one record per pair. */
export interface FollowRelationTable extends RecordColumns {
  corp_id: string;
  external_userid: string;
  userid: string;
  remark: string | null;
  description: string | null;
  /** When the employee added the customer, epoch ms (WeCom sends seconds). */
  createtime: number | null;
  remark_corp_name: string | null;
  /** JSON array of strings. */
  remark_mobiles: string | null;
  oper_userid: string | null;
  /** 0 unknown, 1 QR code, 2 phone search, … 202 admin assignment (wecom-api.md §3). */
  add_way: number | null;
  /** The 「联系我」 channel `state`. */
  state: string | null;
}

/** Tags on a follow relation. batch/get_by_user gives ids only; externalcontact/get adds names and type. */
export interface FollowRelationTagTable {
  corp_id: string;
  external_userid: string;
  userid: string;
  tag_id: string;
  /** 1 corp tag, 2 personal tag, 3 rule-group tag. */
  tag_type: number | null;
  /** Personal tags exist only here; corp tags are also named in the tag library. */
  tag_name: string | null;
  group_name: string | null;
}

/** The corp tag library (get_corp_tag_list): groups, with their tags as child rows. */
export interface CorpTagGroupTable extends RecordColumns {
  corp_id: string;
  group_id: string;
  name: string | null;
  create_time: number | null;
  sort_order: number | null;
}

export interface CorpTagTable {
  corp_id: string;
  group_id: string;
  tag_id: string;
  name: string | null;
  create_time: number | null;
  sort_order: number | null;
}

/** 「联系我」 contact ways (get_contact_way). Store config_id: WeCom cannot list older ones. */
export interface ContactWayTable extends RecordColumns {
  corp_id: string;
  config_id: string;
  /** 1 single, 2 multi. */
  type: number | null;
  /** 1 mini-program, 2 QR code. */
  scene: number | null;
  style: number | null;
  remark: string | null;
  skip_verify: number | null;
  state: string | null;
  qr_code: string | null;
  is_temp: number | null;
  expires_in: number | null;
  chat_expires_in: number | null;
  unionid: string | null;
  /** JSON array of userids. */
  user_ids: string | null;
  /** JSON array of department ids. */
  party_ids: string | null;
}

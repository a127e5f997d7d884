/**
 * Request and response shapes of the customer-contact endpoints (wecom-api.md §3), keyed in types.ts
 * by the catalogue names. external_userid starts with wo/wm; customer group chat_id with wr.
 */

export interface ExternalContact {
  external_userid: string;
  name: string;
  position?: string;
  avatar?: string;
  corp_name?: string;
  corp_full_name?: string;
  /** 1 WeChat user, 2 WeCom user. */ type: 1 | 2;
  /** 0 unknown, 1 male, 2 female. */ gender?: 0 | 1 | 2;
  /** Only when the corp bound a WeChat open-platform account. */ unionid?: string;
  external_profile?: Record<string, unknown>;
}

/**
 * 0 unknown, 1 QR, 2 phone search, 3 card share, 4 group chat, 5 phone contacts, 6 WeChat contact,
 * 7 WeChat friend request, 8 third-party CS, 9 email search, 201 internal share, 202 admin assignment.
 */
export type AddWay = number;

export interface FollowUser {
  userid: string;
  remark?: string;
  description?: string;
  createtime: number;
  /** type: 1 corp tag, 2 personal tag, 3 rule-group tag. */
  tags?: Array<{ group_name: string; tag_name: string; tag_id?: string; type: 1 | 2 | 3 }>;
  remark_corp_name?: string;
  remark_mobiles?: string[];
  oper_userid?: string;
  add_way?: AddWay;
  /** The 「联系我」 channel's state. */ state?: string;
}

export interface FollowInfo extends Omit<FollowUser, 'tags'> {
  /** Corp and rule-group tag ids only; personal tags are not returned. */ tag_id?: string[];
}

export interface FollowUserListRes { follow_user: string[] }
export interface ExternalcontactListReq { userid: string }
export interface ExternalcontactListRes { external_userid: string[] }

export interface ExternalcontactGetReq { external_userid: string; cursor?: string }
export interface ExternalcontactGetRes {
  external_contact: ExternalContact;
  /** Paged only beyond 500 followers. */ follow_user: FollowUser[];
  next_cursor?: string;
}

export interface BatchGetByUserReq { /** ≤100. */ userid_list: string[]; cursor?: string; /** 1–100, default 50. */ limit?: number }
export interface BatchGetByUserRes {
  external_contact_list: Array<{ external_contact: ExternalContact; follow_info: FollowInfo }>;
  next_cursor: string;
}

export interface RemarkReq {
  userid: string;
  external_userid: string;
  remark?: string;
  description?: string;
  remark_company?: string;
  /** Overwrites; [""] clears. */ remark_mobiles?: string[];
  remark_pic_mediaid?: string;
}

export interface CorpTag { id: string; name: string; create_time: number; order: number; deleted?: boolean }
export interface CorpTagGroup {
  group_id: string;
  group_name: string;
  create_time: number;
  order: number;
  deleted?: boolean;
  tag: CorpTag[];
}
export interface GetCorpTagListReq { tag_id?: string[]; group_id?: string[] }
export interface GetCorpTagListRes { tag_group: CorpTagGroup[] }
export interface AddCorpTagReq {
  group_id?: string;
  group_name?: string;
  order?: number;
  tag: Array<{ name: string; order?: number }>;
  agentid?: number;
}
export interface AddCorpTagRes { tag_group: CorpTagGroup }
export interface EditCorpTagReq { id: string; name?: string; order?: number; agentid?: number }
export interface DelCorpTagReq { tag_id?: string[]; group_id?: string[]; agentid?: number }
export interface MarkTagReq { userid: string; external_userid: string; add_tag?: string[]; remove_tag?: string[] }

/** 0 normal, 1 owner resigned (待继承), 2 inheritance in progress, 3 inheritance done. */
export type GroupChatStatus = 0 | 1 | 2 | 3;
export interface GroupchatListReq {
  /** 0 = all. */ status_filter?: GroupChatStatus;
  owner_filter?: { /** ≤100. */ userid_list: string[] };
  cursor?: string;
  /** 1–1000, required by WeCom (the client fills it). */ limit?: number;
}
export interface GroupchatListRes { group_chat_list: Array<{ chat_id: string; status: GroupChatStatus }>; next_cursor?: string }

export interface GroupChatMember {
  userid: string;
  /** 1 member, 2 external contact. */ type: 1 | 2;
  unionid?: string;
  join_time: number;
  /** 1 direct invite, 2 invite link, 3 QR. */ join_scene: 1 | 2 | 3;
  invitor?: { userid: string };
  group_nickname?: string;
  /** Only with need_name=1. */ name?: string;
  state?: string;
}
export interface GroupchatGetReq { chat_id: string; need_name?: 0 | 1 }
export interface GroupchatGetRes {
  group_chat: {
    chat_id: string;
    name: string;
    owner: string;
    create_time: number;
    notice?: string;
    member_list: GroupChatMember[];
    admin_list?: Array<{ userid: string }>;
    member_version?: string;
  };
}

export interface ContactWayFields {
  /** 1 single member, 2 several. */ type: 1 | 2;
  /** 1 mini-program, 2 QR code. */ scene: 1 | 2;
  style?: number;
  remark?: string;
  skip_verify?: boolean;
  state?: string;
  user?: string[];
  party?: number[];
  is_temp?: boolean;
  expires_in?: number;
  chat_expires_in?: number;
  unionid?: string;
  conclusions?: Record<string, unknown>;
}
export type AddContactWayReq = ContactWayFields;
export interface AddContactWayRes { config_id: string; /** scene=2 only. */ qr_code?: string }
export interface ConfigIdReq { config_id: string }
export interface GetContactWayRes { contact_way: ContactWayFields & { config_id: string; qr_code?: string } }
export interface ListContactWayReq { start_time?: number; end_time?: number; cursor?: string; /** ≤1000, default 100. */ limit?: number }
export interface ListContactWayRes { contact_way: Array<{ config_id: string }>; next_cursor?: string }
export type UpdateContactWayReq = ConfigIdReq & Partial<Omit<ContactWayFields, 'type' | 'scene' | 'is_temp'>>;
export interface CloseTempChatReq { userid: string; external_userid: string }

export interface GetUnassignedListReq { cursor?: string; /** ≤1000. */ page_size?: number }
export interface GetUnassignedListRes {
  info: Array<{ handover_userid: string; external_userid: string; dimission_time: number }>;
  is_last: boolean;
  next_cursor?: string;
}
export interface TransferCustomerReq {
  handover_userid: string;
  takeover_userid: string;
  /** ≤100. */ external_userid: string[];
  /** On-job handover only: the message shown to the customer. */ transfer_success_msg?: string;
}
export interface TransferCustomerRes { customer: Array<{ external_userid: string; errcode: number }> }
export interface TransferResultReq { handover_userid: string; takeover_userid: string; cursor?: string }
export interface TransferResultRes {
  /** status: 1 done, 2 waiting, 3 refused by the customer, 4 taker over limit. */
  customer: Array<{ external_userid: string; status: number; takeover_time: number }>;
  next_cursor?: string;
}
export interface GroupchatTransferReq { chat_id_list: string[]; new_owner: string }
export interface GroupchatTransferRes { failed_chat_list?: Array<{ chat_id: string; errcode: number; errmsg: string }> }

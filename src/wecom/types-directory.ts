/**
 * Request and response shapes of the token and directory endpoints (wecom-api.md §1, §2), keyed in
 * types.ts by the same catalogue names as endpoints.ts. Fields marked sensitive are absent for apps
 * created after 2022-06-20 (§2.1), hence optional.
 */

export interface TokenGetReq { corpid: string; corpsecret: string }
export interface TokenGetRes { access_token: string; expires_in: number }

export interface Department {
  id: number;
  name: string;
  name_en?: string;
  department_leader?: string[];
  parentid: number;
  order: number;
}
export interface DepartmentIdsReq { /** Subtree root (recursive); omitted = the whole visible tree. */ id?: number }
export interface DepartmentListRes { department: Department[] }
export interface DepartmentSimplelistRes { department_id: Array<{ id: number; parentid: number; order: number }> }
export interface DepartmentGetReq { id: number }
export interface DepartmentGetRes { department: Department }

/** 1 activated, 2 disabled, 4 not activated, 5 left the corp. */
export type UserStatus = 1 | 2 | 4 | 5;

export interface UserExtAttr {
  /** 0 text, 1 web, 2 mini-program. */
  type: 0 | 1 | 2;
  name: string;
  text?: { value: string };
  web?: { url: string; title: string };
  miniprogram?: { appid: string; pagepath: string; title: string };
}

export interface User {
  userid: string;
  name: string;
  department: number[];
  order?: number[];
  position?: string;
  /** Sensitive. */ mobile?: string;
  /** Sensitive; a string "0" unknown, "1" male, "2" female. */ gender?: '0' | '1' | '2';
  /** Sensitive. */ email?: string;
  /** Sensitive. */ biz_mail?: string;
  is_leader_in_dept?: number[];
  /** At most 5. */ direct_leader?: string[];
  /** Sensitive. */ avatar?: string;
  /** Sensitive. */ thumb_avatar?: string;
  telephone?: string;
  alias?: string;
  /** Sensitive. */ address?: string;
  open_userid?: string;
  main_department?: number;
  extattr?: { attrs: UserExtAttr[] };
  status: UserStatus;
  /** Sensitive. */ qr_code?: string;
  external_position?: string;
  external_profile?: { external_corp_name?: string; external_attr?: UserExtAttr[] };
}

export interface UserSimple { userid: string; name: string; department: number[]; open_userid?: string }
export interface DepartmentMembersReq { department_id: number }
export interface UserSimplelistRes { userlist: UserSimple[] }
export interface UserListRes { userlist: User[] }

export interface UserListIdReq { cursor?: string; /** 1–10000. */ limit?: number }
export interface UserListIdRes {
  /** Empty when done. */ next_cursor: string;
  /** One row per (user, department). */ dept_user: Array<{ userid: string; department: number; open_userid?: string }>;
}

export interface UserGetReq { userid: string }
export interface UserGetuseridReq { mobile: string }
export interface UserGetUseridByEmailReq { email: string; /** 1 corp mail (default), 2 personal mail. */ email_type?: 1 | 2 }
export interface UseridRes { userid: string }

export interface Tag { tagid: number; tagname: string }
export interface TagListRes { taglist: Tag[] }
export interface TagGetReq { tagid: number }
export interface TagGetRes { tagname: string; userlist: Array<{ userid: string; name: string }>; partylist: number[] }

export interface AuthGetuserinfoReq { code: string }
export interface AuthGetuserinfoRes { userid?: string; user_ticket?: string; openid?: string; external_userid?: string }
export interface AuthGetuserdetailReq { user_ticket: string }
export interface AuthGetuserdetailRes {
  userid: string;
  gender?: '0' | '1' | '2';
  avatar?: string;
  qr_code?: string;
  mobile?: string;
  email?: string;
  biz_mail?: string;
  address?: string;
}

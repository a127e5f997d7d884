/**
 * The read interface of a generated sandbox company. Every record is derived from (seed, index), so a
 * `large` company costs little memory. Fields may be added; none of these may be removed, as the
 * sandbox's archive generator and tests build on them. This is the company as generated: writes made
 * through the API (remarks, tags, contact ways) live in the server's overlay, not here.
 */
export interface SandboxDepartment {
  id: number;
  name: string;
  name_en: string;
  /** 0 for the root (id 1). */
  parentid: number;
  order: number;
  /** 0 for the root. */
  depth: number;
  /** Userids of the department's leaders (the first member, if any). */
  leaders: string[];
}

export interface SandboxEmployee {
  index: number;
  userid: string;
  name: string;
  /** Department ids, main first. */
  department: number[];
  position: string;
  /** Customer contact enabled (appears in get_follow_user_list). */
  followUser: boolean;
  // Added by the sandbox server engineer:
  mainDepartment: number;
  /** Order within each department, aligned with `department`. */
  order: number[];
  /** 1/0 per department, aligned with `department`. */
  isLeaderInDept: number[];
  directLeader: string[];
  /** 1 male, 2 female (user/get sends it as a string). */
  gender: 1 | 2;
  mobile: string;
  email: string;
  bizMail: string;
  alias: string;
  telephone: string;
  avatar: string;
  /** 1 activated, 2 disabled, 4 not activated. */
  status: 1 | 2 | 4;
  /** Chat archive licence: 0 none, 1 办公版, 2 服务版, 3 企业版 (get_permit_user_list `type`). */
  archiveLicense: 0 | 1 | 2 | 3;
}

export interface SandboxCustomer {
  index: number;
  /** `wm…` (WeChat user) or `wo…` (WeCom user). */
  external_userid: string;
  name: string;
  /** 1 WeChat user, 2 WeCom user. */
  type: 1 | 2;
  // Added by the sandbox server engineer:
  /** 0 unknown, 1 male, 2 female. */
  gender: 0 | 1 | 2;
  avatar: string;
  /** Only when the corp bound an open-platform account; absent for some customers. */
  unionid?: string;
  /** WeCom users (type 2) only. */
  corpName?: string;
  corpFullName?: string;
  position?: string;
}

/** One follow relation (member ↔ customer) as generated. */
export interface SandboxFollow {
  employeeIndex: number;
  customerIndex: number;
  userid: string;
  remark: string;
  description: string;
  /** Unix seconds. */
  createtime: number;
  /** Corp tag ids (from `corpTags()`). */
  tagIds: string[];
  /** Personal tags (type 2): names only, never returned by batch/get_by_user. */
  personalTags: string[];
  remarkCorpName: string;
  remarkMobiles: string[];
  operUserid: string;
  addWay: number;
  state: string;
}

export interface SandboxGroup {
  index: number;
  /** `wr…` */
  chat_id: string;
  name: string;
  ownerUserid: string;
  /** Internal members' userids (owner included). */
  memberUserids: string[];
  /** External members' external_userids. */
  memberCustomerIds: string[];
  // Added by the sandbox server engineer:
  /** 0 normal, 1 owner resigned, 2 inheritance in progress, 3 inheritance done. */
  status: 0 | 1 | 2 | 3;
  createTime: number;
  notice: string;
  adminUserids: string[];
}

/** An internal group (members are employees only): msgaudit/groupchat/get. */
export interface SandboxInternalGroup {
  index: number;
  roomid: string;
  name: string;
  creatorUserid: string;
  createTime: number;
  notice: string;
  memberUserids: string[];
}

export interface SandboxRobot {
  index: number;
  robot_id: string;
  name: string;
  creatorUserid: string;
}

export interface SandboxCorpTagGroup {
  group_id: string;
  group_name: string;
  create_time: number;
  order: number;
  tag: Array<{ id: string; name: string; create_time: number; order: number }>;
}

export interface SandboxContactWay {
  config_id: string;
  type: 1 | 2;
  scene: 1 | 2;
  style: number;
  remark: string;
  skip_verify: boolean;
  state: string;
  qr_code?: string;
  user: string[];
  party: number[];
  is_temp: boolean;
  expires_in?: number;
  chat_expires_in?: number;
  create_time: number;
}

/** A member who left the corp; their customers wait for reassignment (get_unassigned_list). */
export interface SandboxDepartedMember {
  userid: string;
  name: string;
  /** Unix seconds. */
  dimissionTime: number;
  /** external_userids of the customers they left behind. */
  customerIds: string[];
}

export interface SandboxMemberTag {
  tagid: number;
  tagname: string;
  userids: string[];
  partylist: number[];
}

export interface CompanyView {
  seed: number;
  size: 'small' | 'large';
  counts: {
    departments: number;
    employees: number;
    customers: number;
    follow_relations: number;
    groups: number;
    // Added by the sandbox server engineer:
    internal_groups: number;
    robots: number;
    corp_tags: number;
    contact_ways: number;
    departed_members: number;
  };
  employee(index: number): SandboxEmployee;
  customer(index: number): SandboxCustomer;
  group(index: number): SandboxGroup;
  /** Employee indexes following a customer (at least one). */
  followersOf(customerIndex: number): number[];
  /** Customer indexes an employee follows. */
  customersOf(employeeIndex: number): number[];

  // Added by the sandbox server engineer:
  corpId: string;
  corpName: { short: string; full: string; domain: string };
  /** Unix seconds bounding every generated timestamp (independent of the sandbox clock). */
  timeRange: { start: number; end: number };
  /** Every department, parents before children (root id 1 first). */
  departments(): SandboxDepartment[];
  department(id: number): SandboxDepartment | undefined;
  /** Employee indexes whose department list contains the department (not its sub-departments). */
  membersOf(departmentId: number): number[];
  /** Case-insensitive, as WeCom treats userids. */
  employeeByUserid(userid: string): SandboxEmployee | undefined;
  employeeByMobile(mobile: string): SandboxEmployee | undefined;
  employeeByEmail(email: string): SandboxEmployee | undefined;
  customerByExternalUserid(externalUserid: string): SandboxCustomer | undefined;
  /** The relation between a customer and one of its followers, or undefined if none. */
  follow(customerIndex: number, employeeIndex: number): SandboxFollow | undefined;
  groupByChatId(chatId: string): SandboxGroup | undefined;
  /** A group's owner and status without deriving its members (groupchat/list filters on them). */
  groupOwnerIndex(index: number): number;
  groupChatId(index: number): string;
  groupStatus(index: number): 0 | 1 | 2 | 3;
  internalGroup(index: number): SandboxInternalGroup;
  internalGroupByRoomid(roomid: string): SandboxInternalGroup | undefined;
  robot(index: number): SandboxRobot;
  robotById(robotId: string): SandboxRobot | undefined;
  /** The corp tag library as generated (tag ids start with `et`). */
  corpTags(): SandboxCorpTagGroup[];
  /** Contact ways as generated (the server adds and edits its own copy). */
  contactWays(): SandboxContactWay[];
  memberTags(): SandboxMemberTag[];
  /** Members who left, not in the directory any more (userids never collide with current ones). */
  departedMembers(): SandboxDepartedMember[];
  /** The member exists (generated companies: every index; the live company: not deleted since). */
  hasEmployee(index: number): boolean;
  /** The customer group exists (not dismissed since). */
  hasGroup(index: number): boolean;
  /** A customer's chat-archive consent towards a member (check_single_agree). */
  consent(employeeIndex: number, customerIndex: number): { agree: boolean; changedAt: number };
}

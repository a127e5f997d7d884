import type { ConsentEvent } from '../../archive/coverage/report.ts';

/**
 * The directory services' results: employees, departments (as a tree), customers and customer
 * groups, listed across every configured corp (or `--corp`'s), and one customer or group in full.
 * Coded values stay codes here (status, type, gender, addWay); the faces show their labels.
 * Times are UTC epoch ms. A field WeCom withheld from the app is null and named in `hiddenFields`.
 */

/** What every list takes: the corp (undefined: every configured corp), and a cap. */
export interface ListQuery {
  corp?: string;
  search?: string;
  includeDeleted?: boolean;
  /** At most this many rows (undefined: all); `truncated` says whether rows were left out. */
  limit?: number;
}

export interface EmployeeQuery extends ListQuery {
  /** Members of this department and of every department below it. */
  department?: number;
  /** A member tag's id or name: its members only (a name no tag has matches nobody). */
  tag?: string;
}

export interface DepartmentQuery extends ListQuery {
  /** This department and those below it. */
  department?: number;
}

export interface CustomerQuery extends ListQuery {
  /** Followed by this member. */
  followUser?: string;
  /** Followed by a member of this department or one below it. */
  department?: number;
  /** A corp tag's id or name (every tag of that name): customers carrying it on a live relation. */
  tag?: string;
}

export interface GroupQuery extends ListQuery {
  /** Owned by, or a member of: this member. */
  followUser?: string;
}

/** One record in full: its id, in whichever corp has it (or `corp`'s). */
export interface RecordQuery {
  corp?: string;
  id: string;
  /** Customers: also the follow relations that were removed. */
  includeDeleted?: boolean;
}

interface Tracked {
  corpId: string;
  hiddenFields: string[];
  firstSeenAt: number;
  updatedAt: number;
  /** When WeCom stopped listing it (kept, marked deleted); null while it is live. */
  deletedAt: number | null;
}

export interface Employee extends Tracked {
  userid: string;
  name: string | null;
  alias: string | null;
  position: string | null;
  mainDepartment: number | null;
  /** The main department's name; null when that department is not in the store. */
  mainDepartmentName: string | null;
  /** 1 active, 2 disabled, 4 not activated, 5 left. */
  status: number | null;
  /** 0 unknown, 1 male, 2 female. */
  gender: number | null;
  mobile: string | null;
  email: string | null;
  bizMail: string | null;
  telephone: string | null;
  avatar: string | null;
  openUserid: string | null;
  directLeaders: string[];
  externalPosition: string | null;
}

export interface Department extends Tracked {
  id: number;
  name: string | null;
  nameEn: string | null;
  parentId: number | null;
  /** WeCom's order among siblings (higher first). */
  order: number | null;
  /** Levels below the top of the corp's tree (the root department is 0). */
  depth: number;
  /** The names of the departments above it, top first: tells apart two departments of one name. */
  path: string[];
  /** Live members directly in it (not in the departments below). */
  memberCount: number;
  leaderUserids: string[];
}

export interface Customer extends Tracked {
  externalUserid: string;
  name: string | null;
  /** 1 WeChat user, 2 WeCom user. */
  type: number | null;
  /** 0 unknown, 1 male, 2 female. */
  gender: number | null;
  corpName: string | null;
  corpFullName: string | null;
  position: string | null;
  avatar: string | null;
  unionid: string | null;
  /** Members following the customer (live relations). */
  followerCount: number;
}

export interface FollowTag {
  tagId: string;
  name: string | null;
  groupName: string | null;
  /** 1 corp tag, 2 personal tag, 3 rule-group tag; null when the relation came without it. */
  type: number | null;
}

/** A member following a customer: what they wrote about them and how they were added. */
export interface Follow {
  userid: string;
  employeeName: string | null;
  remark: string | null;
  description: string | null;
  remarkCorpName: string | null;
  remarkMobiles: string[];
  /** When the member added the customer. */
  addedAt: number | null;
  /** 0 unknown, 1 QR code, 2 phone search, … 202 admin assignment (wecom-api.md §3). */
  addWay: number | null;
  operUserid: string | null;
  /** The 「联系我」 channel. */
  state: string | null;
  hiddenFields: string[];
  deletedAt: number | null;
  tags: FollowTag[];
}

export interface Group extends Tracked {
  chatId: string;
  name: string | null;
  owner: string | null;
  createdAt: number | null;
  /** 0 normal, 1 owner left, 2 being inherited, 3 inherited. */
  status: number | null;
  notice: string | null;
  memberCount: number;
}

export interface GroupMember {
  memberId: string;
  /** 1 member of the corp, 2 customer. */
  type: number | null;
  /** The group nickname, else the name WeCom gave, else the employee's or customer's name. */
  displayName: string | null;
  name: string | null;
  groupNickname: string | null;
  unionid: string | null;
  joinedAt: number | null;
  joinScene: number | null;
  invitor: string | null;
  state: string | null;
  isOwner: boolean;
  isAdmin: boolean;
}

export interface EmployeesResult { ok: true; employees: Employee[]; truncated: boolean }
export interface DepartmentsResult { ok: true; departments: Department[]; truncated: boolean }
export interface CustomersResult { ok: true; customers: Customer[]; truncated: boolean }
export interface GroupsResult { ok: true; groups: Group[]; truncated: boolean }

/** `customers <id>`: the customer with everyone following them, and their consent to the archive (newest first). */
export interface CustomerDetailResult {
  ok: true;
  customer: Omit<Customer, 'followerCount'> & { raw: unknown };
  follows: Follow[];
  consent: ConsentEvent[];
}

/** `groups <chat_id>`: the group with its members and admins. */
export interface GroupDetailResult {
  ok: true;
  group: Omit<Group, 'memberCount'> & { ownerName: string | null; raw: unknown };
  members: GroupMember[];
  admins: string[];
}

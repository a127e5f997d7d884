import type { CompanyView } from '../company/view.ts';
import { hash32 } from '../random.ts';

/**
 * Who takes part in the archive: the company's employees (only those with an archive licence are
 * archived, get_permit_user_list), customers, groups and robots, with the few indexes the generator
 * needs kept in typed arrays and the ids it uses cached, so re-deriving a message stays cheap.
 */

/** Random streams of the archive generator (the company uses 1–18, see src/sandbox/random.ts). */
export const ARCHIVE_STREAM = {
  conversation: 201, sender: 202, type: 203, content: 204, key: 205, follower: 206, robot: 207,
  msgid: 208, permutation: 209, media: 210,
} as const;

export interface Member {
  id: string;
  kind: 'employee' | 'customer' | 'robot';
  index: number;
}

export interface SingleChat {
  kind: 'single';
  a: Member;
  b: Member;
}

export interface GroupChat {
  kind: 'group';
  roomid: string;
  name: string;
  internal: boolean;
  members: Member[];
  /** The group's robot, if one posts there. */
  robot: Member | null;
}

export type Conversation = SingleChat | GroupChat;

export function isExternal(conversation: Conversation): boolean {
  if (conversation.kind === 'single') return conversation.a.kind === 'customer' || conversation.b.kind === 'customer';
  return !conversation.internal;
}

export class Cast {
  /** Employees with an archive licence. */
  readonly licensed: Int32Array;
  /** Customers with at least one licensed follower: only their chats can be archived. */
  readonly reachable: Int32Array;
  private readonly licence: Uint8Array;
  private readonly reachablePosition: Int32Array;
  private readonly userids: string[] = [];
  private readonly customerIds = new Map<number, string>();
  private readonly groups = new Map<string, GroupChat>();

  constructor(readonly company: CompanyView, private readonly seed: number) {
    const employees = company.counts.employees;
    this.licence = new Uint8Array(employees);
    const licensed: number[] = [];
    for (let e = 0; e < employees; e++) {
      const employee = company.employee(e);
      this.userids[e] = employee.userid;
      this.licence[e] = employee.archiveLicense;
      if (employee.archiveLicense > 0) licensed.push(e);
    }
    // A company where nobody is licensed would archive nothing: the first employee then counts as
    // licensed (企业版), here and in get_permit_user_list alike.
    if (licensed.length === 0 && employees > 0) {
      this.licence[0] = 3;
      licensed.push(0);
    }
    this.licensed = Int32Array.from(licensed);
    const customers = company.counts.customers;
    this.reachablePosition = new Int32Array(customers).fill(-1);
    const reachable: number[] = [];
    for (let c = 0; c < customers; c++) {
      if (this.licensedFollowers(c).length > 0) {
        this.reachablePosition[c] = reachable.length;
        reachable.push(c);
      }
    }
    this.reachable = Int32Array.from(reachable);
  }

  isLicensed(e: number): boolean {
    return this.licence[e] > 0;
  }

  /** 1 办公版, 2 服务版, 3 企业版; 0 none. */
  licenceOf(e: number): number {
    return this.licence[e] ?? 0;
  }

  employee(e: number): Member {
    return { id: this.userids[e], kind: 'employee', index: e };
  }

  customer(c: number): Member {
    let id = this.customerIds.get(c);
    if (id === undefined) {
      id = this.company.customer(c).external_userid;
      this.customerIds.set(c, id);
    }
    return { id, kind: 'customer', index: c };
  }

  licensedFollowers(c: number): number[] {
    return this.company.followersOf(c).filter((e) => this.isLicensed(e));
  }

  /** Position of a customer in `reachable`, or -1. */
  reachableIndexOf(c: number): number {
    return this.reachablePosition[c] ?? -1;
  }

  /** The member a customer's consent messages are exchanged with: one fixed licensed follower. */
  consentFollower(c: number): number | undefined {
    const followers = this.licensedFollowers(c);
    return followers.length > 0 ? followers[hash32(this.seed, ARCHIVE_STREAM.follower, c) % followers.length] : undefined;
  }

  internalGroup(g: number): GroupChat {
    return this.cached(`i${g}`, () => {
      const group = this.company.internalGroup(g);
      const members = group.memberUserids.map((userid) => this.memberByUserid(userid));
      return { kind: 'group', roomid: group.roomid, name: group.name, internal: true, members, robot: this.robotOf('i', g) };
    });
  }

  customerGroup(g: number): GroupChat {
    return this.cached(`c${g}`, () => {
      const group = this.company.group(g);
      const members = [
        ...group.memberUserids.map((userid) => this.memberByUserid(userid)),
        ...group.memberCustomerIds.map((id) => this.memberByExternalId(id)),
      ];
      return { kind: 'group', roomid: group.chat_id, name: group.name, internal: false, members, robot: this.robotOf('c', g) };
    });
  }

  /** A group where a robot always posts: the showcase's markdown and news messages go there. */
  robotHome(): GroupChat | undefined {
    if (this.company.counts.robots === 0) return undefined;
    if (this.company.counts.internal_groups > 0) return this.internalGroup(0);
    return this.company.counts.groups > 0 ? this.customerGroup(0) : undefined;
  }

  private robotOf(kind: 'i' | 'c', g: number): Member | null {
    const robots = this.company.counts.robots;
    if (robots === 0) return null;
    const isHome = g === 0 && (kind === 'i' || this.company.counts.internal_groups === 0);
    const roll = hash32(this.seed, ARCHIVE_STREAM.robot, kind === 'i' ? 1 : 2, g);
    if (!isHome && roll % 3 !== 0) return null;
    const r = isHome ? 0 : (roll >>> 8) % robots;
    return { id: this.company.robot(r).robot_id, kind: 'robot', index: r };
  }

  private memberByUserid(userid: string): Member {
    const employee = this.company.employeeByUserid(userid);
    return { id: userid, kind: 'employee', index: employee?.index ?? -1 };
  }

  private memberByExternalId(id: string): Member {
    const customer = this.company.customerByExternalUserid(id);
    return { id, kind: 'customer', index: customer?.index ?? -1 };
  }

  private cached(key: string, build: () => GroupChat): GroupChat {
    let group = this.groups.get(key);
    if (!group) {
      group = build();
      this.groups.set(key, group);
    }
    return group;
  }
}

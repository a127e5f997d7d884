import { HEX, STREAM, rngFor } from '../random.ts';
import type { SandboxDepartment, SandboxEmployee } from './view.ts';
import { DEPARTMENT_FUNCTIONS, POSITIONS, REGIONS, chineseNumber, personName, type CorpName } from './names.ts';
import type { SizeSpec } from './sizes.ts';

/**
 * Departments and employees. The tree and the few per-employee facts needed for lookups (userid,
 * departments, mobile, flags) are built once; everything else about an employee is re-derived from
 * (seed, index) when asked for.
 */
export interface Directory {
  departments: SandboxDepartment[];
  department(id: number): SandboxDepartment | undefined;
  membersOf(departmentId: number): number[];
  employee(index: number): SandboxEmployee;
  indexOfUserid(userid: string): number | undefined;
  indexOfMobile(mobile: string): number | undefined;
  /** Customer contact enabled. */
  isFollowUser(index: number): boolean;
  /** Follow users chosen to have customers (the rest answer 84061 to externalcontact/list). */
  sellers: number[];
  count: number;
}

const ROOT_ID = 1;

function buildDepartments(seed: number, spec: SizeSpec, corp: CorpName): SandboxDepartment[] {
  const rng = rngFor(seed, STREAM.department, 0);
  const root: SandboxDepartment = {
    id: ROOT_ID, name: corp.short, name_en: '', parentid: 0, order: 100000000, depth: 0, leaders: [],
  };
  const departments = [root];
  const childCount = new Map<number, number>();
  const add = (parent: SandboxDepartment, name: string, nameEn: string) => {
    const nth = childCount.get(parent.id) ?? 0;
    childCount.set(parent.id, nth + 1);
    departments.push({
      id: departments.length + 1, name, name_en: nameEn, parentid: parent.id,
      order: 100000000 - nth * 1000, depth: parent.depth + 1, leaders: [],
    });
  };
  const topLevel = Math.min(DEPARTMENT_FUNCTIONS.length, Math.max(3, Math.round(spec.departments / 3)), 14);
  for (let k = 0; k < topLevel && departments.length < spec.departments; k++) add(root, ...DEPARTMENT_FUNCTIONS[k]);
  while (departments.length < spec.departments) {
    // Shallow departments get more children, as real org charts do.
    const parent = rng.weighted(
      departments.filter((d) => d.depth >= 1 && d.depth < spec.maxDepth).map((d) => [d, 1 / d.depth ** 2] as const),
    );
    const nth = childCount.get(parent.id) ?? 0;
    if (parent.depth === 1) {
      const region = REGIONS[nth];
      add(parent, region ? region[0] : `${chineseNumber(nth + 1)}部`, region ? region[1] : `Division ${nth + 1}`);
    } else {
      add(parent, `${chineseNumber(nth + 1)}组`, `Team ${nth + 1}`);
    }
  }
  return departments;
}

export function buildDirectory(seed: number, spec: SizeSpec, corp: CorpName): Directory {
  const departments = buildDepartments(seed, spec, corp);
  const byId = new Map(departments.map((d) => [d.id, d]));
  const count = spec.employees;
  const names: string[] = [];
  const userids: string[] = [];
  const deptLists: number[][] = [];
  const mobiles: string[] = [];
  const byUserid = new Map<string, number>();
  const byMobile = new Map<string, number>();
  const members = new Map<number, number[]>();
  const follow = new Uint8Array(count);
  const sellers: number[] = [];
  const taken = new Map<string, number>();

  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, STREAM.employee, i);
    const person = personName(rng);
    // WeCom userids are case-insensitive: DuanGui and Duangui would be one member.
    const seen = taken.get(person.pinyin.toLowerCase()) ?? 0;
    taken.set(person.pinyin.toLowerCase(), seen + 1);
    const userid = seen === 0 ? person.pinyin : `${person.pinyin}${seen + 1}`;
    let depts: number[];
    if (i < spec.executives || departments.length === 1) depts = [ROOT_ID];
    else {
      const main = rng.between(2, departments.length);
      depts = [main];
      if (rng.chance(0.08)) {
        const second = rng.between(2, departments.length);
        if (second !== main) depts.push(second);
      }
    }
    const mobile = `1${rng.pick(['3', '5', '7', '8', '9'])}${rng.chars('0123456789', 9)}`;
    names.push(person.name);
    userids.push(userid);
    deptLists.push(depts);
    mobiles.push(mobile);
    byUserid.set(userid.toLowerCase(), i);
    if (!byMobile.has(mobile)) byMobile.set(mobile, i);
    for (const d of depts) {
      const list = members.get(d) ?? [];
      list.push(i);
      members.set(d, list);
    }
    if (rng.chance(0.8)) {
      follow[i] = 1;
      if (rng.chance(0.85)) sellers.push(i);
    }
  }
  ensureEdgeCases(count, follow, sellers);
  for (const d of departments) {
    const first = members.get(d.id)?.[0];
    if (first !== undefined) d.leaders.push(userids[first]);
  }

  const leaderAbove = (departmentId: number, self: string): string[] => {
    for (let d = byId.get(departmentId); d; d = byId.get(d.parentid)) {
      const leader = d.leaders[0];
      if (leader && leader !== self) return [leader];
    }
    return [];
  };

  // Members are read on almost every call; at most 10,000 of them, so each is derived once and kept.
  const derived: SandboxEmployee[] = [];
  const employee = (index: number): SandboxEmployee => {
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`no employee ${index}`);
    const e = (derived[index] ??= deriveEmployee(index));
    // A copy, so a caller changing its record cannot change the company.
    return { ...e, department: [...e.department], order: [...e.order], isLeaderInDept: [...e.isLeaderInDept], directLeader: [...e.directLeader] };
  };
  const deriveEmployee = (index: number): SandboxEmployee => {
    const rng = rngFor(seed, STREAM.employee, index, 1);
    const userid = userids[index];
    const department = deptLists[index];
    const leads = department.map((d) => (byId.get(d)!.leaders[0] === userid ? 1 : 0));
    const position = index < spec.executives
      ? POSITIONS.executive[Math.min(index, POSITIONS.executive.length - 1)]
      : `${leads[0] ? rng.pick(POSITIONS.leader) : rng.pick(POSITIONS.staff)}`;
    const mail = `${userid.toLowerCase()}@${corp.domain}`;
    return {
      index, userid, name: names[index], department, position, followUser: follow[index] === 1,
      mainDepartment: department[0],
      order: department.map(() => rng.int(10) * 1000),
      isLeaderInDept: leads,
      directLeader: leaderAbove(department[0], userid),
      gender: rng.chance(0.5) ? 1 : 2,
      mobile: mobiles[index],
      email: mail,
      bizMail: mail,
      alias: rng.chance(0.25) ? rng.pick(['Alex', 'Bella', 'Chris', 'Daisy', 'Eric', 'Fiona', 'Gavin', 'Helen']) : '',
      telephone: rng.chance(0.35) ? `021-${rng.chars('0123456789', 8)}` : '',
      avatar: `https://wework.qpic.cn/wwhead/${rng.chars(HEX, 40)}/0`,
      status: index < spec.executives ? 1 : rng.weighted([[1, 0.92], [4, 0.05], [2, 0.03]] as const),
      archiveLicense: rng.weighted([[0, 0.3], [1, 0.1], [2, 0.5], [3, 0.1]] as const),
    };
  };

  return {
    departments,
    department: (id) => byId.get(id),
    membersOf: (id) => members.get(id) ?? [],
    employee,
    indexOfUserid: (userid) => byUserid.get(userid.toLowerCase()),
    indexOfMobile: (mobile) => byMobile.get(mobile),
    isFollowUser: (index) => follow[index] === 1,
    sellers,
    count,
  };
}

/**
 * Every company, however small, has a member without customer contact and a follow user without
 * customers, so that tests can always reproduce the rules that depend on them (84061 for instance).
 */
function ensureEdgeCases(count: number, follow: Uint8Array, sellers: number[]): void {
  if (follow.every((flag) => flag === 1) && count > 2) {
    follow[count - 1] = 0;
    if (sellers[sellers.length - 1] === count - 1) sellers.pop();
  }
  const sellerSet = new Set(sellers);
  const idle = [...follow.keys()].some((i) => follow[i] === 1 && !sellerSet.has(i));
  if (!idle && sellers.length > 1) sellers.pop();
}

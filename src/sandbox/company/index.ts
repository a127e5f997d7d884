import { STREAM, rngFor } from '../random.ts';
import { buildCustomerBook } from './customers.ts';
import { buildDirectory } from './directory.ts';
import { buildGroupBook } from './groups.ts';
import { corpIdFor } from './ids.ts';
import { buildContactWays, buildCorpTags, buildDepartedMembers, buildMemberTags } from './libraries.ts';
import { corpName } from './names.ts';
import { COMPANY_SIZES, GENERATED_TIME_RANGE, type CompanySize } from './sizes.ts';
import type { CompanyView } from './view.ts';

export type { CompanyView } from './view.ts';
export { COMPANY_SIZES, isCompanySize, type CompanySize } from './sizes.ts';

/**
 * Generates the sandbox company for a seed: the same (seed, size) always gives the same company.
 * Construction builds only small indexes (department tree, userids, the follow graph in typed
 * arrays, group owners); records are derived on demand, so `large` starts in well under a second.
 */
export function generateCompany(seed: number, size: CompanySize): CompanyView {
  const spec = COMPANY_SIZES[size];
  const timeRange = { ...GENERATED_TIME_RANGE };
  const corp = corpName(rngFor(seed, STREAM.department, 0xc0));
  const directory = buildDirectory(seed, spec, corp);
  const tags = buildCorpTags(seed, timeRange);
  const ways = buildContactWays(seed, spec.contactWays, directory, timeRange);
  const channelStates = ways.filter((w) => !w.is_temp).map((w) => w.state);
  const customers = buildCustomerBook(seed, spec.customers, directory, tags, channelStates, timeRange);
  const groups = buildGroupBook(seed, {
    groups: spec.groups, internalGroups: spec.internalGroups, robots: spec.robots,
    maxExternalMembers: size === 'small' ? 20 : 40,
  }, directory, customers, timeRange);
  const memberTags = buildMemberTags(seed, spec.memberTags, directory);
  const departed = buildDepartedMembers(seed, spec.departed, directory, customers, timeRange);
  const copy = <T>(value: T): T => structuredClone(value);

  return {
    seed,
    size,
    corpId: corpIdFor(seed),
    corpName: corp,
    timeRange,
    counts: {
      departments: directory.departments.length,
      employees: directory.count,
      customers: customers.count,
      follow_relations: customers.relations,
      groups: groups.groups,
      internal_groups: groups.internalGroups,
      robots: groups.robots,
      corp_tags: tags.reduce((n, g) => n + g.tag.length, 0),
      contact_ways: ways.length,
      departed_members: departed.length,
    },
    employee: directory.employee,
    customer: customers.customer,
    group: groups.group,
    groupOwnerIndex: groups.ownerOf,
    groupChatId: groups.chatIdOf,
    groupStatus: groups.statusOf,
    followersOf: customers.followersOf,
    customersOf: customers.customersOf,
    departments: () => copy(directory.departments),
    department: (id) => {
      const found = directory.department(id);
      return found && copy(found);
    },
    membersOf: (id) => [...directory.membersOf(id)],
    employeeByUserid(userid) {
      const index = typeof userid === 'string' ? directory.indexOfUserid(userid) : undefined;
      return index === undefined ? undefined : directory.employee(index);
    },
    employeeByMobile(mobile) {
      const index = directory.indexOfMobile(mobile);
      return index === undefined ? undefined : directory.employee(index);
    },
    employeeByEmail(email) {
      const [local, domain] = String(email).toLowerCase().split('@');
      if (domain !== corp.domain) return undefined;
      const index = directory.indexOfUserid(local);
      return index === undefined ? undefined : directory.employee(index);
    },
    customerByExternalUserid(id) {
      const index = customers.indexOfExternalUserid(id);
      return index === undefined ? undefined : customers.customer(index);
    },
    follow: customers.follow,
    groupByChatId(chatId) {
      const index = groups.indexOfChatId(chatId);
      return index === undefined ? undefined : groups.group(index);
    },
    internalGroup: groups.internalGroup,
    internalGroupByRoomid(roomid) {
      const index = groups.indexOfRoomid(roomid);
      return index === undefined ? undefined : groups.internalGroup(index);
    },
    robot: groups.robot,
    robotById(robotId) {
      const index = groups.indexOfRobotId(robotId);
      return index === undefined ? undefined : groups.robot(index);
    },
    corpTags: () => copy(tags),
    contactWays: () => copy(ways),
    memberTags: () => copy(memberTags),
    departedMembers: () => copy(departed),
    consent: customers.consent,
    hasEmployee: (index) => Number.isInteger(index) && index >= 0 && index < directory.count,
    hasGroup: (index) => Number.isInteger(index) && index >= 0 && index < groups.groups,
  };
}

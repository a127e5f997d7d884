import { STREAM, rngFor } from '../random.ts';
import { ID_KINDS, indexedIds } from './ids.ts';
import { GROUP_TOPICS, INTERNAL_GROUP_TOPICS, NOTICES, ROBOT_NAMES, corpName } from './names.ts';
import type { CustomerBook } from './customers.ts';
import type { Directory } from './directory.ts';
import type { SandboxGroup, SandboxInternalGroup, SandboxRobot } from './view.ts';
import { HOSTILE_NAMES, hostileAt } from '../hostile.ts';

const HOSTILE_GROUP_EVERY = 11;

/**
 * Customer groups, internal groups and robots. Only each customer group's owner and status are kept
 * in memory (groupchat/list filters on them); members are re-derived per request.
 */
export interface GroupBook {
  groups: number;
  group(index: number): SandboxGroup;
  ownerOf(index: number): number;
  chatIdOf(index: number): string;
  statusOf(index: number): 0 | 1 | 2 | 3;
  indexOfChatId(chatId: string): number | undefined;
  internalGroups: number;
  internalGroup(index: number): SandboxInternalGroup;
  indexOfRoomid(roomid: string): number | undefined;
  robots: number;
  robot(index: number): SandboxRobot;
  indexOfRobotId(robotId: string): number | undefined;
}

interface GroupCounts {
  groups: number;
  internalGroups: number;
  robots: number;
  maxExternalMembers: number;
}

export function buildGroupBook(
  seed: number,
  counts: GroupCounts,
  directory: Directory,
  customers: CustomerBook,
  timeRange: { start: number; end: number },
): GroupBook {
  const chatIds = indexedIds(seed, ID_KINDS.customerGroup.prefix, ID_KINDS.customerGroup.stream, counts.groups);
  const roomIds = indexedIds(seed, ID_KINDS.internalGroup.prefix, ID_KINDS.internalGroup.stream, counts.internalGroups);
  const robotIds = indexedIds(seed, ID_KINDS.robot.prefix, ID_KINDS.robot.stream, counts.robots);
  const span = timeRange.end - timeRange.start;
  const owners = new Int32Array(counts.groups);
  const statuses = new Uint8Array(counts.groups);
  const ownerPool = directory.sellers.length > 0 ? directory.sellers : [0];
  for (let i = 0; i < counts.groups; i++) {
    const rng = rngFor(seed, STREAM.group, i);
    owners[i] = rng.pick(ownerPool);
    statuses[i] = rng.weighted([[0, 0.9], [1, 0.05], [2, 0.03], [3, 0.02]] as const);
  }
  const check = (index: number, total: number, what: string) => {
    if (!Number.isInteger(index) || index < 0 || index >= total) throw new RangeError(`no ${what} ${index}`);
  };

  const group = (index: number): SandboxGroup => {
    check(index, counts.groups, 'group');
    const rng = rngFor(seed, STREAM.groupMembers, index);
    const owner = directory.employee(owners[index]);
    const internal = new Set<number>([owner.index]);
    const extraInternal = rng.int(4);
    while (internal.size < Math.min(1 + extraInternal, directory.count)) internal.add(rng.int(directory.count));
    const external = new Set<number>();
    const wanted = Math.min(customers.count, rng.between(2, counts.maxExternalMembers));
    // About half the customers in a group are the owner's own customers, as groups grow from them.
    const own = customers.customersOf(owner.index);
    for (let k = 0; k < wanted / 2 && own.length > 0; k++) external.add(rng.pick(own));
    while (external.size < wanted) external.add(rng.int(customers.count));
    const memberUserids = [...internal].map((e) => directory.employee(e).userid);
    const others = memberUserids.slice(1);
    const name = rng.chance(0.6) ? `${corpName(rng).short}${rng.pick(GROUP_TOPICS)}` : `${owner.name}的${rng.pick(GROUP_TOPICS)}`;
    return {
      index,
      chat_id: chatIds.encode(index),
      // One group in HOSTILE_GROUP_EVERY carries a hostile name (../hostile.ts).
      name: hostileAt(HOSTILE_NAMES, index, HOSTILE_GROUP_EVERY) ?? name,
      ownerUserid: owner.userid,
      memberUserids,
      memberCustomerIds: [...external].map((c) => customers.customer(c).external_userid),
      status: statuses[index] as 0 | 1 | 2 | 3,
      createTime: timeRange.start + rng.int(span),
      notice: rng.pick(NOTICES),
      adminUserids: others.length > 0 && rng.chance(0.4) ? [rng.pick(others)] : [],
    };
  };

  const internalGroup = (index: number): SandboxInternalGroup => {
    check(index, counts.internalGroups, 'internal group');
    const rng = rngFor(seed, STREAM.internalGroup, index);
    const members = new Set<number>();
    const size = Math.min(directory.count, rng.between(3, 15));
    while (members.size < size) members.add(rng.int(directory.count));
    const memberUserids = [...members].map((e) => directory.employee(e).userid);
    const creator = directory.employee([...members][0]);
    const department = directory.department(creator.mainDepartment);
    return {
      index,
      roomid: roomIds.encode(index),
      name: `${department?.name ?? ''}${rng.pick(INTERNAL_GROUP_TOPICS)}`,
      creatorUserid: creator.userid,
      createTime: timeRange.start + rng.int(span),
      notice: rng.pick(NOTICES),
      memberUserids,
    };
  };

  const robot = (index: number): SandboxRobot => {
    check(index, counts.robots, 'robot');
    const rng = rngFor(seed, STREAM.robot, index);
    const round = Math.floor(index / ROBOT_NAMES.length);
    return {
      index,
      robot_id: robotIds.encode(index),
      name: `${ROBOT_NAMES[index % ROBOT_NAMES.length]}${round > 0 ? round + 1 : ''}`,
      creatorUserid: directory.employee(rng.int(directory.count)).userid,
    };
  };

  return {
    groups: counts.groups,
    group,
    ownerOf: (index) => owners[index],
    chatIdOf: (index) => chatIds.encode(index),
    statusOf: (index) => statuses[index] as 0 | 1 | 2 | 3,
    indexOfChatId: (id) => chatIds.decode(id),
    internalGroups: counts.internalGroups,
    internalGroup,
    indexOfRoomid: (id) => roomIds.decode(id),
    robots: counts.robots,
    robot,
    indexOfRobotId: (id) => robotIds.decode(id),
  };
}

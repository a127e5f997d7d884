import { BASE62, STREAM, hash32, rngFor } from '../random.ts';
import { ID_KINDS, indexedIds } from './ids.ts';
import { CITIES, DESCRIPTIONS, REMARK_SUFFIXES, corpName, personName, wechatNickname } from './names.ts';
import type { Directory } from './directory.ts';
import type { SandboxCorpTagGroup, SandboxCustomer, SandboxFollow } from './view.ts';
import { HOSTILE_NAMES, hostileAt } from '../hostile.ts';

const HOSTILE_CUSTOMER_EVERY = 53;

/**
 * Customers and follow relations. The relation graph is the one structure kept in memory, as two
 * compressed adjacency lists in typed arrays (customer → followers, member → customers): about 8 bytes
 * per relation, so `large` (≈300,000 relations) holds a few MB. Everything else is re-derived.
 */
export interface CustomerBook {
  count: number;
  relations: number;
  customer(index: number): SandboxCustomer;
  indexOfExternalUserid(id: string): number | undefined;
  followersOf(customerIndex: number): number[];
  customersOf(employeeIndex: number): number[];
  follow(customerIndex: number, employeeIndex: number): SandboxFollow | undefined;
  consent(employeeIndex: number, customerIndex: number): { agree: boolean; changedAt: number };
}

/** How a customer was added (wecom-api.md §3, add_way), weighted roughly as seen in practice. */
const ADD_WAYS = [[1, 0.35], [2, 0.1], [3, 0.1], [4, 0.08], [5, 0.05], [6, 0.12], [7, 0.05], [0, 0.03], [201, 0.07], [202, 0.05]] as const;
/** add_way values where the customer started the add, so oper_userid is the customer. */
const CUSTOMER_INITIATED = new Set<number>([1, 3, 4]);
const PERSONAL_TAGS = ['老客户', '重点跟进', '朋友', '同行', '潜在大客户'];

interface Adjacency {
  start: Int32Array;
  items: Int32Array;
}

function slice(adj: Adjacency, index: number): number[] {
  return Array.from(adj.items.subarray(adj.start[index], adj.start[index + 1]));
}

function buildFollowGraph(seed: number, customers: number, directory: Directory): { byCustomer: Adjacency; byEmployee: Adjacency } {
  const start = new Int32Array(customers + 1);
  const flat: number[] = [];
  const sellers = directory.sellers;
  for (let c = 0; c < customers; c++) {
    const rng = rngFor(seed, STREAM.follow, c);
    const k = Math.min(sellers.length, rng.weighted([[1, 0.7], [2, 0.22], [3, 0.08]] as const));
    const followers = rng.distinct(sellers.length, k).map((p) => sellers[p]).sort((a, b) => a - b);
    flat.push(...followers);
    start[c + 1] = flat.length;
  }
  const items = Int32Array.from(flat);
  const counts = new Int32Array(directory.count + 1);
  for (const e of items) counts[e + 1]++;
  for (let e = 0; e < directory.count; e++) counts[e + 1] += counts[e];
  const cursor = counts.slice(0, directory.count);
  const reverse = new Int32Array(items.length);
  for (let c = 0; c < customers; c++) {
    for (let p = start[c]; p < start[c + 1]; p++) reverse[cursor[items[p]]++] = c;
  }
  return { byCustomer: { start, items }, byEmployee: { start: counts, items: reverse } };
}

export function buildCustomerBook(
  seed: number,
  count: number,
  directory: Directory,
  tagGroups: SandboxCorpTagGroup[],
  channelStates: string[],
  timeRange: { start: number; end: number },
): CustomerBook {
  const wechat = indexedIds(seed, ID_KINDS.wechatCustomer.prefix, ID_KINDS.wechatCustomer.stream, count);
  const wecom = indexedIds(seed, ID_KINDS.wecomCustomer.prefix, ID_KINDS.wecomCustomer.stream, count);
  const typeOf = (index: number): 1 | 2 => (hash32(seed, STREAM.customer, index) % 100 < 85 ? 1 : 2);
  const idOf = (index: number) => (typeOf(index) === 1 ? wechat : wecom).encode(index);
  const graph = buildFollowGraph(seed, count, directory);
  const span = timeRange.end - timeRange.start;

  const customer = (index: number): SandboxCustomer => {
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`no customer ${index}`);
    const rng = rngFor(seed, STREAM.customer, index, 1);
    const type = typeOf(index);
    const base: SandboxCustomer = {
      index,
      external_userid: idOf(index),
      name: type === 1 ? wechatNickname(rng) : personName(rng).name,
      type,
      gender: rng.weighted([[1, 0.45], [2, 0.45], [0, 0.1]] as const),
      avatar: `http://wx.qlogo.cn/mmhead/${rng.chars(BASE62, 40)}/0`,
    };
    if (rng.chance(0.6)) base.unionid = `o${rng.chars(BASE62, 27)}`;
    if (type === 2) {
      const corp = corpName(rng);
      base.corpName = corp.short;
      base.corpFullName = corp.full;
      base.position = rng.pick(['总经理', '采购经理', '技术总监', '运营主管', '店长', '市场经理']);
    }
    // One customer in HOSTILE_CUSTOMER_EVERY names themselves with markup, escapes or overrides.
    base.name = hostileAt(HOSTILE_NAMES, index, HOSTILE_CUSTOMER_EVERY) ?? base.name;
    return base;
  };

  const followersOf = (c: number) => slice(graph.byCustomer, c);

  const follow = (c: number, e: number): SandboxFollow | undefined => {
    if (c < 0 || c >= count || !followersOf(c).includes(e)) return undefined;
    const rng = rngFor(seed, STREAM.followDetail, c, e);
    const who = directory.employee(e);
    const addWay = rng.weighted(ADD_WAYS);
    const tagGroupPicks = rng.distinct(tagGroups.length, rng.weighted([[0, 0.25], [1, 0.4], [2, 0.25], [3, 0.1]] as const));
    const tagIds = tagGroupPicks.map((g) => rng.pick(tagGroups[g].tag).id);
    const cust = customer(c);
    const operUserid = addWay === 201 || addWay === 202
      ? directory.employee(rng.int(directory.count)).userid
      : CUSTOMER_INITIATED.has(addWay) ? cust.external_userid : who.userid;
    return {
      employeeIndex: e,
      customerIndex: c,
      userid: who.userid,
      remark: rng.chance(0.6) ? `${cust.name}${rng.pick(REMARK_SUFFIXES)}` : '',
      description: rng.pick(DESCRIPTIONS),
      createtime: timeRange.start + rng.int(span),
      tagIds,
      personalTags: rng.chance(0.15) ? [rng.pick(PERSONAL_TAGS)] : [],
      remarkCorpName: cust.corpName ?? (rng.chance(0.1) ? `${rng.pick(CITIES)}${corpName(rng).short}` : ''),
      remarkMobiles: rng.chance(0.3) ? [`1${rng.pick(['3', '5', '8'])}${rng.chars('0123456789', 9)}`] : [],
      operUserid,
      addWay,
      state: addWay === 1 && channelStates.length > 0 && rng.chance(0.7) ? rng.pick(channelStates) : '',
    };
  };

  return {
    count,
    relations: graph.byCustomer.items.length,
    customer,
    indexOfExternalUserid(id) {
      const codec = id?.startsWith(ID_KINDS.wechatCustomer.prefix) ? wechat : id?.startsWith(ID_KINDS.wecomCustomer.prefix) ? wecom : undefined;
      const index = codec?.decode(id);
      return index !== undefined && idOf(index) === id ? index : undefined;
    },
    followersOf,
    customersOf: (e) => (e >= 0 && e < directory.count ? slice(graph.byEmployee, e) : []),
    follow,
    consent(e, c) {
      const rng = rngFor(seed, STREAM.consent, c, e);
      return { agree: rng.chance(0.85), changedAt: timeRange.start + rng.int(span) };
    },
  };
}

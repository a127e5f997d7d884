import { HEX, STREAM, rngFor } from '../random.ts';
import { configIdFor, tagIdFor } from './ids.ts';
import { CONTACT_WAY_CHANNELS, MEMBER_TAGS, personName } from './names.ts';
import type { Directory } from './directory.ts';
import type { SandboxContactWay, SandboxCorpTagGroup, SandboxDepartedMember, SandboxMemberTag } from './view.ts';

/** The small, materialised parts of a company: corp tag library, contact ways, member tags. */

const CORP_TAG_LIBRARY: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['客户等级', ['A类客户', 'B类客户', 'C类客户', 'D类客户']],
  ['客户来源', ['线下活动', '官网咨询', '老客户转介绍', '电话营销', '展会', '短视频']],
  ['意向产品', ['基础版', '专业版', '企业版', '定制服务']],
  ['跟进阶段', ['初次接触', '需求确认', '方案报价', '商务谈判', '已成交', '已流失']],
  ['所属行业', ['教育', '医疗', '零售', '制造', '金融', '互联网', '房地产']],
];

/** Sub-streams for tag ids: groups and tags are numbered separately. */
export const TAG_ID_STREAMS = { group: 1, tag: 2, newGroup: 3, newTag: 4 } as const;

export function buildCorpTags(seed: number, timeRange: { start: number }): SandboxCorpTagGroup[] {
  let tagNumber = 0;
  return CORP_TAG_LIBRARY.map(([groupName, tags], g) => ({
    group_id: tagIdFor(seed, TAG_ID_STREAMS.group, g),
    group_name: groupName,
    create_time: timeRange.start + g * 3600,
    order: CORP_TAG_LIBRARY.length - g,
    tag: tags.map((name, k) => ({
      id: tagIdFor(seed, TAG_ID_STREAMS.tag, tagNumber++),
      name,
      create_time: timeRange.start + g * 3600 + k * 60,
      order: tags.length - k,
    })),
  }));
}

export function qrCodeUrl(seed: number, sub: number, index: number): string {
  return `https://wework.qpic.cn/wwpic/${rngFor(seed, STREAM.contactWay, index, sub).chars(HEX, 24)}/0`;
}

export function buildContactWays(
  seed: number,
  count: number,
  directory: Directory,
  timeRange: { start: number; end: number },
): SandboxContactWay[] {
  const owners = directory.sellers.length > 0 ? directory.sellers : [0];
  const ways: SandboxContactWay[] = [];
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, STREAM.contactWay, i);
    const [channel, code] = rng.pick(CONTACT_WAY_CHANNELS);
    const isTemp = rng.chance(0.1);
    const type: 1 | 2 = isTemp || rng.chance(0.6) ? 1 : 2;
    const scene: 1 | 2 = rng.chance(0.85) ? 2 : 1;
    const users = type === 1 ? [rng.pick(owners)] : rng.distinct(owners.length, rng.between(2, 4)).map((p) => owners[p]);
    const way: SandboxContactWay = {
      config_id: configIdFor(seed, 1, i),
      type,
      scene,
      style: rng.between(1, 3),
      remark: `${channel}${i + 1}`,
      skip_verify: rng.chance(0.8),
      state: `${code}_${i + 1}`,
      user: users.map((e) => directory.employee(e).userid),
      party: type === 2 && rng.chance(0.2) && directory.departments.length > 1 ? [rng.between(2, directory.departments.length)] : [],
      is_temp: isTemp,
      create_time: timeRange.start + rng.int(timeRange.end - timeRange.start),
    };
    if (scene === 2) way.qr_code = qrCodeUrl(seed, 1, i);
    if (isTemp) {
      way.expires_in = 7 * 86400;
      way.chat_expires_in = 86400;
    }
    ways.push(way);
  }
  return ways;
}

export function buildMemberTags(seed: number, count: number, directory: Directory): SandboxMemberTag[] {
  const tags: SandboxMemberTag[] = [];
  for (let i = 0; i < Math.min(count, MEMBER_TAGS.length); i++) {
    const rng = rngFor(seed, STREAM.memberTag, i);
    const members = rng.distinct(directory.count, rng.between(2, 8)).sort((a, b) => a - b);
    tags.push({
      tagid: i + 1,
      tagname: MEMBER_TAGS[i],
      userids: members.map((e) => directory.employee(e).userid),
      partylist: rng.chance(0.3) && directory.departments.length > 1 ? [rng.between(2, directory.departments.length)] : [],
    });
  }
  return tags;
}

export function buildDepartedMembers(
  seed: number,
  count: number,
  directory: Directory,
  customers: { count: number; customer(index: number): { external_userid: string } },
  timeRange: { start: number; end: number },
): SandboxDepartedMember[] {
  const members: SandboxDepartedMember[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, STREAM.employee, 0x7fff0000 + i);
    const person = personName(rng);
    let userid = person.pinyin;
    for (let n = 2; directory.indexOfUserid(userid) !== undefined || used.has(userid.toLowerCase()); n++) userid = `${person.pinyin}${n}`;
    used.add(userid.toLowerCase());
    const picks = rng.distinct(customers.count, Math.min(customers.count, rng.between(3, 12)));
    members.push({
      userid,
      name: person.name,
      dimissionTime: timeRange.end - rng.int(180 * 86400),
      customerIds: picks.sort((a, b) => a - b).map((c) => customers.customer(c).external_userid),
    });
  }
  return members;
}

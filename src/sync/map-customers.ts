import type { RecordInput } from '../store/entities.ts';
import type {
  BatchGetByUserRes, CorpTagGroup, GetContactWayRes, GroupChatStatus, GroupchatGetRes,
} from '../wecom/types-customer.ts';

/**
 * WeCom customer-contact answers → store records (wecom-api.md §3). WeCom's second-based times are
 * stored as epoch milliseconds, as every time in the store is.
 */

const ms = (seconds: number | undefined): number | null => (typeof seconds === 'number' ? seconds * 1000 : null);
const flag = (value: boolean | undefined): number | null => (value === undefined ? null : value ? 1 : 0);
const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

type Entry = BatchGetByUserRes['external_contact_list'][number];

export function customerRecord({ external_contact: c }: Entry): RecordInput<'customers'> {
  return {
    external_userid: c.external_userid, name: c.name, type: c.type, gender: c.gender ?? null,
    corp_name: c.corp_name ?? null, corp_full_name: c.corp_full_name ?? null, position: c.position ?? null,
    avatar: c.avatar ?? null, unionid: c.unionid ?? null, raw: c,
  };
}

/**
 * batch/get_by_user's follow_info: corp and rule-group tag ids only (personal tags are not returned
 * there); their names live in the tag library (corp_tags).
 */
export function relationRecord({ external_contact, follow_info: f }: Entry): RecordInput<'follow_relations'> {
  return {
    external_userid: external_contact.external_userid, userid: f.userid,
    remark: f.remark ?? null, description: f.description ?? null, createtime: ms(f.createtime),
    remark_corp_name: f.remark_corp_name ?? null, remark_mobiles: json(f.remark_mobiles),
    oper_userid: f.oper_userid ?? null, add_way: f.add_way ?? null, state: f.state ?? null,
    tags: (f.tag_id ?? []).map((tag_id) => ({ tag_id })),
    raw: f,
  };
}

/** A tag group of the library with its live tags; groups WeCom flags as deleted are left out. */
export function tagGroupRecord(g: CorpTagGroup): RecordInput<'corp_tag_groups'> {
  return {
    group_id: g.group_id, name: g.group_name, create_time: ms(g.create_time), sort_order: g.order,
    tags: g.tag.filter((t) => !t.deleted).map((t) => ({
      tag_id: t.id, name: t.name, create_time: ms(t.create_time), sort_order: t.order,
    })),
    raw: g,
  };
}

export function contactWayRecord({ contact_way: w }: GetContactWayRes): RecordInput<'contact_ways'> {
  return {
    config_id: w.config_id, type: w.type, scene: w.scene, style: w.style ?? null, remark: w.remark ?? null,
    skip_verify: flag(w.skip_verify), state: w.state ?? null, qr_code: w.qr_code ?? null, is_temp: flag(w.is_temp),
    expires_in: w.expires_in ?? null, chat_expires_in: w.chat_expires_in ?? null, unionid: w.unionid ?? null,
    user_ids: json(w.user), party_ids: json(w.party), raw: w,
  };
}

/** groupchat/get with need_name=1; `status` comes from groupchat/list. */
export function groupRecord({ group_chat: g }: GroupchatGetRes, status: GroupChatStatus): RecordInput<'customer_groups'> {
  return {
    chat_id: g.chat_id, name: g.name, owner: g.owner, create_time: ms(g.create_time), notice: g.notice ?? null, status,
    members: g.member_list.map((m) => ({
      member_id: m.userid, type: m.type, unionid: m.unionid ?? null, join_time: ms(m.join_time),
      join_scene: m.join_scene, invitor: m.invitor?.userid ?? null, group_nickname: m.group_nickname ?? null,
      name: m.name ?? null, state: m.state ?? null,
    })),
    admins: (g.admin_list ?? []).map((a) => ({ userid: a.userid })),
    raw: g,
  };
}

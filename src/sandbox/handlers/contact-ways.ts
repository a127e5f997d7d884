import { ERRCODE } from '../../wecom/errcodes.ts';
import type { SandboxContactWay } from '../company/view.ts';
import { ApiError, invalid } from '../server/api-error.ts';
import { bool, decodeCursor, encodeCursor, int, pageLimit, requireStr, str, strList, type Params } from '../server/params.ts';
import { knownCustomer } from './customers.ts';
import { visibleMember } from './directory.ts';
import type { ApiCall, Handler } from './types.ts';

/** 「联系我」 contact ways and temporary chats (wecom-api.md §3, doc 92228/92572). */

const DAY = 86400;
/** list_contact_way covers at most 90 days per call, defaulting to the 90 days before end_time. */
const LIST_WINDOW = 90 * DAY;

function members(call: ApiCall, userids: string[]): string[] {
  return userids.map((u) => {
    const member = visibleMember(call, u);
    if (!member.followUser) throw new ApiError(ERRCODE.NO_CUSTOMER_CONTACT, member.userid);
    if (member.status !== 1) throw new ApiError(ERRCODE.USER_NOT_ACTIVE, member.userid);
    return member.userid;
  });
}

function parties(call: ApiCall, params: Params): number[] {
  const raw = params.party ?? [];
  if (!Array.isArray(raw) || raw.some((d) => !Number.isInteger(d))) throw invalid('party', 'expected an array of department ids');
  for (const d of raw as number[]) if (!call.state.visibility.seesDepartment(call.credential, d)) throw new ApiError(ERRCODE.INVALID_DEPARTMENT_ID, `party ${d}`);
  return raw as number[];
}

function checkAssignees(type: 1 | 2, user: string[], party: number[]): void {
  if (type === 1 && (user.length !== 1 || party.length > 0)) throw invalid('user', 'a single-member way (type 1) takes exactly one user');
  if (type === 2 && user.length + party.length === 0) throw invalid('user/party', 'at least one member or department');
}

function days(params: Params, name: string, fallback: number): number {
  return int(params, name, { min: 1, max: 14 * DAY }) ?? fallback;
}

function isExpired(way: SandboxContactWay, now: number): boolean {
  return way.is_temp && way.create_time + (way.expires_in ?? 7 * DAY) <= now;
}

function wayOf(call: ApiCall): SandboxContactWay {
  const configId = requireStr(call.params, 'config_id');
  const way = call.state.contactWays.get(configId);
  if (!way) throw invalid('config_id', `no contact way ${configId}`);
  return way;
}

function wayJson(way: SandboxContactWay): Record<string, unknown> {
  const { create_time: _created, ...shown } = way;
  return shown;
}

export const contactWayHandlers = {
  'externalcontact.addContactWay': (call) => {
    const p = call.params;
    const type = int(p, 'type', { required: true, min: 1, max: 2 }) as 1 | 2;
    const scene = int(p, 'scene', { required: true, min: 1, max: 2 }) as 1 | 2;
    const user = members(call, strList(p, 'user', { max: 100 }));
    const party = parties(call, p);
    checkAssignees(type, user, party);
    const isTemp = bool(p, 'is_temp') ?? false;
    if (isTemp && type !== 1) throw invalid('is_temp', 'temporary chats take a single member (type 1)');
    const way = call.state.contactWays.add({
      type, scene, style: int(p, 'style', { min: 1 }) ?? 1, remark: str(p, 'remark', { max: 30 }) ?? '',
      skip_verify: bool(p, 'skip_verify') ?? true, state: str(p, 'state', { max: 30 }) ?? '', user, party, is_temp: isTemp,
      ...(isTemp ? { expires_in: days(p, 'expires_in', 7 * DAY), chat_expires_in: days(p, 'chat_expires_in', DAY) } : {}),
    }, call.state.clock.nowSeconds());
    return { config_id: way.config_id, ...(way.qr_code ? { qr_code: way.qr_code } : {}) };
  },
  'externalcontact.getContactWay': (call) => ({ contact_way: wayJson(wayOf(call)) }),
  'externalcontact.listContactWay': (call) => {
    const now = call.state.clock.nowSeconds();
    const end = int(call.params, 'end_time', { min: 0 }) ?? now;
    const start = int(call.params, 'start_time', { min: 0 }) ?? end - LIST_WINDOW;
    if (start > end || end - start > LIST_WINDOW) throw invalid('start_time/end_time', 'a window of at most 90 days');
    const limit = pageLimit(call.name, call.params);
    const binding = `${start}-${end}`;
    const [offset] = decodeCursor(call.state.seed, 'contact_way', binding, str(call.params, 'cursor'), 1) ?? [0];
    const all = call.state.contactWays.createdBetween(start, end);
    const page = all.slice(offset, offset + limit);
    const more = offset + page.length < all.length;
    return {
      contact_way: page.map((w) => ({ config_id: w.config_id })),
      next_cursor: more ? encodeCursor(call.state.seed, 'contact_way', binding, [offset + page.length]) : '',
    };
  },
  'externalcontact.updateContactWay': (call) => {
    const way = wayOf(call);
    const p = call.params;
    if (isExpired(way, call.state.clock.nowSeconds())) throw invalid('config_id', 'the temporary contact way has expired');
    const changes: Partial<SandboxContactWay> = {};
    const remark = str(p, 'remark', { max: 30 });
    const state = str(p, 'state', { max: 30 });
    if (remark !== undefined) changes.remark = remark;
    if (state !== undefined) changes.state = state;
    const style = int(p, 'style', { min: 1 });
    if (style !== undefined) changes.style = style;
    const skip = bool(p, 'skip_verify');
    if (skip !== undefined) changes.skip_verify = skip;
    // user and party lists replace the old ones when given.
    if (p.user !== undefined || p.party !== undefined) {
      const user = p.user !== undefined ? members(call, strList(p, 'user', { max: 100 })) : way.user;
      const party = p.party !== undefined ? parties(call, p) : way.party;
      checkAssignees(way.type, user, party);
      Object.assign(changes, { user, party });
    }
    if (way.is_temp) {
      if (p.expires_in !== undefined) changes.expires_in = days(p, 'expires_in', 7 * DAY);
      if (p.chat_expires_in !== undefined) changes.chat_expires_in = days(p, 'chat_expires_in', DAY);
    }
    call.state.contactWays.update(way.config_id, changes);
    return {};
  },
  'externalcontact.delContactWay': (call) => {
    call.state.contactWays.remove(wayOf(call).config_id);
    return {};
  },
  'externalcontact.closeTempChat': (call) => {
    const member = visibleMember(call, requireStr(call.params, 'userid', 64));
    const customer = knownCustomer(call, requireStr(call.params, 'external_userid'));
    if (!call.state.contactWays.closeTempChat(member.userid, customer.external_userid)) {
      throw invalid('external_userid', 'no live temporary chat with this member');
    }
    return {};
  },
} satisfies Record<string, Handler>;

import { ERRCODE } from '../../wecom/errcodes.ts';
import { ApiError, invalid } from '../server/api-error.ts';
import { decodeCursor, encodeCursor, pageLimit, requireStr, str, strList } from '../server/params.ts';
import { visibleMember } from './directory.ts';
import type { ApiCall, Handler } from './types.ts';

/** Customer inheritance (wecom-api.md §3 "Related"): unassigned customers and transfers. */

const RESULTS_PER_PAGE = 1000;

function taker(call: ApiCall) {
  const member = visibleMember(call, requireStr(call.params, 'takeover_userid', 64));
  if (!member.followUser) throw new ApiError(ERRCODE.NO_CUSTOMER_CONTACT, member.userid);
  return member;
}

function customerIds(call: ApiCall): string[] {
  return strList(call.params, 'external_userid', { required: true, max: 100 });
}

/** Per-customer results: WeCom answers errcode 0 or the reason for each customer, not for the call. */
function transferEach(ids: string[], each: (id: string) => number): Record<string, unknown> {
  return { customer: ids.map((external_userid) => ({ external_userid, errcode: each(external_userid) })) };
}

function results(call: ApiCall): Record<string, unknown> {
  const handover = requireStr(call.params, 'handover_userid', 64);
  const takeover = requireStr(call.params, 'takeover_userid', 64);
  const all = call.state.transfers.results(handover, takeover);
  const binding = `${handover}|${takeover}`.toLowerCase();
  const [offset] = decodeCursor(call.state.seed, 'transfer', binding, str(call.params, 'cursor'), 1) ?? [0];
  const page = all.slice(offset, offset + RESULTS_PER_PAGE);
  const more = offset + page.length < all.length;
  return {
    customer: page.map((r) => ({ external_userid: r.external_userid, status: r.status, takeover_time: r.takeover_time })),
    next_cursor: more ? encodeCursor(call.state.seed, 'transfer', binding, [offset + page.length]) : '',
  };
}

export const transferHandlers = {
  'externalcontact.getUnassignedList': (call) => {
    const limit = pageLimit(call.name, call.params);
    const all = call.state.transfers.unassigned();
    const [offset] = decodeCursor(call.state.seed, 'unassigned', '', str(call.params, 'cursor'), 1) ?? [0];
    const page = all.slice(offset, offset + limit);
    const isLast = offset + page.length >= all.length;
    return { info: page, is_last: isLast, next_cursor: isLast ? '' : encodeCursor(call.state.seed, 'unassigned', '', [offset + page.length]) };
  },
  'externalcontact.resignedTransferCustomer': (call) => {
    const handover = requireStr(call.params, 'handover_userid', 64);
    if (!call.state.transfers.isDeparted(handover)) throw new ApiError(ERRCODE.INVALID_USERID, `${handover} has not left the corp`);
    const to = taker(call);
    const now = call.state.clock.nowSeconds();
    return transferEach(customerIds(call), (id) => {
      const customer = call.state.company.customerByExternalUserid(id);
      if (!customer) return 40096;
      if (!call.state.transfers.departedCustomer(handover, id)) return 84061;
      const waiting = call.state.transfers.unassigned();
      if (!waiting.some((u) => u.handover_userid.toLowerCase() === handover.toLowerCase() && u.external_userid === id)) return 84061;
      call.state.transfers.start(handover, customer.index, undefined, to.index, now, false);
      return 0;
    });
  },
  'externalcontact.resignedTransferResult': results,
  'externalcontact.transferCustomer': (call) => {
    const from = visibleMember(call, requireStr(call.params, 'handover_userid', 64));
    const to = taker(call);
    if (from.index === to.index) throw invalid('takeover_userid', 'same as handover_userid');
    const now = call.state.clock.nowSeconds();
    return transferEach(customerIds(call), (id) => {
      const customer = call.state.company.customerByExternalUserid(id);
      if (!customer) return 40096;
      if (!call.state.relations.follow(customer.index, from.index)) return 84061;
      call.state.transfers.start(from.userid, customer.index, from.index, to.index, now, true);
      return 0;
    });
  },
  'externalcontact.transferResult': results,
} satisfies Record<string, Handler>;

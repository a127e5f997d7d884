import { hash32 } from '../random.ts';
import type { CompanyView } from '../company/view.ts';
import type { RelationOverlay } from './relations.ts';

/**
 * Customer inheritance (继承, wecom-api.md §3 "Related"): customers of departed members waiting for a
 * new owner, handovers between members, and customer groups given a new owner. A customer transfer
 * waits 24 hours (WeCom's rule) on the sandbox clock, then the relation moves; an on-job handover
 * may be refused by the customer, deterministically per (seed, customer, taker).
 */
export interface TransferRecord {
  external_userid: string;
  customerIndex: number;
  /** undefined when the handover member has left the corp. */
  fromEmployee?: number;
  toEmployee: number;
  /** 1 done, 2 waiting, 3 refused by the customer. */
  status: 1 | 2 | 3;
  takeover_time: number;
}

export const TAKEOVER_DELAY_SECONDS = 24 * 3600;

export class TransferBook {
  private readonly records = new Map<string, TransferRecord[]>();
  private readonly pending: TransferRecord[] = [];
  private readonly assigned = new Set<string>();
  private readonly groupOwners = new Map<number, string>();

  constructor(
    private readonly seed: number,
    private readonly company: CompanyView,
    private readonly relations: RelationOverlay,
  ) {}

  /** Completes transfers whose 24 hours are over; cheap when nothing is pending. */
  settle(now: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const record = this.pending[i];
      if (record.takeover_time > now) continue;
      this.pending.splice(i, 1);
      record.status = 1;
      this.relations.transfer(record.customerIndex, record.fromEmployee, record.toEmployee, record.takeover_time);
    }
  }

  /** Customers of departed members not yet handed to anyone, in a stable order. */
  unassigned(): Array<{ handover_userid: string; external_userid: string; dimission_time: number }> {
    return this.company.departedMembers().flatMap((member) => member.customerIds
      .filter((id) => !this.assigned.has(`${member.userid.toLowerCase()}|${id}`))
      .map((id) => ({ handover_userid: member.userid, external_userid: id, dimission_time: member.dimissionTime })));
  }

  isDeparted(userid: string): boolean {
    return this.company.departedMembers().some((m) => m.userid.toLowerCase() === userid.toLowerCase());
  }

  departedCustomer(userid: string, externalUserid: string): boolean {
    return this.company.departedMembers().some((m) => m.userid.toLowerCase() === userid.toLowerCase() && m.customerIds.includes(externalUserid));
  }

  /** Records a transfer waiting for its 24 hours. `onJob` handovers may be refused. */
  start(handover: string, customerIndex: number, fromEmployee: number | undefined, toEmployee: number, now: number, onJob: boolean): void {
    const externalUserid = this.company.customer(customerIndex).external_userid;
    const refused = onJob && hash32(this.seed, customerIndex, toEmployee) % 10 === 0;
    const record: TransferRecord = {
      external_userid: externalUserid, customerIndex, fromEmployee, toEmployee,
      status: refused ? 3 : 2, takeover_time: now + TAKEOVER_DELAY_SECONDS,
    };
    const pair = this.pairKey(handover, this.company.employee(toEmployee).userid);
    this.records.set(pair, [...(this.records.get(pair) ?? []), record]);
    if (!onJob) this.assigned.add(`${handover.toLowerCase()}|${externalUserid}`);
    if (!refused) this.pending.push(record);
  }

  results(handover: string, takeover: string): TransferRecord[] {
    return this.records.get(this.pairKey(handover, takeover)) ?? [];
  }

  /** A customer group's owner after groupchat/transfer, if it changed. */
  groupOwner(groupIndex: number): string | undefined {
    return this.groupOwners.get(groupIndex);
  }

  setGroupOwner(groupIndex: number, userid: string): void {
    this.groupOwners.set(groupIndex, userid);
  }

  private pairKey(handover: string, takeover: string): string {
    return `${handover.toLowerCase()}|${takeover.toLowerCase()}`;
  }
}

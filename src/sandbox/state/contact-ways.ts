import { configIdFor } from '../company/ids.ts';
import { qrCodeUrl } from '../company/libraries.ts';
import type { CompanyView, SandboxContactWay } from '../company/view.ts';

/**
 * 「联系我」 contact ways and the temporary chats they open, as the server holds them: generated, then
 * changed by add/update/del_contact_way and close_temp_chat. New config ids are numbered per sandbox
 * (same writes, same ids).
 */
export interface TempChat {
  userid: string;
  external_userid: string;
  config_id: string;
}

/** Sub-stream for ids of ways created through the API (generated ones use 1). */
const CREATED_STREAM = 2;

export class ContactWayStore {
  private readonly ways = new Map<string, SandboxContactWay>();
  private readonly tempChats = new Map<string, TempChat>();
  private created = 0;

  constructor(
    private readonly seed: number,
    company: CompanyView,
  ) {
    for (const way of company.contactWays()) {
      this.ways.set(way.config_id, way);
      if (!way.is_temp) continue;
      // Each generated temporary way has one customer chatting through it: the member's first customer.
      const member = company.employeeByUserid(way.user[0]);
      const first = member ? company.customersOf(member.index)[0] : undefined;
      if (member && first !== undefined) {
        this.openTempChat({ userid: member.userid, external_userid: company.customer(first).external_userid, config_id: way.config_id });
      }
    }
  }

  get(configId: string): SandboxContactWay | undefined {
    return this.ways.get(configId);
  }

  count(): number {
    return this.ways.size;
  }

  add(fields: Omit<SandboxContactWay, 'config_id' | 'create_time' | 'qr_code'>, now: number): SandboxContactWay {
    const n = this.created++;
    const way: SandboxContactWay = { ...fields, config_id: configIdFor(this.seed, CREATED_STREAM, n), create_time: now };
    if (way.scene === 2) way.qr_code = qrCodeUrl(this.seed, CREATED_STREAM, n);
    this.ways.set(way.config_id, way);
    return way;
  }

  update(configId: string, changes: Partial<SandboxContactWay>): void {
    const way = this.ways.get(configId);
    if (way) Object.assign(way, changes);
  }

  remove(configId: string): boolean {
    return this.ways.delete(configId);
  }

  /** Non-temporary ways created in [start, end], oldest first (list_contact_way's order). */
  createdBetween(start: number, end: number): SandboxContactWay[] {
    return [...this.ways.values()]
      .filter((w) => !w.is_temp && w.create_time >= start && w.create_time <= end)
      .sort((a, b) => a.create_time - b.create_time || a.config_id.localeCompare(b.config_id));
  }

  openTempChat(chat: TempChat): void {
    this.tempChats.set(`${chat.userid.toLowerCase()}|${chat.external_userid}`, chat);
  }

  /** Ends a live temporary chat; false if there was none. */
  closeTempChat(userid: string, externalUserid: string): boolean {
    return this.tempChats.delete(`${userid.toLowerCase()}|${externalUserid}`);
  }

  openTempChats(): TempChat[] {
    return [...this.tempChats.values()];
  }
}

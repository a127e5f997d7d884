import type { EventKind } from '../../wecom/callback/events.ts';
import type { SandboxCustomer, SandboxEmployee, SandboxGroup } from '../company/view.ts';
import type { ExtensionSimulation } from '../extension.ts';
import type { SandboxState } from '../handlers/types.ts';
import type { Rng } from '../random.ts';
import type { LiveEdits } from '../state/live-company.ts';
import type { EventFieldsOut } from './message.ts';

/**
 * What a simulated event works with: the server's state (its company is the live view every handler
 * reads), the edits that change it, one random source per event, and the archive's hooks when the
 * archive extension is loaded. Targets a request leaves out are picked here, from the live state.
 */
export interface SimulationContext {
  state: SandboxState;
  edits: LiveEdits;
  rng: Rng;
  /** Unix seconds at the sandbox clock. */
  now: number;
  archive?: ExtensionSimulation;
}

/** One callback to send: a catalogue event and its fields. */
export interface Emitted {
  kind: EventKind;
  fields: EventFieldsOut;
}

export interface SimulationResult {
  /** What changed, as the API now shows it. */
  changed: Record<string, unknown>;
  events: Emitted[];
}

/** A request the state cannot satisfy (unknown target, nothing left to pick): answered 400. */
export class SimulationError extends RangeError {
  override name = 'SimulationError';
}

const TRIES = 200;

/** A random index in [0, n) satisfying `ok`: random draws first, then a scan from a random start. */
export function pickIndex(rng: Rng, n: number, ok: (i: number) => boolean, what: string): number {
  if (n > 0) {
    for (let t = 0; t < TRIES; t++) {
      const i = rng.int(n);
      if (ok(i)) return i;
    }
    const start = rng.int(n);
    for (let k = 0; k < n; k++) if (ok((start + k) % n)) return (start + k) % n;
  }
  throw new SimulationError(`no ${what} to pick`);
}

export function memberOf(ctx: SimulationContext, userid: string | undefined, ok: (m: SandboxEmployee) => boolean = () => true): SandboxEmployee {
  const { company } = ctx.state;
  if (userid !== undefined) {
    const member = company.employeeByUserid(userid);
    if (!member) throw new SimulationError(`no member ${userid}`);
    return member;
  }
  const index = pickIndex(ctx.rng, company.counts.employees, (e) => company.hasEmployee(e) && ok(company.employee(e)), 'member');
  return company.employee(index);
}

export function customerOf(ctx: SimulationContext, externalUserid: string): SandboxCustomer {
  const customer = ctx.state.company.customerByExternalUserid(externalUserid);
  if (!customer) throw new SimulationError(`no customer ${externalUserid}`);
  return customer;
}

/** An existing relation (member follows customer), given in part, in full or not at all. */
export function relationOf(ctx: SimulationContext, userid?: string, externalUserid?: string): { member: SandboxEmployee; customer: SandboxCustomer } {
  const { company, relations } = ctx.state;
  if (externalUserid !== undefined) {
    const customer = customerOf(ctx, externalUserid);
    const followers = relations.followersOf(customer.index);
    const member = userid !== undefined ? memberOf(ctx, userid) : followers.length > 0 ? company.employee(ctx.rng.pick(followers)) : undefined;
    if (!member || !relations.follow(customer.index, member.index)) throw new SimulationError(`${userid ?? 'nobody'} does not follow ${externalUserid}`);
    return { member, customer };
  }
  const member = memberOf(ctx, userid, (m) => m.followUser && relations.customersOf(m.index).length > 0);
  const customers = relations.customersOf(member.index);
  if (customers.length === 0) throw new SimulationError(`${member.userid} has no customers`);
  return { member, customer: company.customer(ctx.rng.pick(customers)) };
}

export function groupOf(ctx: SimulationContext, chatId: string | undefined): SandboxGroup {
  const { company } = ctx.state;
  if (chatId !== undefined) {
    const group = company.groupByChatId(chatId);
    if (!group) throw new SimulationError(`no customer group ${chatId}`);
    return group;
  }
  return company.group(pickIndex(ctx.rng, company.counts.groups, (i) => company.hasGroup(i), 'customer group'));
}

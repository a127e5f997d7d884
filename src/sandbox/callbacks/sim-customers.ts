import { BASE62 } from '../random.ts';
import { REMARK_SUFFIXES } from '../company/names.ts';
import { SimulationError, customerOf, memberOf, pickIndex, relationOf, type SimulationContext, type SimulationResult } from './context.ts';

/** Customer contact changes made in WeCom's app (change_external_contact, §5.5/§5.6). */

interface PairTargets {
  userid?: string;
  externalUserid?: string;
}

const welcomeCode = (ctx: SimulationContext) => ctx.rng.chars(BASE62, 43);

/** add_external_contact, or add_half_external_contact when `half` (the customer added the member, skip-verify). */
export function customerAdded(ctx: SimulationContext, t: PairTargets & { state?: string }, half = false): SimulationResult {
  const { company, relations } = ctx.state;
  const member = memberOf(ctx, t.userid, (m) => m.followUser);
  const customer = t.externalUserid !== undefined
    ? customerOf(ctx, t.externalUserid)
    : company.customer(pickIndex(ctx.rng, company.counts.customers, (c) => !relations.follow(c, member.index), `customer ${member.userid} does not have`));
  if (relations.follow(customer.index, member.index)) throw new SimulationError(`${member.userid} already follows ${customer.external_userid}`);
  const state = t.state ?? '';
  const follow = relations.add(customer.index, member.index, ctx.now, state);
  const code = welcomeCode(ctx);
  return {
    changed: { userid: member.userid, external_userid: customer.external_userid, createtime: follow.createtime, state },
    events: [{
      kind: half ? 'change_external_contact.add_half_external_contact' : 'change_external_contact.add_external_contact',
      fields: { UserID: member.userid, ExternalUserID: customer.external_userid, ...(state ? { State: state } : {}), WelcomeCode: code },
    }],
  };
}

export function customerEdited(ctx: SimulationContext, t: PairTargets & { remark?: string; description?: string }): SimulationResult {
  const { member, customer } = relationOf(ctx, t.userid, t.externalUserid);
  const remark = t.remark ?? `${customer.name}${ctx.rng.pick(REMARK_SUFFIXES.filter(Boolean))}`.slice(0, 20);
  ctx.state.relations.patch(customer.index, member.index, { remark, ...(t.description !== undefined ? { description: t.description } : {}) });
  return {
    changed: { userid: member.userid, external_userid: customer.external_userid, remark, ...(t.description !== undefined ? { description: t.description } : {}) },
    events: [{ kind: 'change_external_contact.edit_external_contact', fields: { UserID: member.userid, ExternalUserID: customer.external_userid } }],
  };
}

export function customerDeletedByMember(ctx: SimulationContext, t: PairTargets): SimulationResult {
  const { member, customer } = relationOf(ctx, t.userid, t.externalUserid);
  ctx.state.relations.remove(customer.index, member.index);
  return {
    changed: { userid: member.userid, external_userid: customer.external_userid, relation: 'deleted' },
    events: [{ kind: 'change_external_contact.del_external_contact', fields: { UserID: member.userid, ExternalUserID: customer.external_userid } }],
  };
}

/**
 * The customer deleted the member. WeCom keeps the one-way relation and its APIs still answer
 * (§5.5), so the API shows no change: only the event says it happened.
 */
export function memberDeletedByCustomer(ctx: SimulationContext, t: PairTargets): SimulationResult {
  const { member, customer } = relationOf(ctx, t.userid, t.externalUserid);
  return {
    changed: { userid: member.userid, external_userid: customer.external_userid, relation: 'kept (one-way)' },
    events: [{ kind: 'change_external_contact.del_follow_user', fields: { UserID: member.userid, ExternalUserID: customer.external_userid } }],
  };
}

/** msg_audit_approved (§5.6): the consent check_single_agree reports turns to Agree. */
export function consentApproved(ctx: SimulationContext, t: PairTargets): SimulationResult {
  const agrees = (e: number, c: number) => ctx.archive?.agrees(e, c) ?? ctx.state.company.consent(e, c).agree;
  let pair = relationOf(ctx, t.userid, t.externalUserid);
  // Left to chance, prefer a customer who has not agreed yet.
  for (let tries = 0; t.userid === undefined && t.externalUserid === undefined && tries < 50 && agrees(pair.member.index, pair.customer.index); tries++) {
    pair = relationOf(ctx);
  }
  const { member, customer } = pair;
  const at = new Date(ctx.now * 1000);
  ctx.edits.setConsent(member.index, customer.index, true, ctx.now);
  ctx.archive?.approveConsent(member.index, customer.index, at);
  return {
    changed: { userid: member.userid, external_userid: customer.external_userid, agree_status: 'Agree', status_change_time: ctx.now },
    events: [{ kind: 'change_external_contact.msg_audit_approved', fields: { UserID: member.userid, ExternalUserID: customer.external_userid, WelcomeCode: welcomeCode(ctx) } }],
  };
}

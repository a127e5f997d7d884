import { z } from 'zod';
import type { EventKind } from '../../wecom/callback/events.ts';
import type { SandboxState } from '../handlers/types.ts';
import { SimulationError, type SimulationContext, type SimulationResult } from './context.ts';
import { consentApproved, customerAdded, customerDeletedByMember, customerEdited, memberDeletedByCustomer } from './sim-customers.ts';
import { departmentCreated, memberDeleted, memberMoved, memberRenamed, memberTagUpdated, memberUseridChanged } from './sim-directory.ts';
import { groupCreated, groupDismissed, groupJoined, groupLeft, groupRenamed } from './sim-groups.ts';
import { customerTagCreated, customerTagDeleted, customerTagUpdated, customerTagsShuffled } from './sim-tags.ts';

/**
 * The changes people make in WeCom's own apps that `POST /__sandbox/events` simulates, declared once:
 * each row says what it changes, which catalogue event(s) it sends, which targets it takes (all
 * optional: left out, they are picked at random, deterministically, from the live state), and the
 * function that changes the state. The docs, GET /__sandbox/events and the stream all read this table.
 */

interface SimulationSpec {
  changes: string;
  /** Share in the random stream (default 1): removals are rarer, so a soak test does not empty the company. */
  weight?: number;
  /** Whether the stream may pick it now (default always). */
  inStream?: (state: SandboxState) => boolean;
  sends: readonly EventKind[];
  targets: z.ZodObject;
  run(ctx: SimulationContext, targets: Record<string, unknown>): SimulationResult;
}

const userid = z.string().min(1).max(64);
const externalUserid = z.string().min(1);
const pair = z.object({ userid: userid.optional(), externalUserid: externalUserid.optional() }).strict();
const chatId = z.string().min(1);
const name = z.string().min(1).max(32);

/** Members only leave (nobody joins), so the stream stops deleting once a fifth of them has left. */
function keepsMostMembers(state: SandboxState): boolean {
  const { company } = state;
  let alive = 0;
  for (let e = 0; e < company.counts.employees; e++) if (company.hasEmployee(e)) alive++;
  return alive > company.counts.employees * 0.8;
}

/** `run` receives the targets its schema validated; the cast only bridges the table's common type. */
function row<S extends z.ZodObject>(spec: { changes: string; weight?: number; inStream?: (state: SandboxState) => boolean; sends: readonly EventKind[]; targets: S; run(ctx: SimulationContext, t: z.infer<S>): SimulationResult }): SimulationSpec {
  return spec as unknown as SimulationSpec;
}

export const SIMULATIONS = {
  'member.renamed': row({
    changes: "a member's name", sends: ['change_contact.update_user'],
    targets: z.object({ userid: userid.optional(), name: name.optional() }).strict(), run: memberRenamed,
  }),
  'member.userid_changed': row({
    changes: "a member's userid (the old one stops resolving)", weight: 0.2, sends: ['change_contact.update_user'],
    targets: z.object({ userid: userid.optional(), newUserid: userid.optional() }).strict(), run: memberUseridChanged,
  }),
  'member.moved': row({
    changes: "a member's departments (moved to one other department)", sends: ['change_contact.update_user'],
    targets: z.object({ userid: userid.optional(), departmentId: z.number().int().positive().optional() }).strict(), run: memberMoved,
  }),
  'member.deleted': row({
    changes: 'a member leaves the directory: user/get answers 60111, their relations leave the customer lists, their groups wait for inheritance (status 1)', weight: 0.1, inStream: keepsMostMembers, sends: ['change_contact.delete_user'],
    targets: z.object({ userid: userid.optional() }).strict(), run: memberDeleted,
  }),
  'department.created': row({
    changes: 'a new department', weight: 0.3, sends: ['change_contact.create_party'],
    targets: z.object({ parentId: z.number().int().positive().optional(), name: name.optional() }).strict(), run: departmentCreated,
  }),
  'member_tag.updated': row({
    changes: "a member tag's members (one added at random)", sends: ['change_contact.update_tag'],
    targets: z.object({ tagId: z.number().int().positive().optional(), add: z.array(userid).optional(), remove: z.array(userid).optional() }).strict(),
    run: memberTagUpdated,
  }),
  'customer.added': row({
    changes: 'a member adds a customer: a new follow relation', sends: ['change_external_contact.add_external_contact'],
    targets: pair.extend({ state: z.string().max(30).optional() }).strict(), run: (ctx, t) => customerAdded(ctx, t),
  }),
  'customer.half_added': row({
    changes: 'a customer adds a member without verification: a new follow relation', sends: ['change_external_contact.add_half_external_contact'],
    targets: pair.extend({ state: z.string().max(30).optional() }).strict(), run: (ctx, t) => customerAdded(ctx, t, true),
  }),
  'customer.edited': row({
    changes: "a member edits a customer's remark (and description)", sends: ['change_external_contact.edit_external_contact'],
    targets: pair.extend({ remark: z.string().max(20).optional(), description: z.string().max(150).optional() }).strict(), run: customerEdited,
  }),
  'customer.deleted_by_member': row({
    changes: 'a member deletes a customer: the follow relation is gone', weight: 0.5, sends: ['change_external_contact.del_external_contact'],
    targets: pair, run: customerDeletedByMember,
  }),
  'member.deleted_by_customer': row({
    changes: 'a customer deletes a member: nothing in the API (WeCom keeps the one-way relation)', sends: ['change_external_contact.del_follow_user'],
    targets: pair, run: memberDeletedByCustomer,
  }),
  'archive.consent_approved': row({
    changes: 'a customer agrees to chat archiving: check_single_agree answers Agree', sends: ['change_external_contact.msg_audit_approved'],
    targets: pair, run: consentApproved,
  }),
  'group.created': row({
    changes: 'a new customer group (owner and some of their customers)', sends: ['change_external_chat.create'],
    targets: z.object({ ownerUserid: userid.optional(), name: name.optional() }).strict(), run: groupCreated,
  }),
  'group.renamed': row({
    changes: "a customer group's name", sends: ['change_external_chat.update'],
    targets: z.object({ chatId: chatId.optional(), name: name.optional() }).strict(), run: groupRenamed,
  }),
  'group.joined': row({
    changes: 'a customer joins a customer group', sends: ['change_external_chat.update'],
    targets: z.object({ chatId: chatId.optional(), externalUserid: externalUserid.optional() }).strict(), run: groupJoined,
  }),
  'group.left': row({
    changes: 'a member or customer (not the owner) leaves a customer group', sends: ['change_external_chat.update'],
    targets: z.object({ chatId: chatId.optional(), memberId: z.string().min(1).optional() }).strict(), run: groupLeft,
  }),
  'group.dismissed': row({
    changes: 'the owner dissolves a customer group: it leaves groupchat/list, groupchat/get fails', weight: 0.5, sends: ['change_external_chat.dismiss'],
    targets: z.object({ chatId: chatId.optional() }).strict(), run: groupDismissed,
  }),
  'customer_tag.created': row({
    changes: 'a new corp customer tag', sends: ['change_external_tag.create'],
    targets: z.object({ groupId: z.string().min(1).optional(), name: z.string().min(1).max(30).optional() }).strict(), run: customerTagCreated,
  }),
  'customer_tag.updated': row({
    changes: "a corp customer tag's name", sends: ['change_external_tag.update'],
    targets: z.object({ tagId: z.string().min(1).optional(), name: z.string().min(1).max(30).optional() }).strict(), run: customerTagUpdated,
  }),
  'customer_tag.deleted': row({
    changes: 'a corp customer tag is deleted (its group too when it was the last)', weight: 0.5, sends: ['change_external_tag.delete'],
    targets: z.object({ tagId: z.string().min(1).optional() }).strict(), run: customerTagDeleted,
  }),
  'customer_tag.shuffled': row({
    changes: 'the tags of one group are reordered', sends: ['change_external_tag.shuffle'],
    targets: z.object({ groupId: z.string().min(1).optional() }).strict(), run: customerTagsShuffled,
  }),
  'archive.messages_added': row({
    changes: 'new archived messages: the next pull gets them (needs the archive extension)', sends: ['msgaudit_notify'],
    targets: z.object({ count: z.number().int().min(1).max(1000).optional() }).strict(),
    run: (ctx, t) => {
      if (!ctx.archive) throw new SimulationError('the chat-archive extension is not loaded');
      const appended = ctx.archive.appendMessages(t.count ?? 1 + ctx.rng.int(20));
      if (appended.added === 0) throw new SimulationError('the archive has no more messages to send');
      return { changed: { messages: appended.added, firstSeq: appended.firstSeq, lastSeq: appended.lastSeq }, events: [{ kind: 'msgaudit_notify', fields: {} }] };
    },
  }),
} as const satisfies Record<string, SimulationSpec>;

export type SimulationType = keyof typeof SIMULATIONS;
export const SIMULATION_TYPES = Object.keys(SIMULATIONS) as SimulationType[];

/** The stream's draw: each type with its weight. */
export const STREAM_WEIGHTS: ReadonlyArray<readonly [SimulationType, number]> = SIMULATION_TYPES.map((type) => {
  const spec: SimulationSpec = SIMULATIONS[type];
  return [type, spec.weight ?? 1] as const;
});

/** The table as data, for GET /__sandbox/events and the docs. */
export function describeSimulations(): Array<{ type: SimulationType; changes: string; sends: readonly EventKind[]; targets: string[] }> {
  return SIMULATION_TYPES.map((type) => {
    const spec: SimulationSpec = SIMULATIONS[type];
    return { type, changes: spec.changes, sends: spec.sends, targets: Object.keys(spec.targets.shape) };
  });
}

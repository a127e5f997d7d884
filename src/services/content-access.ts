import { scopeRepository } from '../store/scope.repository.ts';
import { ForbiddenError, requireCapability, requireContent } from './access.ts';
import { audited } from './audit.ts';
import type { Runtime } from './runtime.ts';
import { checkConversation } from './scope.ts';

/**
 * The gates for content served elsewhere: a media file (the media route's service calls
 * `withMediaAccess` around opening it) and an export (`withExportAccess`). Each checks the role,
 * the scope and the purpose, and writes one audit row whatever the outcome.
 */

export interface MediaAccessInput {
  corpId: string;
  msgid: string;
  /** A nested item's path; '' for the message's own file. */
  path?: string;
}

/** Opens a message's media for the actor: `media.open`, purpose bound to the message's conversation. */
export async function withMediaAccess<T>(rt: Runtime, input: MediaAccessInput, open: () => Promise<T>): Promise<T> {
  const store = await rt.readStore();
  // Any refusal below, a missing message included, is the same `forbidden`.
  const conversationId = await scopeRepository.conversationOfMessage(store.db, input.corpId, input.msgid).catch(() => undefined);
  const purpose = (conversationId && rt.access.conversationPurposes[conversationId]) || rt.access.purpose;
  const target = `${input.corpId}/${input.msgid}${input.path ? `#${input.path}` : ''}`;
  return audited(rt, { action: 'media.open', target, purpose, detail: conversationId ? { conversation: conversationId } : undefined }, async () => {
    rt.corp(input.corpId);
    requireContent(rt, conversationId);
    if (conversationId === undefined) {
      if (rt.actor.kind === 'operator' || (rt.actor.kind !== 'anonymous' && rt.actor.role === 'admin')) return open();
      throw new ForbiddenError();
    }
    await checkConversation(rt, store, input.corpId, conversationId);
    return open();
  });
}

/** An export (admins and auditors): one `export` row with what was exported. */
export async function withExportAccess<T>(rt: Runtime, entry: { target: string; detail?: unknown }, work: () => Promise<T>): Promise<T> {
  return audited(rt, { action: 'export', target: entry.target, detail: entry.detail }, async () => {
    requireCapability(rt, 'export');
    requireContent(rt);
    return work();
  });
}

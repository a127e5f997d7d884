/**
 * Who is talking, guessed from the shape of an id (archive-sdk.md §4.1): external contacts are
 * `wo…`/`wm…`, robots `wb…`, members of the company plain userids. The store later links ids to
 * known employees and customers; this is only the first guess the message itself allows.
 */
export type PartyKind = 'employee' | 'customer' | 'robot';

export interface Party {
  id: string;
  kind: PartyKind;
}

export function partyKind(id: string): PartyKind {
  if (id.startsWith('wo') || id.startsWith('wm')) return 'customer';
  if (id.startsWith('wb')) return 'robot';
  return 'employee';
}

export function party(id: string): Party {
  return { id, kind: partyKind(id) };
}

/**
 * The conversation a message belongs to: the group's roomid, or for a chat without a room the
 * sorted participants joined by `|` (for a 1:1 chat, the pair of sender and its single receiver), so
 * both directions of a chat land in the same conversation. The one definition of conversation_id.
 */
export function conversationId(roomid: string | null, from: string | null, tolist: readonly string[]): string | null {
  if (roomid) return roomid;
  if (!from) return null;
  const participants = [...new Set([from, ...tolist])].sort();
  return participants.join('|');
}

/**
 * Where entries that belong to no chat are kept: a `switch` (a member switching their WeCom client to
 * another company, archive-sdk.md §4.1) goes to that member's own system conversation, so a reviewer
 * finds it beside the member's chats (`conversations --employee`) and can read and search it. A
 * userid never contains `:` (letters, digits, `_-@.`) and a roomid starts with `wr`, so no chat's id
 * can take this form.
 */
const SYSTEM_PREFIX = 'system:';

export function systemConversationId(userid: string): string {
  return `${SYSTEM_PREFIX}${userid}`;
}

/** The member a system conversation belongs to; null for every other conversation id. */
export function systemConversationUser(conversationId: string): string | null {
  return conversationId.startsWith(SYSTEM_PREFIX) ? conversationId.slice(SYSTEM_PREFIX.length) || null : null;
}

/** Matches system conversation ids in SQL (`conversation_id like …`): nothing in the prefix is a LIKE wildcard. */
export const SYSTEM_CONVERSATION_PATTERN = `${SYSTEM_PREFIX}%`;

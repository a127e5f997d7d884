import type { Generated } from 'kysely';

/**
 * The durable callback inbox (docs/callbacks.md): every authentic callback, written before WeCom is
 * answered, then applied in the background. Kept after it is applied: the row is the record of what
 * happened, when, and who did it (a customer deleted by an employee is a fact the compliance rules
 * read later).
 */

export const INBOX_STATUSES = ['pending', 'applied', 'failed', 'parked', 'ignored'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

export interface CallbackInboxTable {
  /** Arrival order: events of one record are applied in this order. */
  id: Generated<number>;
  corp_id: string;
  /** The callback URL it came in on: app, contacts, customer, archive. */
  kind: string;
  /** parseEvent's kind: 'change_contact.update_user', 'msgaudit_notify', 'unknown'… */
  event_kind: string;
  /** dedupeKey(event): WeCom's retry of one event maps to one row (unique with corp_id). */
  dedupe_key: string;
  /** The record the event is about ('user:zhangsan'); '' when it is about none. */
  record_key: string;
  received_at: number;
  /** The decrypted plaintext, exactly as WeCom sealed it. */
  payload: string;
  status: InboxStatus;
  /** Failed attempts so far. */
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  applied_at: number | null;
  /** Which worker holds the event, until when (a crashed worker's claim lapses). */
  claim_token: string | null;
  lease_until: number | null;
  /** What applying it did: the entity, the record, who acted, and the change. */
  effect_entity: string | null;
  effect_record: string | null;
  effect_actor: string | null;
  effect_change: string | null;
}

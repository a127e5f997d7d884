/** `events`: the callback inbox, as the CLI's --json and the REST API show it. */

export type EventStatus = 'pending' | 'applied' | 'failed' | 'parked' | 'ignored';

export interface EventRow {
  id: number;
  corpId: string;
  /** The callback URL it came in on: app, contacts, customer, archive. */
  kind: string;
  /** 'change_contact.update_user', 'msgaudit_notify', 'unknown'… */
  eventKind: string;
  status: EventStatus;
  receivedAt: number;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  appliedAt: number | null;
  /** What applying it did: the entity, the record, who acted, the change. */
  effect: { entity: string | null; record: string | null; actor: string | null; change: string | null };
}

export interface EventDetail extends EventRow {
  /** The decrypted callback, as WeCom sent it. */
  payload: string;
}

export interface EventList {
  ok: true;
  events: EventRow[];
  /** More events exist before the last one listed (pass its id as `before`). */
  truncated: boolean;
}

export interface ReplayResult {
  ok: true;
  /** The events moved back to pending. */
  replayed: number[];
}

/** One processInbox run. */
export interface InboxRun {
  applied: number;
  failed: number;
  parked: number;
  /** corpIds whose archive should be pulled now (a msgaudit_notify was applied). */
  archiveNotified: string[];
}

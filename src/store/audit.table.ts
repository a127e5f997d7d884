/** The audit log: who read or changed what (src/audit, services/audit.ts). Rows are never updated or deleted. */
export interface AuditLogTable {
  /** 1, 2, 3…: the order of the chain. */
  id: number;
  /** UTC ms. */
  at: number;
  /** `operator`, `user:<name>` or `token:<name>`. */
  actor: string;
  ip: string | null;
  user_agent: string | null;
  /** login, conversation.view, search, media.open, export, user.*, token.*, settings.* (audit/actions.ts). */
  action: string;
  /** What was acted on: a conversation id, a user name, a token id… */
  target: string | null;
  purpose: string | null;
  /** ok, denied, failed, locked… */
  result: string;
  /** JSON: the filters of a search, the changes made… */
  detail: string | null;
  /** The hash of the row before (the genesis for the first). */
  prev_hash: string;
  hash: string;
}

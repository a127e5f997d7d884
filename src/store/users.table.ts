/** People who sign in to the web UI (services/users.ts), their sessions, and the login throttle. */
export interface UserTable {
  /** A UUID made in TypeScript. */
  id: string;
  /** The login name (unique). */
  name: string;
  /** argon2id, PHC string ($argon2id$v=19$…): never the password. */
  password_hash: string;
  /** admin, auditor, manager or viewer (services/access.ts). */
  role: string;
  /** JSON array of corp ids; empty: every configured corp. */
  corps: string;
  /** JSON array of department ids (a manager's subtrees, in each corp granted). */
  departments: string;
  created_at: number;
  updated_at: number;
  disabled_at: number | null;
}

export interface SessionTable {
  /** SHA-256 of the session id (the cookie's value): the id itself is never stored. */
  id_hash: string;
  user_id: string;
  /** Sent back as X-CSRF-Token on every state-changing request. */
  csrf_token: string;
  /** The purpose stated for the whole session. */
  purpose: string | null;
  /** JSON object: conversation id → the purpose stated for that conversation alone. */
  conversation_purposes: string;
  created_at: number;
  last_seen_at: number;
  /** The absolute expiry (created_at + the maximum session length). */
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

/** Failed logins per key (`name:<name>` or `ip:<address>`) within a window, and a lockout. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  first_failure_at: number;
  locked_until: number | null;
}

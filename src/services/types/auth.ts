/** Users, sessions, roles and the audit log: what `users …`, `audit …` and /api/v1/session|audit answer. */

export const ROLES = ['admin', 'auditor', 'manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What a user or token may reach: its role, and the corps (empty: every corp) and departments granted. */
export interface Grant {
  role: Role;
  corps: string[];
  departments: number[];
}

export interface UserItem extends Grant {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  disabledAt: number | null;
}

export interface UsersResult {
  ok: true;
  users: UserItem[];
  truncated: false;
}

export interface UserResult {
  ok: true;
  user: UserItem;
}

/** `GET|POST /api/v1/session`. */
export interface SessionInfo {
  user: { name: string; role: Role; corps: string[]; departments: number[] };
  csrfToken: string;
  purpose: null | { text: string; scope: 'session' };
}

export interface AuditRowItem {
  id: number;
  /** UTC ms. */
  at: number;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  action: string;
  target: string | null;
  purpose: string | null;
  result: string;
  /** The filters of a search, the changes made…: parsed JSON, or null. */
  detail: unknown;
}

export interface AuditResult {
  ok: true;
  rows: AuditRowItem[];
  truncated: boolean;
}

export interface AuditVerifyReport {
  ok: boolean;
  /** Rows checked. */
  rows: number;
  /** The hash of the last good row (the genesis for an empty log). */
  head: string;
  /** The first row that does not link, when one does not. */
  broken: null | { id: number; reason: 'prev_hash' | 'hash' | 'gap' };
}

/**
 * The API's JSON shapes are the services' result types (src/services/types): imported as types
 * only, so the UI and the server cannot drift apart and nothing of the server is bundled.
 */
export type {
  ConversationItem, ConversationResult, ConversationsResult, CorpOverview, CorpsReport, Customer, CustomerDetailResult,
  CustomersResult, Employee, EmployeesResult, Follow, Group, GroupDetailResult, GroupsResult, MessageItem, PartyLabel,
  SearchHitItem, SearchResult, ArchiveStatusReport, ArchiveVerifyReport, StatusEntry, EventList, EventRow,
} from '../../src/services/types/index.ts';
export type { ContentView, MediaView } from '../../src/archive/reading/content.ts';
export type { PartyName } from '../../src/archive/reading/names.ts';
export type { ConsentEvent } from '../../src/archive/coverage/report.ts';

/** The session API (helper AUTH builds it to this contract). */
export interface SessionUser {
  name: string;
  role: 'admin' | 'auditor' | 'manager' | 'viewer';
  corps: string[];
  departments: number[];
}

export interface SessionInfo {
  user: SessionUser;
  csrfToken: string;
  purpose: null | { text: string; scope: 'session' };
}

/** `GET /api/v1/audit` (helper AUTH). */
export interface AuditRow {
  id: string | number;
  at: number;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  action: string;
  target: string | null;
  purpose: string | null;
  result: string;
}

export interface AuditResult {
  ok: true;
  rows: AuditRow[];
  truncated: boolean;
}

/** RFC 9457 problem details, as the server sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  why?: string;
  fix?: string;
}

/**
 * The API's JSON shapes are the services' result types (src/services/types): imported as types
 * only, so the UI and the server cannot drift apart and nothing of the server is bundled.
 */
export type {
  ConversationItem, ConversationResult, ConversationsResult, CorpOverview, CorpsReport, Customer, CustomerDetailResult,
  CustomersResult, Employee, EmployeesResult, Follow, Group, GroupDetailResult, GroupsResult, MessageItem, PartyLabel,
  SearchHitItem, SearchResult, ArchiveStatusReport, ArchiveVerifyReport, StatusEntry, EventList, SessionInfo,
  AuditResult, AuditRowItem,
} from '../../src/services/types/index.ts';
export type { ContentView, MediaView } from '../../src/archive/reading/content.ts';
export type { PartyName } from '../../src/archive/reading/names.ts';
export type { RunStatus } from '../../src/store/sync.table.ts';
export type { InboxStatus } from '../../src/store/inbox.table.ts';
export type { AuditAction } from '../../src/audit/actions.ts';
export type { ConsentEvent } from '../../src/archive/coverage/report.ts';

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

import type { Kysely } from 'kysely';
import type {
  ArchiveConsentTable, ArchiveCoverageStateTable, ArchivePermitUserTable, ArchiveRobotTable, ArchiveRoomTable,
} from './archive-coverage.table.ts';
import type {
  ContactWayTable, CorpTagGroupTable, CorpTagTable, CustomerTable, FollowRelationTable, FollowRelationTagTable,
} from './customers.table.ts';
import type {
  DepartmentTable, EmployeeDepartmentTable, EmployeeTable, MemberTagDepartmentTable, MemberTagTable,
  MemberTagUserTable,
} from './directory.table.ts';
import type { CallbackInboxTable } from './inbox.table.ts';
import type { CustomerGroupTable, GroupAdminTable, GroupMemberTable } from './groups.table.ts';
import type { ConversationTable, MessageAttemptTable, MessageMediaTable, MessageTable } from './messages.table.ts';
import type { ApiTokenTable } from './api-tokens.table.ts';
import type { AuditLogTable } from './audit.table.ts';
import type { LoginThrottleTable, SessionTable, UserTable } from './users.table.ts';
import type { CorpTable, SyncCursorTable, SyncRunTable } from './sync.table.ts';

/** The whole schema, as Kysely sees it. Migrations (src/store/migrations) create exactly this. */
export interface Database {
  corps: CorpTable;
  sync_cursors: SyncCursorTable;
  sync_runs: SyncRunTable;

  departments: DepartmentTable;
  employees: EmployeeTable;
  employee_departments: EmployeeDepartmentTable;
  member_tags: MemberTagTable;
  member_tag_users: MemberTagUserTable;
  member_tag_departments: MemberTagDepartmentTable;

  customers: CustomerTable;
  follow_relations: FollowRelationTable;
  follow_relation_tags: FollowRelationTagTable;
  corp_tag_groups: CorpTagGroupTable;
  corp_tags: CorpTagTable;
  contact_ways: ContactWayTable;

  customer_groups: CustomerGroupTable;
  group_members: GroupMemberTable;
  group_admins: GroupAdminTable;

  messages: MessageTable;
  message_media: MessageMediaTable;
  conversations: ConversationTable;
  message_attempts: MessageAttemptTable;

  archive_permit_users: ArchivePermitUserTable;
  archive_consents: ArchiveConsentTable;
  archive_rooms: ArchiveRoomTable;
  archive_robots: ArchiveRobotTable;
  archive_coverage_state: ArchiveCoverageStateTable;

  api_tokens: ApiTokenTable;
  callback_inbox: CallbackInboxTable;

  users: UserTable;
  sessions: SessionTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
}

export type StoreDialect = 'sqlite' | 'postgres';

/** An open store. `db` may be used concurrently; `close()` ends every connection. */
export interface Store {
  db: Kysely<Database>;
  dialect: StoreDialect;
  /** The SQLite file, or the PostgreSQL URL with its password redacted: for logs and `doctor`. */
  location: string;
  /** Opened read-only (a read-only copy, opened for reading): nothing may be written, no lease taken. */
  readOnly?: boolean;
  /**
   * PostgreSQL: a connection of its own, outside the pool, for session state that lives as long as
   * a job (the advisory locks behind leases), so that holding leases never starves the queries.
   */
  openSession?(): Promise<StoreSession>;
  close(): Promise<void>;
}

/** A dedicated database connection; `end()` closes it (and so releases its session locks). */
export interface StoreSession {
  query<R>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}

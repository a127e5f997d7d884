import type { Migration } from 'kysely';
import * as core from './20261126_01_core.ts';
import * as archive from './20261126_02_archive.ts';
import * as archiveCoverage from './20261127_01_archive_coverage.ts';
import * as switchConversations from './20261207_01_switch_conversations.ts';
import * as apiTokens from './20261207_02_api_tokens.ts';
import * as callbackInbox from './20261207_03_callback_inbox.ts';
import * as usersSessions from './20261207_04_users_sessions.ts';
import * as auditLog from './20261207_05_audit_log.ts';
import * as inboxOpenRecords from './20261207_10_inbox_open_records.ts';

/**
 * Every migration, imported explicitly (no directory scan: works the same under tsx, a bundle or a
 * test runner). Kysely runs them in name order; names are dates, never reused or renamed.
 */
export const migrations: Record<string, Migration> = {
  '20261126_01_core': core,
  '20261126_02_archive': archive,
  '20261127_01_archive_coverage': archiveCoverage,
  '20261207_01_switch_conversations': switchConversations,
  '20261207_02_api_tokens': apiTokens,
  '20261207_03_callback_inbox': callbackInbox,
  '20261207_04_users_sessions': usersSessions,
  '20261207_05_audit_log': auditLog,
  '20261207_10_inbox_open_records': inboxOpenRecords,
};

/**
 * The store: one schema and one query codebase over SQLite (default, a file under DATA_DIR) and
 * PostgreSQL (DATABASE_URL). `src/store` knows nothing of WeCom's HTTP API; sync and archive code
 * map WeCom's JSON to the record types here.
 *
 * Typical sync page (rows and cursor commit together, or not at all):
 *
 *   const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
 *   const runId = await syncStateRepository.startRun(store.db, corpId, 'customers');
 *   const cursor = await syncStateRepository.getCursor(store.db, corpId, 'customers:zhangsan');
 *   // …fetch a page from WeCom starting at `cursor`…
 *   const counts = await withCheckpoint(store.db, corpId, 'customers:zhangsan', page.next_cursor, async (trx) => {
 *     await upsertRecords(trx, 'customers', corpId, customers, runId);
 *     return upsertRecords(trx, 'follow_relations', corpId, follows, runId);
 *   });
 *   // after a complete listing: await markMissingDeleted(store.db, 'customers', corpId, { seenKeys, runId });
 *   await syncStateRepository.finishRun(store.db, runId, { status: 'succeeded', counts });
 *
 * Inside a transaction use only `trx`: on SQLite the single connection belongs to the transaction,
 * so a query on `store.db` from inside it would wait for itself.
 */
export type { Database, Store, StoreDialect } from './database.ts';
export { openStore, usingStore, type OpenStoreOptions } from './open.ts';
export { SQLITE_FILE_NAME, storeLocation } from './location.ts';
export { migrateToLatest, MigrationError } from './migrate.ts';

export { ENTITIES, type EntityName, type RecordFields, type RecordInput, type RecordKey } from './entities.ts';
export { markMissingDeleted, upsertRecords, type MarkMissingOptions, type UpsertCounts } from './records.ts';
export { canonicalJson, contentHash } from './hash.ts';
export { inTransaction } from './sql-kit.ts';
export { syncStateRepository, withCheckpoint, type RunError, type SyncRun } from './sync-state.repository.ts';
export { RUN_STATUSES, type RunStatus } from './sync.table.ts';

export {
  directoryRepository, type DepartmentRow, type EmployeeDetail, type EmployeeFilters, type EmployeeRow,
} from './directory.repository.ts';
export {
  customersRepository, type CustomerDetail, type CustomerFilters, type CustomerRow,
} from './customers.repository.ts';
export { groupsRepository, type GroupDetail, type GroupFilters, type GroupRow } from './groups.repository.ts';

export {
  messagesRepository, type ConversationInput, type MessageDecryption, type MessageInput, type MessageRow,
} from './messages.repository.ts';
export {
  MIN_INDEXED_QUERY_LENGTH, searchMessages, type MessageHit, type MessageSearchFilters,
} from './message-search.ts';
export { mediaRepository, type MediaInput, type MediaRow, type AttemptRow } from './media.repository.ts';
export {
  CONVERSATION_KINDS, MEDIA_STATUSES, MESSAGE_STATUSES, type ConversationKind, type MediaStatus, type MessageStatus,
} from './messages.table.ts';

import { join } from 'node:path';
import { redactUrl } from '../util/redact.ts';

/**
 * Where the store is, without opening it: kept apart from open.ts (which loads the database drivers)
 * so that the CLI's error handling can name the store without loading better-sqlite3 or pg.
 */

/** The SQLite file under DATA_DIR when no DATABASE_URL is configured. */
export const SQLITE_FILE_NAME = 'wecom-archive.db';

/** The SQLite file, or the PostgreSQL URL with its password redacted: what errors and `doctor` name. */
export function storeLocation(options: { databaseUrl?: string; dataDir: string }): string {
  return options.databaseUrl ? redactUrl(options.databaseUrl) : join(options.dataDir, SQLITE_FILE_NAME);
}

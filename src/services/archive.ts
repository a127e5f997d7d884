/**
 * The chat archive's use cases, one function each (src/services/archive/*.ts): what the CLI's
 * `archive …` commands, the HTTP routes and the background worker call.
 */
/** The code of a corp whose archive lease another process holds (a watch or worker stands by). */
export { ARCHIVE_BUSY } from '../archive/ingest/session.ts';
export { archiveCoverage, type CoverageInput, type CoverageReporter } from './archive/coverage.ts';
export { downloadMedia, runMediaQueue, type MediaInput } from './archive/media.ts';
export { pullArchives, type PullInput, type PullReporter } from './archive/pull.ts';
export { retryArchive, type RetryInput } from './archive/retry.ts';
export type { ArchiveRunInput, SessionReporter } from './archive/session.ts';
export { archiveStatuses, type StatusInput } from './archive/status.ts';
export { verifyArchives, type VerifyInput, type VerifyReporter } from './archive/verify.ts';
export { watchArchives, type WatchInput, type WatchReporter } from './archive/watch.ts';

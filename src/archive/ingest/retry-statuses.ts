import type { MessageStatus } from '../../store/index.ts';

/**
 * The statuses of messages stored encrypted that `archive retry` decrypts again. A module of its own
 * so that the CLI builds `--status` from it without loading the store (retry.ts re-exports it).
 */
export const RETRYABLE_STATUSES = ['missing_key', 'failed', 'quarantined'] as const satisfies readonly MessageStatus[];
export type RetryableStatus = (typeof RETRYABLE_STATUSES)[number];

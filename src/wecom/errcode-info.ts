import type { Text } from '../i18n/index.ts';
import type { CredentialKind } from './credentials.ts';

/* The shape of one entry of the error-code catalogue (errcodes.ts, errcodes-sdk.ts). */

/** How the client reacts (wecom-api.md §7). Only `busy`, `token`, `rate_limit` and `concurrency` apply to HTTP calls. */
export type RetryClass =
  | 'never' // a business answer: retrying cannot change it
  | 'busy' // -1: retry with backoff, at most 3 times
  | 'token' // token expired/invalid: invalidate, fetch a new one, retry once
  | 'rate_limit' // 45009: wait for the window to reset (≥60 s), never hot-retry
  | 'concurrency' // 45033: short exponential backoff and lower the endpoint's concurrency
  | 'transient' // archive SDK network/parse/system failure: retry with backoff
  | 'maybe'; // archive SDK: may succeed on retry, report if it persists

export interface ErrcodeInfo {
  code: number;
  /** How WeCom's errmsg starts (before the hints it appends); see UNVERIFIED for wordings of our own. */
  errmsg?: string;
  /**
   * The answer is about the ids sent (this member, customer or group), not about the set-up: a run
   * over many items notes the item and goes on, where a set-up error stops it.
   */
  item?: true;
  retry: RetryClass;
  meaning: Text;
  cause: Text;
  fix: Text;
  /** A more specific fix by the credential kind the endpoint wants (its first allowed kind). */
  fixFor?: Partial<Record<CredentialKind, Text>>;
}

import type { Generated } from 'kysely';

/**
 * Chat-archive tables (archive-sdk.md §2 envelope, §4 decrypted message). Designed here, with the
 * rest of the schema, and filled by src/archive.
 *
 * `seq` is WeCom's uint64 cursor. It is a `bigint` column on both dialects and is read back as a JS
 * `bigint` (integers.ts), so values beyond 2^53 round-trip exactly; the range is 0…2^63-1.
 */

export const MESSAGE_STATUSES = ['decrypted', 'quarantined', 'missing_key', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface MessageTable {
  /** Surrogate row id: SQLite's FTS5 external-content index needs a stable integer rowid. */
  id: Generated<number>;
  corp_id: string;
  seq: bigint;
  /** Unique per corp: the dedupe key (re-pulls from an older seq are normal). */
  msgid: string;
  publickey_ver: number | null;
  /** The envelope exactly as pulled, kept as evidence and for re-decryption when a key turns up. */
  encrypt_random_key: string;
  encrypt_chat_msg: string;
  status: MessageStatus;
  /** `send`, `recall`, `switch`. */
  action: string | null;
  msgtype: string | null;
  /** roomid for groups, else a stable id for the pair (chosen by the archive). */
  conversation_id: string | null;
  sender: string | null;
  /** JSON array (`tolist`). */
  receivers: string | null;
  /** UTC epoch ms. */
  msgtime: number | null;
  /** Text the message can be found by (content, file name, link title…); indexed for full text. */
  search_text: string | null;
  /** The decrypted message JSON, so unknown types survive. */
  raw_json: string | null;
  /** Hash chain over the archive (tamper evidence): each row's hash covers the previous one. */
  prev_hash: string | null;
  hash: string | null;
  ingested_at: number;
}

/**
 * pending: queued or partly downloaded; downloaded: stored and verified; md5_mismatch: stored, but
 * the bytes never matched the declared md5 after retries; expired: WeCom no longer has it (10010);
 * missing: WeCom does not know the file (10005); failed: gave up after repeated errors.
 */
export const MEDIA_STATUSES = ['pending', 'downloaded', 'failed', 'expired', 'missing', 'md5_mismatch'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

/** One downloadable item: a message's own media, or an item nested in mixed/chatrecord. */
export interface MessageMediaTable {
  corp_id: string;
  msgid: string;
  /** '' for the message's own media; e.g. `item[2]` for a nested item. */
  item_path: string;
  /** image, voice, video, emotion, file, … */
  media_type: string | null;
  /** A secret (it grants the download): never logged (src/util/redact.ts). */
  sdkfileid: string;
  md5sum: string | null;
  size: number | null;
  filename: string | null;
  status: MediaStatus;
  /** Where the blob store put it, and what it verified. */
  stored_path: string | null;
  sha256: string | null;
  mime: string | null;
  attempts: number;
  last_error: string | null;
  updated_at: number;
}

export const CONVERSATION_KINDS = ['single', 'group'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export interface ConversationTable {
  corp_id: string;
  conversation_id: string;
  kind: ConversationKind;
  name: string | null;
  last_msgtime: number | null;
}

/** Messages that failed to decrypt or crashed the SDK host: counted, then quarantined. */
export interface MessageAttemptTable {
  corp_id: string;
  msgid: string;
  seq: bigint;
  attempts: number;
  last_error: string | null;
  first_failed_at: number;
  last_failed_at: number;
  /** 0/1: gave up retrying automatically. */
  quarantined: number;
}

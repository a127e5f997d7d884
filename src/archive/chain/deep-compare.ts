import type { MediaInput, MediaRow, MessageRow } from '../../store/index.ts';
import { stripNul } from '../../store/sql-kit.ts';
import type { PreparedMessage } from '../ingest/records.ts';

/**
 * What `archive verify --deep` compares: the decrypted columns of a stored messages row and its
 * message_media rows against what the product would store now for the same envelope
 * (records.ts prepareMessage). Only the names of the differing columns come out, never their
 * values: raw_json and search_text are chat content, and sdkfileid grants the download.
 */

/** The messages columns prepareMessage fills for a decrypted message (status aside: it is the filter). */
export const DECRYPTED_COLUMNS = [
  'action', 'msgtype', 'conversation_id', 'sender', 'receivers', 'msgtime', 'search_text', 'raw_json',
] as const satisfies ReadonlyArray<keyof MessageRow>;

export type StoredDecrypted = Pick<MessageRow, (typeof DECRYPTED_COLUMNS)[number]>;

/**
 * The media columns taken from the message itself. `size` is left out on purpose: the downloader
 * replaces WeCom's declared size with the size of the bytes it stored (media.repository
 * markMediaDownloaded), so it legitimately differs from the message after a download.
 */
const MEDIA_COLUMNS = ['media_type', 'sdkfileid', 'md5sum', 'filename'] as const;

export type StoredMedia = Pick<MediaRow, 'item_path' | (typeof MEDIA_COLUMNS)[number]>;

/** The decrypted columns of `stored` that differ from those `expected` would write. */
export function differingColumns(stored: StoredDecrypted, expected: PreparedMessage['fields']): string[] {
  // The store drops NUL characters from search_text on write (PostgreSQL text cannot hold them).
  const written: StoredDecrypted = {
    action: expected.action ?? null, msgtype: expected.msgtype ?? null, conversation_id: expected.conversation_id ?? null,
    sender: expected.sender ?? null, receivers: expected.receivers ?? null, msgtime: expected.msgtime ?? null,
    search_text: stripNul(expected.search_text ?? null), raw_json: expected.raw_json ?? null,
  };
  return DECRYPTED_COLUMNS.filter((column) => (stored[column] ?? null) !== written[column]);
}

function mediaLabel(path: string): string {
  return `message_media[${path}]`;
}

/**
 * The message_media differences of one message, keyed by item path: `message_media[<path>].<column>`
 * for a changed column, `…:missing` for an item the message has but the store lacks, `…:unexpected`
 * for a stored item the message does not have.
 */
export function differingMedia(stored: readonly StoredMedia[], expected: readonly MediaInput[]): string[] {
  const have = new Map(stored.map((row) => [row.item_path, row]));
  const out: string[] = [];
  for (const item of expected) {
    const path = item.item_path ?? '';
    const row = have.get(path);
    have.delete(path);
    if (!row) {
      out.push(`${mediaLabel(path)}:missing`);
      continue;
    }
    for (const column of MEDIA_COLUMNS) {
      if ((row[column] ?? null) !== (item[column] ?? null)) out.push(`${mediaLabel(path)}.${column}`);
    }
  }
  for (const path of have.keys()) out.push(`${mediaLabel(path)}:unexpected`);
  return out;
}

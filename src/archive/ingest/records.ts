import type { ConversationKind, MediaInput, MessageStatus } from '../../store/index.ts';
import type { MessageDecryption } from '../../store/messages.repository.ts';
import { parseMessage } from '../parser/index.ts';
import type { ChatDataEnvelope, DecryptResult } from '../sdk/protocol.ts';

/**
 * What the puller and `archive retry` write for one message: the row's status and decrypted columns,
 * its media references, its conversation, and why it failed when it did. The envelope itself is
 * always stored as pulled, whatever happened to its decryption.
 */

export interface ConversationUpdate {
  conversation_id: string;
  kind: ConversationKind;
  last_msgtime: number | null;
}

/** Why a message is not decrypted, for message_attempts (never holds key material or content). */
export interface FailureNote {
  /** `crash`, `timeout` (quarantined); `rc=10006` (DecryptData's code); `unwrap` (the key does not fit). */
  error: string;
  quarantine: boolean;
}

export interface PreparedMessage {
  envelope: ChatDataEnvelope;
  fields: MessageDecryption & { status: MessageStatus };
  media: MediaInput[];
  conversation?: ConversationUpdate;
  failure?: FailureNote;
}

const EMPTY: Omit<MessageDecryption, 'status'> = {
  action: null, msgtype: null, conversation_id: null, sender: null, receivers: null, msgtime: null,
  search_text: null, raw_json: null,
};

/** The columns, media and conversation of a decrypted message (the parser never drops one). */
function decrypted(envelope: ChatDataEnvelope, json: string): PreparedMessage {
  const parsed = parseMessage(json, { seq: envelope.seq, msgid: envelope.msgid });
  const msgid = envelope.msgid;
  const fields = {
    status: 'decrypted' as const,
    action: parsed.action || null,
    msgtype: parsed.msgtype || null,
    conversation_id: parsed.conversationId,
    sender: parsed.sender?.id ?? null,
    receivers: JSON.stringify(parsed.receivers.map((r) => r.id)),
    msgtime: parsed.msgtime,
    search_text: parsed.text || null,
    raw_json: parsed.raw,
  };
  const media: MediaInput[] = parsed.media.map((m) => ({
    msgid, item_path: m.path, media_type: m.msgtype, sdkfileid: m.sdkfileid, md5sum: m.md5sum, size: m.size, filename: m.filename,
  }));
  const conversation = parsed.conversationId
    ? { conversation_id: parsed.conversationId, kind: (parsed.roomid ? 'group' : 'single') as ConversationKind, last_msgtime: parsed.msgtime }
    : undefined;
  return { envelope, fields, media, conversation };
}

function encrypted(envelope: ChatDataEnvelope, status: Exclude<MessageStatus, 'decrypted'>, failure?: FailureNote): PreparedMessage {
  return { envelope, fields: { status, ...EMPTY }, media: [], failure };
}

/** One envelope and what the SDK pool made of it → what is stored. */
export function prepareMessage(envelope: ChatDataEnvelope, result: DecryptResult): PreparedMessage {
  if (result.ok) return decrypted(envelope, result.json);
  if (result.kind === 'quarantined') return encrypted(envelope, 'quarantined', { error: result.cause, quarantine: true });
  switch (result.reason) {
    case 'no-key': return encrypted(envelope, 'missing_key');
    case 'unwrap': return encrypted(envelope, 'failed', { error: 'unwrap', quarantine: false });
    case 'sdk': return encrypted(envelope, 'failed', { error: `rc=${result.code}`, quarantine: false });
  }
}

/** DecryptData codes worth an immediate second try (10001-10003, 10008: archive-sdk.md §1.5). */
export function isRetryableResult(result: DecryptResult): boolean {
  return !result.ok && result.kind === 'error' && result.reason === 'sdk' && result.retryable;
}

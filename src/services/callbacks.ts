import { subjectOf } from '../callbacks/describe.ts';
import { CALLBACK_KINDS, type CallbackKind } from '../config/keys.ts';
import type { Config } from '../config/types.ts';
import type { Store } from '../store/database.ts';
import { inboxRepository, type NewInboxEvent } from '../store/inbox.repository.ts';
import { MsgCrypt } from '../wecom/callback/crypto.ts';
import { DEFAULT_MAX_BODY_BYTES, openCallback } from '../wecom/callback/envelope.ts';
import { CallbackError, type CallbackReason } from '../wecom/callback/errors.ts';
import { dedupeKey, parseEvent } from '../wecom/callback/parse-event.ts';
import { MemoryNonceBook } from '../wecom/callback/replay.ts';
import type { Runtime } from './runtime.ts';
import { inboxWritten } from './inbox-signal.ts';

/**
 * The callback receiver (issue 10 item 2), whatever face carries the HTTP request: checks the
 * request (signature in constant time, size, XML without entities, timestamp window, nonce, receive
 * id = corp id), writes the event to the durable inbox, and only then answers 200. It is applied
 * later (services/events.ts). A refusal has an empty body and stores nothing.
 */

export interface CallbackRequest {
  corpId: string;
  kind: string;
  method: 'GET' | 'POST';
  query: Record<string, string>;
  body: string;
  contentType?: string;
}

export interface CallbackReply {
  status: number;
  contentType: string;
  body: string;
  /** Why it was refused, for the face's log (never sent to the caller). */
  reason?: CallbackReason | 'unknown_route' | 'content_type' | 'store_failed';
}

/** WeCom's envelopes are a few KB (docs/callbacks.md); the route's body limit is the same number. */
export const CALLBACK_MAX_BYTES = DEFAULT_MAX_BODY_BYTES;
/** Media types WeCom (and its JSON mode) posts with; anything else is refused with 415. */
export const CALLBACK_CONTENT_TYPES = ['text/xml', 'application/xml', 'application/json', 'text/plain'] as const;

const TEXT = 'text/plain; charset=utf-8';

/** The status for each refusal: nothing in the answer tells an attacker which check failed beyond it. */
const STATUS_OF: Record<CallbackReason, number> = {
  bad_key: 404, bad_token: 404, // a kind whose keys do not make a crypt is as good as unconfigured
  missing_param: 400, bad_xml: 400, forbidden_dtd: 400, bad_json: 400, bad_envelope: 400,
  bad_base64: 400, bad_ciphertext: 400, bad_padding: 400, bad_length: 400, bad_encoding: 400,
  too_large: 413,
  bad_signature: 401,
  stale_timestamp: 403, replayed_nonce: 403, wrong_receive_id: 403,
};

interface Receiver {
  token: string;
  aesKey: string;
  crypt: MsgCrypt;
  /**
   * Per process, per (corp, kind). Another `serve` process does not see these nonces, nor does this
   * one after a restart: the inbox's unique (corp, dedupe key) is what guarantees a replayed event
   * is stored once across processes; the book only refuses replays quickly.
   */
  nonces: MemoryNonceBook;
}

const receivers = new WeakMap<Runtime, Map<string, Receiver>>();

/**
 * Group commit of the inbox writes, one queue per store: the first callback is written at once, and
 * those that arrive while it is being written go together in the next statement (one transaction,
 * one multi-row INSERT … ON CONFLICT DO NOTHING). Each request still waits for its own row to be
 * committed before it is answered.
 */
class InboxWriter {
  private queue: Array<{ event: NewInboxEvent; resolve(): void; reject(err: unknown): void }> = [];
  private running = false;

  constructor(private readonly store: Store) {}

  write(event: NewInboxEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await inboxRepository.insertMany(this.store.db, batch.map((item) => item.event));
        for (const item of batch) item.resolve();
      } catch (err) {
        for (const item of batch) item.reject(err);
      }
    }
    this.running = false;
  }
}

/** Rows per group commit: a burst beyond it waits for the next statement. */
const MAX_BATCH = 500;
const writers = new WeakMap<Store, InboxWriter>();

function writerFor(store: Store): InboxWriter {
  let writer = writers.get(store);
  if (!writer) writers.set(store, (writer = new InboxWriter(store)));
  return writer;
}

function refuse(status: number, reason: CallbackReply['reason']): CallbackReply {
  return { status, contentType: TEXT, body: '', reason };
}

/** The crypt and nonce book of one (corp, kind), made once; undefined when not configured. */
function receiverFor(runtime: Runtime, corpId: string, kind: string): Receiver | undefined {
  if (!(CALLBACK_KINDS as readonly string[]).includes(kind) || !runtime.corpIds.includes(corpId)) return undefined;
  const config: Config = runtime.corp(corpId);
  const keys = config.callbacks?.[kind as CallbackKind];
  if (!keys?.token || !keys.aesKey) return undefined;
  let byKind = receivers.get(runtime);
  if (!byKind) receivers.set(runtime, (byKind = new Map()));
  const id = `${corpId}\u0000${kind}`;
  const known = byKind.get(id);
  if (known && known.token === keys.token && known.aesKey === keys.aesKey) return known;
  const made: Receiver = {
    token: keys.token, aesKey: keys.aesKey,
    crypt: new MsgCrypt({ token: keys.token, encodingAesKey: keys.aesKey, receiveId: corpId }),
    nonces: new MemoryNonceBook(),
  };
  byKind.set(id, made);
  return made;
}

export async function receiveCallback(runtime: Runtime, req: CallbackRequest): Promise<CallbackReply> {
  let receiver: Receiver | undefined;
  try {
    receiver = receiverFor(runtime, req.corpId, req.kind);
  } catch (err) {
    if (err instanceof CallbackError) return refuse(404, err.reason);
    throw err;
  }
  if (!receiver) return refuse(404, 'unknown_route');
  try {
    if (req.method === 'GET') {
      // §5.1: the decrypted echostr as-is, nothing added.
      return { status: 200, contentType: TEXT, body: receiver.crypt.verifyUrl(req.query) };
    }
    if (!acceptedType(req.contentType)) return refuse(415, 'content_type');
    return await receivePost(runtime, receiver, req);
  } catch (err) {
    if (err instanceof CallbackError) return refuse(STATUS_OF[err.reason], err.reason);
    throw err;
  }
}

function acceptedType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (CALLBACK_CONTENT_TYPES as readonly string[]).includes(type);
}

async function receivePost(runtime: Runtime, receiver: Receiver, req: CallbackRequest): Promise<CallbackReply> {
  // The nonce is checked here rather than inside openCallback, after decryption as there, so that
  // an identical retry (same nonce, same event already stored) is answered 200 again.
  const opened = openCallback(receiver.crypt, req.query, req.body, { now: Date.now(), maxBytes: CALLBACK_MAX_BYTES });
  const event = parseEvent(opened.message);
  const key = dedupeKey(event);
  const store = await runtime.store();
  if (receiver.nonces.seen(opened.nonce, opened.timestamp)) {
    if (await inboxRepository.exists(store.db, req.corpId, key)) return { status: 200, contentType: TEXT, body: '' };
    throw new CallbackError('replayed_nonce');
  }
  try {
    await writerFor(store).write({
      corpId: req.corpId, kind: req.kind, eventKind: event.kind, dedupeKey: key, recordKey: subjectOf(event).recordKey,
      payload: opened.message, status: event.kind === 'unknown' ? 'ignored' : 'pending', receivedAt: Date.now(),
    });
  } catch (err) {
    // Not stored: forget the nonce so WeCom's retry of this very request is not refused as a replay.
    receiver.nonces.forget(opened.nonce);
    void err;
    return refuse(503, 'store_failed');
  }
  inboxWritten(runtime);
  // A duplicate (WeCom's retry) is answered like the first: it is stored once.
  return { status: 200, contentType: TEXT, body: '' };
}

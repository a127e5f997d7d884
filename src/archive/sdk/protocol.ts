/**
 * What the product and the SDK host processes say to each other (IPC with `serialization:
 * 'advanced'`, so bigint seqs and Buffer chunks cross unchanged), and the results the pool hands to
 * the archive engine.
 */

/** One item of GetChatData's `chatdata`, exactly as WeCom sent it (names camel-cased). */
export interface ChatDataEnvelope {
  /** uint64: beyond 2^53 in long-lived corps, hence bigint. */
  seq: bigint;
  msgid: string;
  publickeyVer: number;
  encryptRandomKey: string;
  encryptChatMsg: string;
}

export interface MediaChunk {
  /** The chunk's bytes (a copy; the SDK's memory is already freed). */
  data: Buffer;
  /** Pass to the next call; empty when finished. */
  nextIndexbuf: string;
  finished: boolean;
}

/** Why decrypting one message did not give its JSON. */
export type DecryptFailure =
  /** It crashed or hung the SDK host `attempts` times: store it encrypted, go on, retry later. */
  | { ok: false; msgid: string; kind: 'quarantined'; attempts: number; cause: 'crash' | 'timeout' }
  /** DecryptData returned a code (10006: wrong key …). */
  | { ok: false; msgid: string; kind: 'error'; reason: 'sdk'; code: number; retryable: boolean }
  /** No private key is configured for this publickey_ver. */
  | { ok: false; msgid: string; kind: 'error'; reason: 'no-key'; publickeyVer: number }
  /** The configured key for this publickey_ver does not open encrypt_random_key (wrong key file). */
  | { ok: false; msgid: string; kind: 'error'; reason: 'unwrap'; publickeyVer: number };

export type DecryptResult = { ok: true; msgid: string; json: string } | DecryptFailure;

/** A message to decrypt in a host: with the RSA-unwrapped key, or with the envelope's wrapped key. */
export type DecryptItem =
  | { msgid: string; msg: string; key: string }
  | { msgid: string; msg: string; ver: number; erk: string };

/** A host's answer for one item; the pool adds the msgid and the quarantine logic. */
export type ItemOutcome =
  | { ok: true; json: string }
  | { ok: false; reason: 'sdk'; code: number }
  | { ok: false; reason: 'no-key' | 'unwrap' };

export interface InitRequest {
  op: 'init';
  libraryPath: string;
  corpId: string;
  secret: string;
  /** publickey_ver → PKCS#8 PEM; only sent to hosts that decrypt envelopes. */
  keys: Array<[number, string]>;
}

export interface PullRequest {
  op: 'pull';
  seq: bigint;
  limit: number;
  proxy: string;
  passwd: string;
  timeoutSec: number;
}

export interface MediaRequest {
  op: 'media';
  sdkfileid: string;
  indexbuf: string;
  proxy: string;
  passwd: string;
  timeoutSec: number;
}

export interface DecryptRequest {
  op: 'decrypt';
  items: DecryptItem[];
}

export type HostRequest = InitRequest | PullRequest | MediaRequest | DecryptRequest;

/** GetChatData's JSON, parsed in the host (bigint-safe). */
export interface PullOutcome {
  errcode: number;
  errmsg: string;
  chatdata: ChatDataEnvelope[];
}

export interface ResultOf {
  init: { pid: number };
  pull: PullOutcome;
  media: MediaChunk;
  decrypt: ItemOutcome[];
}

/** Errors a host reports instead of a result (a crash or hang reports nothing: the pool notices). */
export type HostErrorPayload =
  | { kind: 'rc'; rc: number }
  | { kind: 'load'; message: string }
  | { kind: 'keys'; code: string; message: string }
  | { kind: 'parse'; message: string }
  | { kind: 'bad-request'; message: string };

export type HostMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: HostErrorPayload };

/** Messages a decrypt host did not answer for within the deadline, and what happens to them next. */
export interface SdkStall {
  /** The seqs of the batch (known for envelopes); one when the stuck message is found. */
  seqs: bigint[];
  seconds: number;
  /** `retry`: tried again, one message per call, and quarantined if it hangs `quarantineAfter` times; `quarantine`: given up. */
  next: 'retry' | 'quarantine';
}

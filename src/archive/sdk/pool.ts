import { availableParallelism } from 'node:os';
import { DEFAULT_API_BASE } from '../../wecom/endpoints.ts';
import { SDK_CODE } from '../../wecom/errcodes.ts';
import type { KeyRing } from '../keys/keyring.ts';
import { ArchiveApiError, FinanceSdkError, SdkHostError, isRetryableReturnCode } from './errors.ts';
import { HostDiedError } from './host-process.ts';
import type {
  ChatDataEnvelope, DecryptItem, DecryptResult, HostRequest, InitRequest, ItemOutcome, MediaChunk, ResultOf, SdkStall,
} from './protocol.ts';
import { SupervisedHost, assertLibraryFile, toCallerError } from './supervisor.ts';

/**
 * The archive engine's door to the Finance SDK. Pull and media go to one "io" host (they block on
 * the network for seconds and must stay sequential per corp anyway); decryption runs on a pool of
 * hosts, one per core by default, each doing RSA and DecryptData for a batch per IPC round trip.
 * A host that crashes, exits or hangs is replaced and the call retried; a message that brings a host
 * down `quarantineAfter` times comes back as `quarantined` instead of failing the batch.
 */
export interface SdkPoolOptions {
  libraryPath: string;
  corpId: string;
  /** The chat-archive secret. */
  secret: string;
  /** Given to the hosts as WECOM_API_BASE (the stand-in's server; Tencent's library ignores it). */
  apiBase?: string;
  /** Private keys per publickey_ver, for decryptEnvelopes (RSA runs inside the decrypt hosts). */
  keys?: KeyRing;
  /** Decrypt hosts; default: the number of cores. */
  hosts?: number;
  /** Deadline of one call (pull, media chunk, decrypt batch) before its host is killed. */
  timeoutMs?: number;
  /** The SDK's own network timeout (seconds) for pull and media; kept below timeoutMs. */
  networkTimeoutSec?: number;
  /** For the SDK's proxy arguments: `http://host:port` or `socks5://host:port`, and `user:password`. */
  proxy?: string;
  proxyPassword?: string;
  /** Retries of a pull or media call whose host died. */
  retries?: number;
  /** Host deaths during one message's decryption before it is quarantined. */
  quarantineAfter?: number;
  /** Most messages per decrypt round trip. */
  batchSize?: number;
  startTimeoutMs?: number;
  /** A decrypt call ran past its deadline (the host is killed): said at once, not only in the summary. */
  onStall?(stall: SdkStall): void;
}

interface PendingItem {
  item: DecryptItem;
  /** Not sent to the host: only to say which message a host is stuck on. */
  seq?: bigint;
  strikes: number;
  settle(result: DecryptResult): void;
  fail(err: Error): void;
}

export interface SdkPoolStats {
  restarts: number;
  crashes: number;
  timeouts: number;
  /** Decrypt batches served, per host process id: shows the work spread over processes. */
  batchesByPid: Record<number, number>;
}

export class SdkPool {
  private readonly queue: PendingItem[][] = [];
  private readonly idle: Array<() => void> = [];
  private closed = false;
  private ioChain: Promise<unknown> = Promise.resolve();
  private readonly counters = { crashes: 0, timeouts: 0, batchesByPid: {} as Record<number, number> };

  private constructor(
    private readonly options: Required<Omit<SdkPoolOptions, 'keys' | 'proxy' | 'proxyPassword' | 'onStall'>> & Pick<SdkPoolOptions, 'keys' | 'onStall'>,
    private readonly io: SupervisedHost,
    private readonly decryptHosts: SupervisedHost[],
    private readonly network: { proxy: string; passwd: string },
  ) {}

  static async start(options: SdkPoolOptions): Promise<SdkPool> {
    assertLibraryFile(options.libraryPath);
    const timeoutMs = options.timeoutMs ?? 30_000;
    const resolved = {
      apiBase: options.apiBase ?? process.env.WECOM_API_BASE ?? DEFAULT_API_BASE,
      hosts: Math.max(1, options.hosts ?? availableParallelism()),
      timeoutMs,
      networkTimeoutSec: Math.max(1, Math.min(options.networkTimeoutSec ?? 10, Math.floor(timeoutMs / 1000) - 1)),
      retries: options.retries ?? 2,
      quarantineAfter: options.quarantineAfter ?? 3,
      batchSize: options.batchSize ?? 64,
      startTimeoutMs: options.startTimeoutMs ?? 60_000,
      libraryPath: options.libraryPath,
      corpId: options.corpId,
      secret: options.secret,
      keys: options.keys,
      onStall: options.onStall,
    };
    const init = (keys: Array<[number, string]>): InitRequest =>
      ({ op: 'init', libraryPath: resolved.libraryPath, corpId: resolved.corpId, secret: resolved.secret, keys });
    const host = (keys: Array<[number, string]>) =>
      new SupervisedHost({ apiBase: resolved.apiBase, init: init(keys), startTimeoutMs: resolved.startTimeoutMs });
    const pems = resolved.keys?.exportPems() ?? [];
    const io = host([]);
    const decryptHosts = Array.from({ length: resolved.hosts }, () => host(pems));
    const network = { proxy: options.proxy ?? '', passwd: options.proxyPassword ?? '' };
    const pool = new SdkPool(resolved, io, decryptHosts, network);
    try {
      await Promise.all([io, ...decryptHosts].map((h) => h.ensure()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    for (const h of decryptHosts) void pool.work(h);
    return pool;
  }

  /** Messages after `seq` (exclusive), at most `limit` (≤ 1000). Both error layers throw. */
  async pull(seq: bigint, limit = 1000): Promise<ChatDataEnvelope[]> {
    const { proxy, passwd } = this.network;
    const timeoutSec = this.options.networkTimeoutSec;
    const out = await this.ioCall('pull', { op: 'pull', seq, limit, proxy, passwd, timeoutSec });
    if (out.errcode !== 0) throw new ArchiveApiError(out.errcode, out.errmsg);
    return out.chatdata;
  }

  /** One chunk (≤ 512 KB) of a media file; start with indexbuf '' and pass nextIndexbuf on. */
  async mediaChunk(sdkfileid: string, indexbuf = ''): Promise<MediaChunk> {
    const { proxy, passwd } = this.network;
    const request = { op: 'media' as const, sdkfileid, indexbuf, proxy, passwd, timeoutSec: this.options.networkTimeoutSec };
    const chunk = await this.ioCall('media', request);
    // Advanced IPC serialization may hand a Buffer over as a plain Uint8Array.
    const bytes: Uint8Array = chunk.data;
    const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { ...chunk, data };
  }

  /** Every chunk of a media file in order. */
  async *media(sdkfileid: string): AsyncGenerator<Buffer> {
    let indexbuf = '';
    for (;;) {
      const chunk = await this.mediaChunk(sdkfileid, indexbuf);
      yield chunk.data;
      if (chunk.finished) return;
      // A continuation that goes nowhere would loop forever: treat it as unparseable output.
      if (!chunk.nextIndexbuf || chunk.nextIndexbuf === indexbuf) throw new FinanceSdkError('media', SDK_CODE.PARSE_FAILURE);
      indexbuf = chunk.nextIndexbuf;
    }
  }

  /** DecryptData for one message whose encrypt_random_key the caller already unwrapped. */
  async decrypt(randomKey: string, encryptChatMsg: string, msgid: string): Promise<DecryptResult> {
    const [result] = await this.submit([{ msgid, msg: encryptChatMsg, key: randomKey }]);
    return result;
  }

  /** RSA unwrap + DecryptData for each envelope in the decrypt hosts; results in the same order. */
  async decryptEnvelopes(envelopes: ChatDataEnvelope[]): Promise<DecryptResult[]> {
    const items = envelopes.map((e) => ({ msgid: e.msgid, msg: e.encryptChatMsg, ver: e.publickeyVer, erk: e.encryptRandomKey }));
    return this.submit(items, envelopes.map((e) => e.seq));
  }

  stats(): SdkPoolStats {
    const restarts = [this.io, ...this.decryptHosts].reduce((sum, h) => sum + h.restarts, 0);
    return { restarts, crashes: this.counters.crashes, timeouts: this.counters.timeouts, batchesByPid: { ...this.counters.batchesByPid } };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.idle.splice(0)) wake();
    for (const batch of this.queue.splice(0)) {
      for (const p of batch) p.fail(new SdkHostError('closed', 'decrypt', 'closed'));
    }
    await Promise.all([this.io, ...this.decryptHosts].map((h) => h.close()));
  }

  /**
   * One io call at a time: the host would queue them anyway, and a call's deadline must start when
   * the host starts on it, not while it waits behind a slow media chunk.
   */
  private ioCall<K extends 'pull' | 'media'>(operation: K, request: Extract<HostRequest, { op: K }>): Promise<ResultOf[K]> {
    const run = this.ioChain.then(() => this.ioCallNow(operation, request));
    this.ioChain = run.catch(() => undefined);
    return run;
  }

  private async ioCallNow<K extends 'pull' | 'media'>(operation: K, request: Extract<HostRequest, { op: K }>): Promise<ResultOf[K]> {
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new SdkHostError('closed', operation, 'closed');
      try {
        return await this.io.call(request, this.options.timeoutMs);
      } catch (err) {
        if (!(err instanceof HostDiedError)) throw toCallerError(err, operation);
        this.count(err);
        if (attempt >= this.options.retries) {
          throw new SdkHostError(err.deathCause === 'timeout' ? 'timeout' : 'crash', operation, err.detail);
        }
      }
    }
  }

  private submit(items: DecryptItem[], seqs: bigint[] = []): Promise<DecryptResult[]> {
    if (this.closed) return Promise.reject(new SdkHostError('closed', 'decrypt', 'closed'));
    const results: DecryptResult[] = new Array(items.length);
    if (items.length === 0) return Promise.resolve(results);
    return new Promise((resolve, reject) => {
      let left = items.length;
      const pending = items.map((item, i): PendingItem => ({
        item,
        seq: seqs[i],
        strikes: 0,
        settle: (result) => {
          results[i] = result;
          if (--left === 0) resolve(results);
        },
        fail: reject,
      }));
      // A message without a key needs no round trip.
      const ready = pending.filter((p) => {
        if (!('ver' in p.item) || this.options.keys?.has(p.item.ver)) return true;
        p.settle({ ok: false, msgid: p.item.msgid, kind: 'error', reason: 'no-key', publickeyVer: p.item.ver });
        return false;
      });
      // Small submissions are still spread over every host.
      const size = Math.max(1, Math.min(this.options.batchSize, Math.ceil(ready.length / this.decryptHosts.length)));
      for (let i = 0; i < ready.length; i += size) this.enqueue(ready.slice(i, i + size));
    });
  }

  private enqueue(batch: PendingItem[], front = false): void {
    if (front) this.queue.unshift(batch);
    else this.queue.push(batch);
    this.idle.shift()?.();
  }

  private async take(): Promise<PendingItem[] | undefined> {
    while (!this.closed) {
      const batch = this.queue.shift();
      if (batch) return batch;
      await new Promise<void>((wake) => this.idle.push(wake));
    }
    return undefined;
  }

  /** One loop per decrypt host: a batch at a time, so a death is charged to that batch only. */
  private async work(host: SupervisedHost): Promise<void> {
    for (let batch = await this.take(); batch; batch = await this.take()) {
      try {
        const outcomes = await host.call({ op: 'decrypt', items: batch.map((p) => p.item) }, this.options.timeoutMs);
        const pid = host.pid ?? 0;
        this.counters.batchesByPid[pid] = (this.counters.batchesByPid[pid] ?? 0) + 1;
        batch.forEach((p, i) => p.settle(toResult(p.item, outcomes[i])));
      } catch (err) {
        if (err instanceof HostDiedError) this.onDeath(batch, err);
        else for (const p of batch) p.fail(toCallerError(err, 'decrypt'));
      }
    }
  }

  /**
   * Every message of the batch gets a strike; those at the limit are quarantined, the others are
   * retried one per batch so the next death points at exactly one message.
   */
  private onDeath(batch: PendingItem[], err: HostDiedError): void {
    this.count(err);
    const cause = err.deathCause === 'timeout' ? 'timeout' : 'crash';
    if (cause === 'timeout') this.reportStall(batch);
    for (const p of batch) {
      p.strikes++;
      if (p.strikes >= this.options.quarantineAfter) {
        p.settle({ ok: false, msgid: p.item.msgid, kind: 'quarantined', attempts: p.strikes, cause });
      } else if (this.closed) {
        p.fail(new SdkHostError('closed', 'decrypt', 'closed'));
      } else {
        this.enqueue([p], true);
      }
    }
  }

  /** Before the strikes are counted: a message at its last strike is quarantined, the others retried. */
  private reportStall(batch: PendingItem[]): void {
    const seqs = batch.flatMap((p) => (p.seq === undefined ? [] : [p.seq]));
    const next = batch.every((p) => p.strikes + 1 >= this.options.quarantineAfter) ? 'quarantine' : 'retry';
    this.options.onStall?.({ seqs, seconds: Math.round(this.options.timeoutMs / 1000), next });
  }

  private count(err: HostDiedError): void {
    if (err.deathCause === 'timeout') this.counters.timeouts++;
    else this.counters.crashes++;
  }
}

function toResult(item: DecryptItem, outcome: ItemOutcome): DecryptResult {
  if (outcome.ok) return { ok: true, msgid: item.msgid, json: outcome.json };
  if (outcome.reason === 'sdk') {
    return { ok: false, msgid: item.msgid, kind: 'error', reason: 'sdk', code: outcome.code, retryable: isRetryableReturnCode(outcome.code) };
  }
  return { ok: false, msgid: item.msgid, kind: 'error', reason: outcome.reason, publickeyVer: 'ver' in item ? item.ver : -1 };
}

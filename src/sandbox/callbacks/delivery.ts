import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CallbackKind, EventKind } from '../../wecom/callback/events.ts';

/**
 * Posting callbacks as WeCom does (wecom-api.md §5.1, corrected by §5.6): one POST per event and
 * callback URL, a 5 s time-out, and retries ONLY when the request failed on the network or timed
 * out — WeCom retries 3 times — never on an HTTP answer, whatever its status. Deliveries of one corp
 * go out one after another, in order, a retried one before the next. The queue is in memory and
 * bounded: beyond it a delivery is dropped and counted.
 */

export interface DeliverySettings {
  /** WeCom drops the connection after 5 s. */
  timeoutMs: number;
  /** Pause before each retry; its length is the number of retries (WeCom: 3). */
  retryDelaysMs: number[];
  /** Deliveries waiting per corp before new ones are dropped. */
  maxQueue: number;
}

/**
 * The reference documents the time-out and the count of retries, not their spacing: the default
 * pauses are ours (1 s, 2 s, 4 s). Tests shorten them, or inject `sleep`.
 */
export const DEFAULT_DELIVERY: DeliverySettings = { timeoutMs: 5000, retryDelaysMs: [1000, 2000, 4000], maxQueue: 1000 };

export type DeliveryStatus = 'pending' | 'acknowledged' | 'rejected' | 'failed' | 'dropped';

export interface DeliveryRecord {
  id: string;
  corpId: string;
  kind: CallbackKind;
  event: EventKind;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  /** The receiver's HTTP status, once it answered. */
  httpStatus?: number;
  /** The last network error (retried) or the reason of a drop. */
  error?: string;
}

export interface DeliveryStats {
  /** POST requests made, retries included. */
  sent: number;
  /** Deliveries answered 200. */
  acknowledged: number;
  /** Retry attempts made (after a network failure or a time-out). */
  retried: number;
  /** Deliveries that did not end in a 200: an HTTP error answer (not retried) or every retry failed. */
  failed: number;
  /** Of `failed`: the ones answered with an HTTP error status. */
  rejected: number;
  /** Queued or in flight. */
  pending: number;
  /** Not queued: the corp's queue was full. */
  dropped: number;
}

export interface PreparedRequest {
  corpId: string;
  kind: CallbackKind;
  event: EventKind;
  url: string;
  /** The sealed request: the same bytes on every retry, as a retry is the same request. */
  query: Record<string, string>;
  body: string;
}

export interface DeliveryDeps {
  settings: () => DeliverySettings;
  /** Waits before a retry (injected in tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** The last deliveries kept for GET /__sandbox/callbacks. */
const RECENT = 50;

export class CallbackDelivery {
  private readonly queues = new Map<string, Array<{ record: DeliveryRecord; request: PreparedRequest }>>();
  private readonly draining = new Map<string, Promise<void>>();
  private readonly recentRecords: DeliveryRecord[] = [];
  private readonly counters: Omit<DeliveryStats, 'pending'> = { sent: 0, acknowledged: 0, retried: 0, failed: 0, rejected: 0, dropped: 0 };
  private pendingCount = 0;
  private sequence = 0;
  private closed = false;
  private readonly inFlight = new Set<() => void>();
  private wake: () => void = () => undefined;
  private readonly closedSignal = new Promise<void>((resolve) => (this.wake = resolve));

  constructor(private readonly deps: DeliveryDeps) {}

  enqueue(request: PreparedRequest): DeliveryRecord {
    const record: DeliveryRecord = {
      id: `d${String(++this.sequence).padStart(6, '0')}`, corpId: request.corpId, kind: request.kind, event: request.event,
      url: request.url, status: 'pending', attempts: 0,
    };
    this.remember(record);
    const queue = this.queues.get(request.corpId) ?? [];
    if (this.closed || queue.length >= this.deps.settings().maxQueue) {
      record.status = 'dropped';
      record.error = this.closed ? 'the sandbox is closing' : 'the delivery queue is full';
      this.counters.dropped++;
      return record;
    }
    queue.push({ record, request });
    this.queues.set(request.corpId, queue);
    this.pendingCount++;
    if (!this.draining.has(request.corpId)) this.draining.set(request.corpId, this.drain(request.corpId));
    return record;
  }

  stats(): DeliveryStats {
    return { ...this.counters, pending: this.pendingCount };
  }

  recent(): DeliveryRecord[] {
    return this.recentRecords.map((r) => ({ ...r }));
  }

  /** Resolves once every queued delivery has ended (acknowledged, rejected or failed). */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await Promise.all([...this.draining.values()]);
  }

  /** Stops: new deliveries are dropped, requests in flight aborted, queued ones end as failed. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    for (const abort of this.inFlight) abort();
    await this.idle();
  }

  /**
   * One POST with node:http (not fetch, whose "bad ports" list would refuse some receivers), the
   * answer's status once the whole answer arrived; a time-out destroys the request, as WeCom drops it.
   */
  private post(url: string, body: string, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const send = url.startsWith('https:') ? httpsRequest : httpRequest;
      const req = send(url, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => finish(() => resolve(res.statusCode ?? 0)));
        res.on('error', (err) => finish(() => reject(err)));
      });
      const abort = () => req.destroy(new Error('the sandbox closed'));
      const timer = setTimeout(() => req.destroy(new TimedOut()), timeoutMs);
      const finish = (then: () => void) => {
        clearTimeout(timer);
        this.inFlight.delete(abort);
        then();
      };
      this.inFlight.add(abort);
      req.on('error', (err) => finish(() => reject(err)));
      req.end(body);
    });
  }

  private remember(record: DeliveryRecord): void {
    this.recentRecords.push(record);
    if (this.recentRecords.length > RECENT) this.recentRecords.shift();
  }

  private async drain(corpId: string): Promise<void> {
    const queue = this.queues.get(corpId)!;
    try {
      for (let job = queue.shift(); job; job = queue.shift()) {
        await this.deliver(job.record, job.request);
        this.pendingCount--;
      }
    } finally {
      this.draining.delete(corpId);
    }
  }

  private async deliver(record: DeliveryRecord, request: PreparedRequest): Promise<void> {
    const settings = this.deps.settings();
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
    const url = `${request.url}?${new URLSearchParams(request.query)}`;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        await Promise.race([sleep(settings.retryDelaysMs[attempt - 1]!), this.closedSignal]);
        if (!this.closed) this.counters.retried++;
      }
      if (this.closed) {
        record.status = 'failed';
        record.error = 'the sandbox closed';
        this.counters.failed++;
        return;
      }
      record.attempts++;
      this.counters.sent++;
      try {
        const status = await this.post(url, request.body, settings.timeoutMs);
        record.httpStatus = status;
        // An HTTP answer ends the delivery: WeCom does not retry on a status (§5.6).
        if (status === 200) {
          record.status = 'acknowledged';
          this.counters.acknowledged++;
        } else {
          record.status = 'rejected';
          this.counters.failed++;
          this.counters.rejected++;
        }
        return;
      } catch (err) {
        record.error = networkError(err);
        if (attempt >= settings.retryDelaysMs.length) {
          record.status = 'failed';
          this.counters.failed++;
          return;
        }
      }
    }
  }
}

class TimedOut extends Error {
  override name = 'TimedOut';
}

function networkError(err: unknown): string {
  if (err instanceof TimedOut) return 'timed out';
  return (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));
}

import { setMaxListeners } from 'node:events';
import { UserError } from '../util/errors.ts';
import { sleepUnlessAborted } from '../util/stop-signal.ts';
import type { FetchLike } from '../wecom/transport.ts';

/**
 * A sync asked to stop (SIGTERM to `serve` or `worker`, Ctrl+C on `sync`) stops at its next page:
 * what it wrote is committed with its checkpoint, so the next run resumes there. A rate-limit wait
 * or a request in flight is cut short too, so a stop does not wait out a per-minute window.
 */

/** The code of a run that ended before it finished: stopped on request, or killed (closed by the next run). */
export const SYNC_INTERRUPTED = 'interrupted';

export class SyncInterrupted extends UserError {
  constructor() {
    super(SYNC_INTERRUPTED, {
      what: { zh: '同步已中断：进程正在停止', en: 'The sync was interrupted: the process is stopping' },
      why: { zh: '已写入的每一页都已连同检查点提交', en: 'Every page written so far is committed with its checkpoint' },
      fix: { zh: '下次同步（定时同步或 wecom-archive sync）从中断处继续', en: 'The next sync (scheduled, or wecom-archive sync) resumes where this one stopped' },
    });
  }
}

/** Throws SyncInterrupted once `signal` has aborted: called between pages. */
export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SyncInterrupted();
}

/**
 * Every request and wait in flight listens to the stop signal until it ends (then lets go): a sync
 * has far more than Node's default of 10 at once, which would print a false "possible memory leak"
 * warning on stderr, where `worker` writes its JSON log.
 */
function listenersUnbounded(signal: AbortSignal): AbortSignal {
  setMaxListeners(0, signal);
  return signal;
}

/** The client's waits (rate limits, retry backoff), ended early with SyncInterrupted when `signal` aborts. */
export function interruptibleSleep(stop: AbortSignal): (ms: number) => Promise<void> {
  const signal = listenersUnbounded(stop);
  return async (ms) => {
    await sleepUnlessAborted(ms, signal);
    stopIfAborted(signal);
  };
}

/**
 * A fetch whose requests are also aborted by `signal` (besides their own time-out). One controller a
 * request, its listeners removed when the request ends: the stop signal lives as long as the
 * process, and must not collect one listener per request.
 */
export function interruptibleFetch(inner: FetchLike, stop: AbortSignal): FetchLike {
  const signal = listenersUnbounded(stop);
  return async (url, init) => {
    const controller = new AbortController();
    const abort = () => controller.abort(signal.aborted ? signal.reason : init.signal?.reason);
    const sources = [signal, ...(init.signal ? [init.signal] : [])];
    if (sources.some((s) => s.aborted)) abort();
    for (const source of sources) source.addEventListener('abort', abort, { once: true });
    try {
      return await inner(url, { ...init, signal: controller.signal });
    } finally {
      for (const source of sources) source.removeEventListener('abort', abort);
    }
  };
}

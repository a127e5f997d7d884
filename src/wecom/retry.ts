import { WecomApiError, WecomTransportError } from './errors.ts';

/**
 * When a failed WeCom call is tried again, and after how long (wecom-api.md §7). Token errors
 * (40014/42001) are not handled here but by the token layer, which retries exactly once.
 */

export interface RetryPolicy {
  name: string;
  /** errcode -1: WeCom's own advice is at most 3 retries. */
  busyRetries: number;
  /** Network failures and HTTP 5xx. */
  networkRetries: number;
  /** 45033, each followed by a lower concurrency for the endpoint. */
  concurrencyRetries: number;
  /** 45009 windows waited out before giving up. */
  rateLimitWaits: number;
  /** Exponential backoff for busy/network: base·2^n, capped, minus up to `jitter`·delay. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** 45033 backoff: 1 s, 2 s, then 3 s (wecom-api.md §7: "retry after 1–3 s with exponential backoff"). */
  concurrencyDelayMs: { min: number; max: number };
  /** 45009: the ban lasts the window that was exceeded; the minute window is the shortest. */
  rateLimitWaitMs: number;
  jitter: number;
}

export const RETRY_POLICIES = {
  /** Syncs and workers: patient, waits out a minute window. */
  default: {
    name: 'default', busyRetries: 3, networkRetries: 3, concurrencyRetries: 5, rateLimitWaits: 2,
    baseDelayMs: 500, maxDelayMs: 8_000, concurrencyDelayMs: { min: 1_000, max: 3_000 }, rateLimitWaitMs: 60_000, jitter: 0.2,
  },
  /** A person waiting at the CLI (`call`, `doctor`): fail soon with the cause rather than sit for minutes. */
  interactive: {
    name: 'interactive', busyRetries: 3, networkRetries: 1, concurrencyRetries: 3, rateLimitWaits: 0,
    baseDelayMs: 300, maxDelayMs: 2_000, concurrencyDelayMs: { min: 1_000, max: 3_000 }, rateLimitWaitMs: 60_000, jitter: 0.2,
  },
  /** Tests: the same decisions, near-instant delays, so retry paths run in milliseconds. */
  test: {
    name: 'test', busyRetries: 3, networkRetries: 3, concurrencyRetries: 5, rateLimitWaits: 2,
    baseDelayMs: 1, maxDelayMs: 4, concurrencyDelayMs: { min: 1, max: 3 }, rateLimitWaitMs: 5, jitter: 0,
  },
} as const satisfies Record<string, RetryPolicy>;

export type RetryPolicyName = keyof typeof RETRY_POLICIES;

export type RetryReason = 'busy' | 'network' | 'http_5xx' | 'rate_limit' | 'concurrency';

export type RetryDecision = { retry: false } | { retry: true; reason: RetryReason; delayMs: number };

export interface RetryContext {
  policy: RetryPolicy;
  /** The endpoint is a read (catalogue `retrySafe`): an ambiguous failure may be repeated. */
  retrySafe: boolean;
  /** Retries already made for this call, per reason. */
  attempts: Partial<Record<RetryReason, number>>;
  /** Throw 45009 at once instead of waiting (doctor: tell the user now). */
  failFastOnRateLimit?: boolean;
  /** [0, 1); injectable so tests see exact delays. */
  random?: () => number;
}

const NO: RetryDecision = { retry: false };

/** The one retry decision. Every rule says why. */
export function shouldRetry(err: unknown, ctx: RetryContext): RetryDecision {
  const { policy } = ctx;
  const tried = (reason: RetryReason) => ctx.attempts[reason] ?? 0;
  const backoff = (reason: RetryReason, max: number): RetryDecision =>
    tried(reason) < max ? { retry: true, reason, delayMs: exponential(policy, tried(reason), ctx.random) } : NO;

  if (err instanceof WecomApiError) {
    switch (err.retryClass) {
      // -1 "system busy": an answer, not an ambiguous failure; WeCom says retry (≤3), writes included.
      case 'busy':
        return backoff('busy', policy.busyRetries);
      // 45009: the request was refused, not processed, so even a write may be repeated; but only
      // after the window resets. Hot retries would extend the ban. doctor wants the cause at once.
      case 'rate_limit':
        if (ctx.failFastOnRateLimit || tried('rate_limit') >= policy.rateLimitWaits) return NO;
        return { retry: true, reason: 'rate_limit', delayMs: policy.rateLimitWaitMs * 2 ** tried('rate_limit') };
      // 45033: too many in flight; refused, so safe for writes. Short exponential backoff (1–3 s);
      // the caller also lowers the endpoint's concurrency.
      case 'concurrency': {
        if (tried('concurrency') >= policy.concurrencyRetries) return NO;
        const { min, max } = policy.concurrencyDelayMs;
        return { retry: true, reason: 'concurrency', delayMs: Math.min(max, min * 2 ** tried('concurrency')) };
      }
      // Every other business errcode is a definite answer: retrying cannot change it (40001 would
      // even get the IP banned). Token errors are the token layer's, once.
      default:
        return NO;
    }
  }

  if (err instanceof WecomTransportError) {
    switch (err.failure) {
      // A 5xx may come after WeCom acted: repeat reads only. 4xx and non-JSON bodies are not transient.
      case 'http':
        return err.status !== undefined && err.status >= 500 && ctx.retrySafe ? backoff('http_5xx', policy.networkRetries) : NO;
      // Wrong proxy credentials or a TLS/certificate problem do not heal by themselves.
      case 'proxy_auth':
      case 'tls':
        return NO;
      // A proxy that refuses the tunnel with 4xx is a policy; with 5xx it may be a passing upstream failure.
      case 'proxy_rejected':
        return err.status !== undefined && err.status >= 500 ? backoff('network', policy.networkRetries) : NO;
      // Connection never made (DNS, refused, proxy down): nothing reached WeCom, so writes may retry too.
      // Reset or timeout: WeCom may have acted, so only reads are repeated.
      default:
        return !err.mayHaveReached || ctx.retrySafe ? backoff('network', policy.networkRetries) : NO;
    }
  }

  // Anything else is a bug, not a transient condition.
  return NO;
}

function exponential(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(raw * (1 - policy.jitter * random()));
}

import type { CredentialKind } from './endpoints.ts';
import { WecomApiError, WecomMissingCredentialError } from './errors.ts';
import type { RateLimiter } from './rate-limit.ts';
import { shouldRetry, type RetryPolicy, type RetryReason } from './retry.ts';
import type { TokenManager } from './tokens.ts';
import type { WecomResponse, WireRequest } from './transport.ts';

/**
 * The named layers around the transport's pure `send` (style-anchors lesson B.6). Outer to inner:
 *   auth        picks the credential kind and puts its token on the request;
 *   tokenRetry  on 40014/42001 invalidates that token and repeats once with a fresh one;
 *   retry       -1, 45009, 45033, network errors and 5xx, per `shouldRetry`;
 *   rateLimit   per (corp, endpoint) budget and concurrency, around every single attempt.
 * gettoken goes through retry and rateLimit only: the token layers never wrap it.
 */

export interface CallRequest extends WireRequest {
  /** Use this credential kind instead of the catalogue's first configured one. */
  forced?: CredentialKind;
}
export type Handler = (req: CallRequest) => Promise<WecomResponse>;
export type Layer = (next: Handler) => Handler;

export interface WecomLogger {
  debug?(event: string, fields: Record<string, unknown>): void;
  warn?(event: string, fields: Record<string, unknown>): void;
}

/** The first allowed kind the user configured (customer endpoints: CUSTOMER_SECRET, else APP_SECRET). */
export function pickCredential(
  endpoint: string,
  allowed: readonly CredentialKind[],
  secrets: Partial<Record<CredentialKind, string>>,
  forced?: CredentialKind,
): CredentialKind {
  if (forced) {
    // Forcing a kind the catalogue does not list is allowed on purpose: `call --credential app` on a
    // msgaudit endpoint shows the user the 48002 they would get.
    if (!secrets[forced]) throw new WecomMissingCredentialError(endpoint, [forced]);
    return forced;
  }
  const kind = allowed.find((candidate) => secrets[candidate]);
  if (!kind) throw new WecomMissingCredentialError(endpoint, allowed);
  return kind;
}

export function authLayer(tokens: TokenManager, secrets: Partial<Record<CredentialKind, string>>): Layer {
  return (next) => async (req) => {
    if (req.spec.credentials.length === 0 && !req.forced) return next(req);
    const credential = pickCredential(req.endpoint, req.spec.credentials, secrets, req.forced);
    return next({ ...req, credential, accessToken: await tokens.get(credential) });
  };
}

export function tokenRetryLayer(tokens: TokenManager, logger?: WecomLogger): Layer {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (err) {
      if (!(err instanceof WecomApiError) || err.retryClass !== 'token' || !req.accessToken || !req.credential) throw err;
      // Exactly once, structurally: the repeat calls `next`, not this layer, so a fresh token that
      // is rejected again surfaces as the error (WxJava added its guard after an endless loop).
      await tokens.invalidate(req.credential, req.accessToken);
      logger?.warn?.('wecom.token_rejected', { endpoint: req.endpoint, errcode: err.errcode, credential: req.credential });
      return next({ ...req, accessToken: await tokens.get(req.credential) });
    }
  };
}

export function retryLayer(deps: {
  policy: RetryPolicy;
  failFastOnRateLimit?: boolean;
  limiter: RateLimiter;
  limitKey: (req: CallRequest) => string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: WecomLogger;
}): Layer {
  return (next) => async (req) => {
    const attempts: Partial<Record<RetryReason, number>> = {};
    for (;;) {
      try {
        return await next(req);
      } catch (err) {
        const decision = shouldRetry(err, {
          policy: deps.policy, retrySafe: req.spec.retrySafe, attempts,
          failFastOnRateLimit: deps.failFastOnRateLimit, random: deps.random,
        });
        if (!decision.retry) throw err;
        attempts[decision.reason] = (attempts[decision.reason] ?? 0) + 1;
        const key = deps.limitKey(req);
        // 45033: fewer in flight from now on, for every caller of this endpoint.
        if (decision.reason === 'concurrency') deps.limiter.lowerConcurrency(key, req.spec);
        // 45009: hold the other callers of this endpoint too, not only this one.
        if (decision.reason === 'rate_limit') deps.limiter.pause(key, req.spec, deps.now() + decision.delayMs);
        deps.logger?.warn?.('wecom.retry', {
          endpoint: req.endpoint, reason: decision.reason, attempt: attempts[decision.reason],
          delayMs: decision.delayMs, error: err instanceof Error ? err.message : String(err),
        });
        await deps.sleep(decision.delayMs);
      }
    }
  };
}

export function rateLimitLayer(limiter: RateLimiter, limitKey: (req: CallRequest) => string): Layer {
  return (next) => async (req) => {
    const release = await limiter.acquire(limitKey(req), req.spec);
    let ok = false;
    try {
      const answer = await next(req);
      ok = true;
      return answer;
    } finally {
      release(ok);
    }
  };
}

export function compose(layers: Layer[], send: Handler): Handler {
  return layers.reduceRight<Handler>((next, layer) => layer(next), send);
}

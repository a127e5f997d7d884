import { setTimeout as delay } from 'node:timers/promises';
import { endpoints, type CredentialKind, type EndpointName } from '../../wecom/endpoints.ts';
import { ERRCODE } from '../../wecom/errcodes.ts';
import type { SandboxExtension } from '../extension.ts';
import { getToken, handlers } from '../handlers/index.ts';
import type { SandboxState } from '../handlers/types.ts';
import { checkPermission, checkTrustedIp } from './access.ts';
import { ApiError, errmsgFor } from './api-error.ts';
import type { Limiter } from './limits.ts';
import type { Params } from './params.ts';
import type { Gate, StatsRecorder } from './stats.ts';

/**
 * One catalogue call, checked in the order WeCom checks: token (41001/40014/42001), trusted IP
 * (60020), permission (48002/48009), frequency (45009), concurrency (45033), then parameters and
 * the answer itself. The concurrency slot is held while the answer is delayed, so slow answers make
 * concurrent callers meet 45033 as they would at WeCom.
 */
export interface PipelineDeps {
  state: SandboxState;
  limiter: Limiter;
  stats: StatsRecorder;
  gate: Gate;
  extensionEndpoints: Map<string, NonNullable<SandboxExtension['endpoints']>[string]>;
  hint(): string;
}

export interface ApiRequest {
  name: EndpointName;
  method: string;
  query: Params;
  body: Buffer;
  ip: string;
  /** Latency added by a "slow" fault. */
  extraDelayMs: number;
}

export type ApiAnswer = Record<string, unknown> & { errcode: number; errmsg: string };

export async function answerApiCall(deps: PipelineDeps, request: ApiRequest): Promise<ApiAnswer> {
  try {
    const result = request.name === 'token.get' ? await tokenCall(deps, request) : await tokenBearingCall(deps, request);
    return { errcode: 0, errmsg: 'ok', ...result };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return errorAnswer(deps, err.errcode, err.detail, request.ip);
  }
}

export function errorAnswer(deps: Pick<PipelineDeps, 'hint'>, errcode: number, detail: string | undefined, ip: string): ApiAnswer {
  return { errcode, errmsg: errmsgFor(errcode, detail, ip, deps.hint()) };
}

async function tokenCall(deps: PipelineDeps, request: ApiRequest): Promise<Record<string, unknown>> {
  if (request.method !== 'GET') throw new ApiError(ERRCODE.INVALID_PARAMETER, 'gettoken takes GET');
  if (!deps.limiter.take('token.get')) throw new ApiError(ERRCODE.RATE_LIMITED);
  if (request.extraDelayMs > 0) await delay(request.extraDelayMs);
  const result = getToken(request.query, deps.state, request.ip);
  deps.stats.tokenIssued(deps.state.tokens.kindOf(String(result.access_token))!);
  return result;
}

async function tokenBearingCall(deps: PipelineDeps, request: ApiRequest): Promise<Record<string, unknown>> {
  const { state, limiter } = deps;
  const name = request.name;
  const token = request.query.access_token;
  if (typeof token !== 'string' || token === '') throw new ApiError(ERRCODE.TOKEN_MISSING);
  const check = state.tokens.check(token);
  if (!check.ok) throw new ApiError(check.errcode);
  const kind = check.kind;
  checkTrustedIp(kind, request.ip, state.rules);
  checkPermission(name, kind, state.rules);
  if (!limiter.take(name)) throw new ApiError(ERRCODE.RATE_LIMITED);
  if (!limiter.acquire(name)) throw new ApiError(ERRCODE.CONCURRENCY_LIMITED);
  try {
    const params = paramsOf(request);
    await deps.gate.wait();
    const wait = state.limits.responseDelayMs + request.extraDelayMs;
    if (wait > 0) await delay(wait);
    state.transfers.settle(state.clock.nowSeconds());
    const own = deps.extensionEndpoints.get(name);
    if (own) return fromExtension(await own(params, kind));
    return await handlers[name as Exclude<EndpointName, 'token.get'>]({ name, params, credential: kind as CredentialKind, ip: request.ip, state });
  } finally {
    limiter.release(name);
  }
}

/** GET parameters come from the query string, POST ones from the JSON body (40058 if malformed). */
function paramsOf(request: ApiRequest): Params {
  const expected = endpoints[request.name].method;
  if (request.method !== expected) throw new ApiError(ERRCODE.INVALID_PARAMETER, `${expected} expected, got ${request.method}`);
  if (expected === 'GET') return request.query;
  const text = request.body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(ERRCODE.INVALID_PARAMETER, 'request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ApiError(ERRCODE.INVALID_PARAMETER, 'request body must be a JSON object');
  return parsed as Params;
}

/** Extensions answer plain fields (errcode 0 is added) or a full `{errcode, errmsg}` failure. */
function fromExtension(result: unknown): Record<string, unknown> {
  const body = (result ?? {}) as Record<string, unknown>;
  if (typeof body.errcode === 'number' && body.errcode !== 0) {
    throw new ApiError(body.errcode, typeof body.errmsg === 'string' ? body.errmsg : undefined);
  }
  const { errcode: _code, errmsg: _msg, ...fields } = body;
  return fields;
}

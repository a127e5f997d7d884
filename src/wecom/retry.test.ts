import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClock, type FakeClock } from '../../test/helpers/fake-clock.ts';
import { startFakeWecom, type FakeWecom } from '../../test/helpers/fake-wecom.ts';
import { createWecomClient, type WecomClientOptions } from './client.ts';
import { WecomApiError, WecomTransportError, type TransportFailure } from './errors.ts';
import { RETRY_POLICIES, shouldRetry, type RetryContext } from './retry.ts';
import type { FetchLike } from './transport.ts';

const apiError = (errcode: number) => new WecomApiError({ errcode, errmsg: 'x', endpoint: 'user.get' });
const transportError = (failure: TransportFailure, mayHaveReached: boolean, status?: number) =>
  new WecomTransportError({ failure, mayHaveReached, status, endpoint: 'user.get', url: 'https://qyapi.weixin.qq.com/cgi-bin/user/get' });
const ctx = (over: Partial<RetryContext> = {}): RetryContext => ({ policy: RETRY_POLICIES.default, retrySafe: true, attempts: {}, random: () => 0, ...over });

describe('shouldRetry', () => {
  it('-1: backs off exponentially, at most 3 times, writes included', () => {
    expect(shouldRetry(apiError(-1), ctx())).toEqual({ retry: true, reason: 'busy', delayMs: 500 });
    expect(shouldRetry(apiError(-1), ctx({ attempts: { busy: 2 }, retrySafe: false }))).toEqual({ retry: true, reason: 'busy', delayMs: 2000 });
    expect(shouldRetry(apiError(-1), ctx({ attempts: { busy: 3 } }))).toEqual({ retry: false });
  });

  it('business errors are never retried here (token errors belong to the token layer)', () => {
    for (const code of [40001, 40014, 42001, 48002, 60011, 60020, 84061, 12345]) expect(shouldRetry(apiError(code), ctx()).retry).toBe(false);
  });

  it('45009 waits a whole window (≥60 s), doubling, unless fail-fast', () => {
    expect(shouldRetry(apiError(45009), ctx())).toEqual({ retry: true, reason: 'rate_limit', delayMs: 60_000 });
    expect(shouldRetry(apiError(45009), ctx({ attempts: { rate_limit: 1 } }))).toEqual({ retry: true, reason: 'rate_limit', delayMs: 120_000 });
    expect(shouldRetry(apiError(45009), ctx({ attempts: { rate_limit: 2 } })).retry).toBe(false);
    expect(shouldRetry(apiError(45009), ctx({ failFastOnRateLimit: true })).retry).toBe(false);
  });

  it('45033 backs off 1 s, 2 s, 3 s, 3 s', () => {
    const delays = [0, 1, 2, 3].map((n) => shouldRetry(apiError(45033), ctx({ attempts: { concurrency: n } })));
    expect(delays.map((d) => (d.retry ? d.delayMs : 0))).toEqual([1000, 2000, 3000, 3000]);
  });

  it('network: retried when nothing reached WeCom, or on reads; never after an ambiguous failure of a write', () => {
    expect(shouldRetry(transportError('refused', false), ctx({ retrySafe: false })).retry).toBe(true);
    expect(shouldRetry(transportError('proxy_unreachable', false), ctx({ retrySafe: false })).retry).toBe(true);
    expect(shouldRetry(transportError('reset', true), ctx({ retrySafe: true })).retry).toBe(true);
    expect(shouldRetry(transportError('reset', true), ctx({ retrySafe: false })).retry).toBe(false);
    expect(shouldRetry(transportError('timeout', true), ctx({ retrySafe: false })).retry).toBe(false);
    expect(shouldRetry(transportError('refused', false), ctx({ attempts: { network: 3 } })).retry).toBe(false);
  });

  it('HTTP: 5xx on reads only; 4xx, proxy auth and TLS never', () => {
    expect(shouldRetry(transportError('http', true, 502), ctx())).toMatchObject({ retry: true, reason: 'http_5xx' });
    expect(shouldRetry(transportError('http', true, 502), ctx({ retrySafe: false })).retry).toBe(false);
    expect(shouldRetry(transportError('http', true, 404), ctx()).retry).toBe(false);
    expect(shouldRetry(transportError('proxy_auth', false, 407), ctx()).retry).toBe(false);
    expect(shouldRetry(transportError('tls', false), ctx()).retry).toBe(false);
    expect(shouldRetry(transportError('proxy_rejected', false, 403), ctx()).retry).toBe(false);
  });

  it('unknown errors (bugs) are not retried', () => {
    expect(shouldRetry(new TypeError('boom'), ctx()).retry).toBe(false);
  });
});

describe('retries through the client', () => {
  let fake: FakeWecom;
  let clock: FakeClock;
  beforeEach(async () => {
    fake = await startFakeWecom();
    clock = fakeClock();
  });
  afterEach(() => fake.close());
  const clientFor = (over: Partial<WecomClientOptions> = {}) => createWecomClient({
    corpId: fake.corpId, secrets: { app: fake.secrets.app }, apiBase: fake.url,
    now: clock.now, sleep: clock.sleep, random: () => 0, ...over,
  });
  const failFirst = (times: number, answer: Record<string, unknown> | { status: number; raw: string }) =>
    (_req: unknown, nth: number) => (nth <= times ? answer : { userid: 'ok', external_userid: ['wm1'] });

  it('-1 three times, then success: 4 requests, backoff 500/1000/2000 ms', async () => {
    fake.on('user/get', failFirst(3, { errcode: -1, errmsg: 'system busy' }));
    const client = clientFor();
    expect((await client.call('user.get', { userid: 'a' })).userid).toBe('ok');
    expect(fake.count('user/get')).toBe(4);
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
  });

  it('-1 a fourth time: fails with -1 after 3 retries', async () => {
    fake.on('user/get', failFirst(4, { errcode: -1, errmsg: 'system busy' }));
    const err = await clientFor().call('user.get', { userid: 'a' }).catch((e: unknown) => e);
    expect((err as WecomApiError).errcode).toBe(-1);
    expect(fake.count('user/get')).toBe(4);
  });

  it('5xx: a read is retried, a write is not', async () => {
    fake.on('user/get', failFirst(2, { status: 502, raw: 'bad gateway' }));
    fake.on('externalcontact/remark', failFirst(2, { status: 502, raw: 'bad gateway' }));
    const client = clientFor({ retryPolicy: 'test' });
    expect((await client.call('user.get', { userid: 'a' })).userid).toBe('ok');
    expect(fake.count('user/get')).toBe(3);
    const err = await client.call('externalcontact.remark', { userid: 'a', external_userid: 'wm1', remark: 'r' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WecomTransportError);
    expect((err as WecomTransportError).status).toBe(502);
    expect(fake.count('externalcontact/remark')).toBe(1);
  });

  it('a write whose connection was refused (never sent) is retried', async () => {
    let calls = 0;
    const refusedOnce: FetchLike = async (url, init) => {
      if (++calls === 2) throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      return fetch(url, init as RequestInit);
    };
    fake.on('externalcontact/remark', () => ({}));
    const client = clientFor({ retryPolicy: 'test', fetch: refusedOnce });
    await client.call('externalcontact.remark', { userid: 'a', external_userid: 'wm1', remark: 'r' });
    expect(calls).toBe(3); // gettoken, refused remark, remark
    expect(fake.count('externalcontact/remark')).toBe(1);
  });

  it('45033: backs off 1–3 s and lowers the endpoint concurrency', async () => {
    fake.on('externalcontact/list', failFirst(3, { errcode: 45033, errmsg: 'api concurrent out of limit' }));
    const client = clientFor();
    expect((await client.call('externalcontact.list', { userid: 'a' })).external_userid).toEqual(['wm1']);
    expect(clock.sleeps).toEqual([1000, 2000, 3000]);
    expect(client.limiter.concurrencyOf(`${fake.corpId}:externalcontact.list`)).toBe(1);
  });

  it('45009 with failFastOnRateLimit: thrown at once, no wait, one request', async () => {
    fake.on('user/get', failFirst(1, { errcode: 45009, errmsg: 'api freq out of limit' }));
    const err = await clientFor({ failFastOnRateLimit: true }).call('user.get', { userid: 'a' }).catch((e: unknown) => e);
    expect((err as WecomApiError).errcode).toBe(45009);
    expect(clock.sleeps).toEqual([]);
    expect(fake.count('user/get')).toBe(1);
  });

  it('45009 otherwise: waits out the window (60 s, then 120 s), then succeeds', async () => {
    fake.on('user/get', failFirst(2, { errcode: 45009, errmsg: 'api freq out of limit' }));
    const client = clientFor();
    const start = clock.now();
    expect((await client.call('user.get', { userid: 'a' })).userid).toBe('ok');
    expect(clock.sleeps).toEqual([60_000, 120_000]);
    expect(clock.now() - start).toBeGreaterThanOrEqual(180_000);
    expect(fake.count('user/get')).toBe(3);
  });
});

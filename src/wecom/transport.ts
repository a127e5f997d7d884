import { UserError } from '../util/errors.ts';
import { redactText } from '../util/redact.ts';
import type { Dispatcher } from 'undici';
import { DEFAULT_API_BASE, type CredentialKind, type EndpointSpec } from './endpoints.ts';
import { WecomApiError, WecomTransportError, type TransportFailure } from './errors.ts';
import { parseJson, stringifyJson, type JsonValue } from './json.ts';

/**
 * The innermost layer: build the URL, serialise, fetch, parse, and turn errcode ≠ 0 into a
 * WecomApiError. No tokens, retries or limits here (those are layers in client.ts). Runs on undici
 * with an explicit dispatcher, because Node 20's global fetch ignores HTTPS_PROXY (dependencies.md §1).
 * undici is loaded at the first request: a command that makes a client and sends nothing (a status,
 * a coverage read from the store) does not pay for it.
 */

type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;
export const loadUndici = (): Promise<Undici> => (undici ??= import('undici'));

/** The slice of fetch the transport uses; undici's fetch by default, injectable for tests. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal; dispatcher?: Dispatcher },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface TransportOptions {
  apiBase?: string;
  /** Forward proxy from config (WECOM_PROXY), may carry user:password. Else HTTPS_PROXY/NO_PROXY apply. */
  proxy?: string;
  /** Where HTTPS_PROXY/HTTP_PROXY/NO_PROXY are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Whole-request deadline (default 30 s). */
  timeoutMs?: number;
  /** TCP/TLS connect deadline (default 10 s). */
  connectTimeoutMs?: number;
  fetch?: FetchLike;
  /** Replaces the dispatcher built from proxy/env (then `proxy` only labels errors). */
  dispatcher?: Dispatcher;
}

export interface WireRequest {
  endpoint: string;
  spec: EndpointSpec;
  params: Record<string, unknown>;
  accessToken?: string;
  credential?: CredentialKind;
}

export type WecomResponse = Record<string, JsonValue>;
export type Send = (req: WireRequest) => Promise<WecomResponse>;

export interface Transport {
  send: Send;
  /** The proxy a request to `url` goes through, if any (redact before showing). */
  proxyFor(url: string): string | undefined;
  close(): Promise<void>;
}

export function createTransport(options: TransportOptions = {}): Transport {
  const apiBase = (options.apiBase || DEFAULT_API_BASE).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const routes = proxyRoutes(options);
  // Made once, by the first request (concurrent first requests share it).
  let ownDispatcher: Promise<Dispatcher> | undefined;
  const dispatcherFor = (): Promise<Dispatcher> => (options.dispatcher
    ? Promise.resolve(options.dispatcher)
    : (ownDispatcher ??= loadUndici().then((lib) => buildDispatcher(lib, routes, timeoutMs, options.connectTimeoutMs ?? 10_000))
      .catch((err: unknown) => {
        ownDispatcher = undefined; // tried again by the next request
        throw err;
      })));
  const fetchFor = async (): Promise<FetchLike> => options.fetch ?? ((await loadUndici()).fetch as unknown as FetchLike);

  async function send(req: WireRequest): Promise<WecomResponse> {
    const [dispatcher, doFetch] = await Promise.all([dispatcherFor(), fetchFor()]);
    const url = buildUrl(apiBase, req);
    const proxy = proxyFor(routes, url);
    const isGet = req.spec.method === 'GET';
    let status: number;
    let text: string;
    try {
      const response = await doFetch(url, {
        method: req.spec.method,
        headers: isGet ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: isGet ? undefined : stringifyJson(req.params),
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher,
      });
      status = response.status;
      text = await response.text();
    } catch (err) {
      throw classifyFailure(err, { endpoint: req.endpoint, url, proxy, timeoutMs, knownSecrets: secretsOf(req) });
    }
    return parseAnswer(req, url, status, text);
  }

  return {
    send,
    proxyFor: (url) => proxyFor(routes, url),
    close: async () => {
      await (await ownDispatcher?.catch(() => undefined))?.close();
    },
  };
}

/** `access_token` always in the query string (41001 if in the body); GET params in the query, POST in a JSON body. */
export function buildUrl(apiBase: string, req: Pick<WireRequest, 'spec' | 'params' | 'accessToken'>): string {
  const url = new URL(`${apiBase}/cgi-bin/${req.spec.path}`);
  if (req.accessToken) url.searchParams.set('access_token', req.accessToken);
  if (req.spec.method === 'GET') {
    for (const [key, value] of Object.entries(req.params)) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

function parseAnswer(req: WireRequest, url: string, status: number, text: string): WecomResponse {
  const knownSecrets = secretsOf(req);
  const fail = (detail: string) =>
    new WecomTransportError({ failure: 'http', endpoint: req.endpoint, url, status, detail, mayHaveReached: true, knownSecrets });
  if (status < 200 || status >= 300) throw fail(text.slice(0, 200));
  let body: JsonValue;
  try {
    body = parseJson(text);
  } catch {
    throw fail(`not JSON: ${text.slice(0, 200)}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw fail(`not a JSON object: ${text.slice(0, 200)}`);
  const errcode = body.errcode;
  if (errcode !== undefined && errcode !== 0) {
    throw new WecomApiError({
      errcode: Number(errcode),
      errmsg: typeof body.errmsg === 'string' ? body.errmsg : '',
      endpoint: req.endpoint,
      credential: req.credential,
      wantedKind: req.spec.credentials[0],
      doc: req.spec.doc,
      knownSecrets,
    });
  }
  return body;
}

function secretsOf(req: WireRequest): Array<string | undefined> {
  return [req.accessToken, typeof req.params.corpsecret === 'string' ? req.params.corpsecret : undefined];
}

interface ProxyRoutes {
  configured?: string;
  http?: string;
  https?: string;
  noProxy: Array<{ host: string; port?: number }>;
  noProxyAll: boolean;
}

function proxyRoutes(options: TransportOptions): ProxyRoutes {
  const env = options.env ?? process.env;
  const http = checkedProxy('HTTP_PROXY', env.http_proxy || env.HTTP_PROXY || undefined);
  const https = checkedProxy('HTTPS_PROXY', env.https_proxy || env.HTTPS_PROXY || undefined) ?? http;
  const noProxyValue = (env.no_proxy ?? env.NO_PROXY ?? '').trim();
  const noProxy = noProxyValue.split(/[,\s]+/).filter(Boolean).map((entry) => {
    const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\*?\./, ''))!;
    return { host: match[1].toLowerCase(), port: match[2] ? Number(match[2]) : undefined };
  });
  return { configured: checkedProxy('WECOM_PROXY', options.proxy || undefined), http, https, noProxy, noProxyAll: noProxyValue === '*' };
}

/** A proxy setting undici cannot use fails here, with its name, rather than deep inside a request. */
function checkedProxy(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(value).protocol);
  } catch { /* reported below */ }
  if (ok) return value;
  throw new UserError('wecom_proxy_invalid', {
    what: { zh: '{name} 不是可用的代理地址：{value}', en: '{name} is not a usable proxy URL: {value}' },
    fix: { zh: '格式为 http://用户名:密码@主机:端口（只支持 HTTP 代理）', en: 'Use http://user:password@host:port (HTTP proxies only)' },
    vars: { name, value: redactText(value) },
  });
}

/** Which proxy a request to `url` goes through (WECOM_PROXY, else HTTP(S)_PROXY unless NO_PROXY). */
export function proxyForUrl(options: Pick<TransportOptions, 'proxy' | 'env'>, url: string): string | undefined {
  return proxyFor(proxyRoutes(options), url);
}

/** The same decision undici's EnvHttpProxyAgent makes, so errors can say which hop failed. */
function proxyFor(routes: ProxyRoutes, url: string): string | undefined {
  if (routes.configured) return routes.configured;
  const target = new URL(url);
  const proxy = target.protocol === 'https:' ? routes.https : routes.http;
  if (!proxy || routes.noProxyAll) return undefined;
  const host = target.hostname.toLowerCase();
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  const bypass = routes.noProxy.some(
    (entry) => (!entry.port || entry.port === port) && (host === entry.host || host.endsWith(`.${entry.host}`)),
  );
  return bypass ? undefined : proxy;
}

function buildDispatcher({ Agent, EnvHttpProxyAgent, ProxyAgent }: Undici, routes: ProxyRoutes, timeoutMs: number, connectTimeoutMs: number): Dispatcher {
  const agentOptions = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: connectTimeoutMs } };
  // A configured proxy wins over the environment; ProxyAgent sends Basic auth from user:password in its URL.
  if (routes.configured) return new ProxyAgent({ uri: routes.configured, ...agentOptions });
  if (!routes.http && !routes.https) return new Agent(agentOptions);
  // Values passed explicitly ('' = none) so the injected env, not process.env, decides.
  return new EnvHttpProxyAgent({
    ...agentOptions,
    httpProxy: routes.http ?? '',
    httpsProxy: routes.https ?? '',
    noProxy: routes.noProxyAll ? '*' : routes.noProxy.map((e) => (e.port ? `${e.host}:${e.port}` : e.host)).join(','),
  });
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Maps undici's nested causes to one TransportFailure. Through a proxy our process never connects to
 * WeCom itself, so any DNS/connect failure is the proxy's; undici reports a refused tunnel as
 * "Proxy response (407) !== 200".
 */
export function classifyFailure(
  err: unknown,
  ctx: { endpoint: string; url: string; proxy?: string; timeoutMs: number; knownSecrets?: Array<string | undefined> },
): WecomTransportError {
  const chain: Array<{ name?: string; code?: unknown; message?: string }> = [];
  for (let e = err as { cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    chain.push(e as (typeof chain)[number]);
  }
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : ''));
  const messages = chain.map((e) => e.message ?? '').join(' ← ');
  const detail = [messages, codes.filter(Boolean).join(',')].filter(Boolean).join(' ');
  const make = (failure: TransportFailure, mayHaveReached: boolean, status?: number) =>
    new WecomTransportError({ failure, mayHaveReached, status, detail, cause: err, ...ctx });

  const proxyStatus = /Proxy response \((\d+)\)|Proxy Authentication Required \((\d+)\)/.exec(messages);
  if (proxyStatus) {
    const status = Number(proxyStatus[1] ?? proxyStatus[2]);
    return make(status === 407 ? 'proxy_auth' : 'proxy_rejected', false, status);
  }
  if (chain.some((e) => e.name === 'TimeoutError') || codes.some((c) => TIMEOUT_CODES.has(c))) return make('timeout', true);
  if (codes.some((c) => DNS_CODES.has(c))) return make(ctx.proxy ? 'proxy_unreachable' : 'dns', false);
  if (codes.some((c) => CONNECT_CODES.has(c))) return make(ctx.proxy ? 'proxy_unreachable' : codes.includes('UND_ERR_CONNECT_TIMEOUT') ? 'timeout' : 'refused', false);
  if (chain.some((e) => e.name === 'SecureProxyConnectionError')) return make('proxy_unreachable', false);
  if (codes.some((c) => /CERT|SSL|TLS|UNABLE_TO|SELF_SIGNED|ERR_TLS/.test(c))) return make('tls', false);
  if (codes.some((c) => RESET_CODES.has(c)) || (err instanceof TypeError && err.message === 'fetch failed')) return make('reset', true);
  if (err instanceof WecomTransportError) return err;
  throw err;
}

import type { Dispatcher } from 'undici';
import { endpoints, type CredentialKind, type EndpointName } from './endpoints.ts';
import {
  authLayer, compose, pickCredential, rateLimitLayer, retryLayer, tokenRetryLayer,
  type CallRequest, type Handler, type WecomLogger,
} from './layers.ts';
import { paginate, type Page, type PageOptions } from './paginate.ts';
import { RateLimiter, type LimitOptions } from './rate-limit.ts';
import { RETRY_POLICIES, type RetryPolicy, type RetryPolicyName } from './retry.ts';
import { FileTokenStore } from './token-store-file.ts';
import { RedisTokenStore } from './token-store-redis.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';
import { TokenManager } from './tokens.ts';
import { createTransport, type FetchLike, type WecomResponse } from './transport.ts';
import type { PageItem, PagedEndpointName, ReqOf, ResOf } from './types.ts';

/**
 * The WeCom API client: every endpoint of the catalogue, typed by name, with tokens per (corp,
 * secret), retries, rate limits and pagination as layers (layers.ts) around one transport.
 */

export interface WecomClientOptions {
  corpId: string;
  /** The secrets the user configured; any subset is valid. */
  secrets: Partial<Record<CredentialKind, string>>;
  /** Default DEFAULT_API_BASE (endpoints.ts); the sandbox gives http://127.0.0.1:PORT. */
  apiBase?: string;
  /** Forward proxy (WECOM_PROXY), may carry user:password; else HTTPS_PROXY/NO_PROXY from `env`. */
  proxy?: string;
  env?: NodeJS.ProcessEnv;
  /** Persist tokens under this directory (tokens.json, 0600) unless `tokenStore` is given. */
  dataDir?: string;
  tokenStore?: TokenStore;
  limits?: LimitOptions;
  retryPolicy?: RetryPolicy | RetryPolicyName;
  /** Throw 45009 at once instead of waiting for the window (doctor). */
  failFastOnRateLimit?: boolean;
  timeoutMs?: number;
  /** Refresh tokens this long before they expire (default 5 min). */
  tokenMarginMs?: number;
  fetch?: FetchLike;
  dispatcher?: Dispatcher;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: WecomLogger;
}

export interface CallOptions {
  /** Use this credential kind's token instead of the first configured one the endpoint allows. */
  credential?: CredentialKind;
}

/** Params are optional exactly when the endpoint has no required parameter. */
type ArgsOf<N extends EndpointName, O> = {} extends ReqOf<N> ? [params?: ReqOf<N>, options?: O] : [params: ReqOf<N>, options?: O];

export interface WecomClient {
  readonly corpId: string;
  call<N extends EndpointName>(name: N, ...args: ArgsOf<N, CallOptions>): Promise<ResOf<N>>;
  /** Untyped escape hatch (the `call` command): any endpoint, any params. */
  callRaw(name: EndpointName, params?: Record<string, unknown>, options?: CallOptions): Promise<WecomResponse>;
  /** Each page, in order; resume with `{ cursor }` from a stored `nextCursor`. */
  pages<N extends PagedEndpointName>(name: N, ...args: ArgsOf<N, PageOptions & CallOptions>): AsyncGenerator<Page<PageItem<N>, ResOf<N>>>;
  /** Every item of every page. */
  items<N extends PagedEndpointName>(name: N, ...args: ArgsOf<N, PageOptions & CallOptions>): AsyncGenerator<PageItem<N>>;
  /** Which credential kind a call would use (throws the missing-secret error if none is configured). */
  credentialFor(name: EndpointName, forced?: CredentialKind): CredentialKind;
  /** A valid token for a kind: doctor uses it to check each secret. */
  token(kind: CredentialKind): Promise<string>;
  readonly tokens: TokenManager;
  readonly limiter: RateLimiter;
  readonly tokenStore: TokenStore;
  close(): Promise<void>;
}

export function createWecomClient(options: WecomClientOptions): WecomClient {
  // The runtime picks the corp (config's NoCorpError / UnknownCorpError tell the user): none here is a bug.
  if (!options.corpId) throw new Error('createWecomClient: no corpId');
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const policy = typeof options.retryPolicy === 'string' ? RETRY_POLICIES[options.retryPolicy] : options.retryPolicy ?? RETRY_POLICIES.default;
  const transport = createTransport({
    apiBase: options.apiBase, proxy: options.proxy, env: options.env, timeoutMs: options.timeoutMs,
    fetch: options.fetch, dispatcher: options.dispatcher,
  });
  const limiter = new RateLimiter({ now, sleep }, options.limits);
  const limitKey = (req: CallRequest) => `${options.corpId}:${req.endpoint}`;
  const store: TokenStore = options.tokenStore ?? (options.dataDir ? new FileTokenStore({ dataDir: options.dataDir }) : new MemoryTokenStore());

  const retry = retryLayer({
    policy, failFastOnRateLimit: options.failFastOnRateLimit, limiter, limitKey, now, sleep, random: options.random, logger: options.logger,
  });
  const rateLimit = rateLimitLayer(limiter, limitKey);
  // gettoken: retried and rate limited like any call, never wrapped by the token layers.
  const plain = compose([retry, rateLimit], transport.send);

  const tokens = new TokenManager({
    corpId: options.corpId, secrets: options.secrets, store, now, marginMs: options.tokenMarginMs,
    fetchToken: async (kind, secret) => {
      const answer = await plain({
        endpoint: 'token.get', spec: endpoints['token.get'], credential: kind,
        params: { corpid: options.corpId, corpsecret: secret },
      });
      if (typeof answer.access_token !== 'string' || !answer.access_token) throw new TypeError('gettoken answered without access_token');
      return { access_token: answer.access_token, expires_in: Number(answer.expires_in ?? 7200) };
    },
  });
  const pipeline: Handler = compose(
    [authLayer(tokens, options.secrets), tokenRetryLayer(tokens, options.logger), retry, rateLimit],
    transport.send,
  );

  const callRaw = async (name: EndpointName, params: Record<string, unknown> = {}, callOptions: CallOptions = {}) => {
    const spec = endpoints[name];
    if (!spec) throw new TypeError(`Unknown WeCom endpoint: ${String(name)}`);
    return pipeline({ endpoint: name, spec, params, forced: callOptions.credential });
  };

  async function* pages(name: PagedEndpointName, params: Record<string, unknown> = {}, pageOptions: PageOptions & CallOptions = {}) {
    yield* paginate((p) => callRaw(name, p, pageOptions), name, endpoints[name], params, pageOptions);
  }

  async function* items(name: PagedEndpointName, params: Record<string, unknown> = {}, pageOptions: PageOptions & CallOptions = {}) {
    for await (const page of pages(name, params, pageOptions)) yield* page.items;
  }

  return {
    corpId: options.corpId,
    call: ((name: EndpointName, params?: Record<string, unknown>, callOptions?: CallOptions) =>
      callRaw(name, params, callOptions)) as WecomClient['call'],
    callRaw,
    pages: pages as WecomClient['pages'],
    items: items as WecomClient['items'],
    credentialFor: (name, forced) => pickCredential(name, endpoints[name].credentials, options.secrets, forced),
    token: (kind) => tokens.get(kind),
    tokens,
    limiter,
    tokenStore: store,
    close: async () => {
      await transport.close();
      await store.close?.();
    },
  };
}

/**
 * The part of a corp's configuration a client is made from. src/config's Config has these fields
 * (and is passed as is); declared here because src/wecom never imports the config loader.
 */
export interface ClientConfig {
  corpId?: string;
  secrets: WecomClientOptions['secrets'];
  apiBase?: string;
  proxy?: string;
  dataDir?: string;
  limits?: LimitOptions;
  redisUrl?: string;
}

/**
 * A client for the loaded config: its corp, secrets, API base, proxy and DATA_DIR token file, or
 * Redis when REDIS_URL is set (several instances then share tokens).
 */
export function clientFromConfig(config: ClientConfig, overrides: Partial<WecomClientOptions> = {}): WecomClient {
  const redisUrl = config.redisUrl;
  return createWecomClient({
    corpId: config.corpId ?? '',
    secrets: config.secrets,
    apiBase: config.apiBase,
    proxy: config.proxy,
    dataDir: config.dataDir,
    limits: config.limits,
    tokenStore: overrides.tokenStore ?? (redisUrl ? new RedisTokenStore({ url: redisUrl }) : undefined),
    ...overrides,
  });
}

import type { Text } from '../i18n/index.ts';
import { UserError } from '../util/errors.ts';
import { redactKnown, redactText, redactUrl } from '../util/redact.ts';
import { SECRET_KEY_OF, type CredentialKind } from './credentials.ts';
import { apiErrcodeInfo, extractFromIp, type ErrcodeInfo, type RetryClass } from './errcodes.ts';

/**
 * The errors the WeCom client throws. All are `UserError`s, so the CLI prints what/why/fix and
 * `doctor` can tell the causes apart by class and `failure`. Messages are redacted at construction:
 * no caller can forget (access_token travels in the query string).
 */

/** WeCom answered with errcode ≠ 0. Success is judged on errcode alone, never on errmsg. */
export class WecomApiError extends UserError {
  readonly errcode: number;
  /** Redacted; WeCom appends hints, request ids and the caller IP to it. */
  readonly errmsg: string;
  /** Catalogue key, e.g. `user.get`. */
  readonly endpoint: string;
  /** The credential kind whose token made the call (undefined for gettoken before a kind is known). */
  readonly credential?: CredentialKind;
  /** Config key of that credential's secret (APP_SECRET …): what 40001/40091 tell the user to fix. */
  readonly secretKey?: string;
  /** The caller IP WeCom saw (60020 / 301042 "from ip: …"): what to add to 企业可信IP. */
  readonly fromIp?: string;
  readonly retryClass: RetryClass;
  readonly info: ErrcodeInfo;

  constructor(init: {
    errcode: number;
    errmsg: string;
    endpoint: string;
    credential?: CredentialKind;
    /** The kind the endpoint wants first: picks a specific fix (48002 on msgaudit → CHAT_ARCHIVE_SECRET). */
    wantedKind?: CredentialKind;
    doc?: string;
    /** The token and secret of the request: hidden even where WeCom echoes them in free text. */
    knownSecrets?: Array<string | undefined>;
  }) {
    const info = apiErrcodeInfo(init.errcode);
    const errmsg = redactText(redactKnown(init.errmsg ?? '', init.knownSecrets ?? []));
    const fromIp = extractFromIp(errmsg);
    const secretKey = init.credential ? SECRET_KEY_OF[init.credential] : undefined;
    // The kind in use decides first (60020 on the contact-sync secret), then the kind the endpoint wants.
    const fix = (init.credential && info.fixFor?.[init.credential]) || (init.wantedKind && info.fixFor?.[init.wantedKind]) || info.fix;
    super('wecom_api_error', {
      what: suffix(info.meaning, { zh: '（{endpoint}，errcode {errcode}）', en: ' ({endpoint}, errcode {errcode})' }),
      why: suffix(info.cause, { zh: '。企业微信返回：{errmsg}', en: '. WeCom said: {errmsg}' }),
      fix,
      vars: {
        errcode: init.errcode,
        errmsg,
        endpoint: init.endpoint,
        // Unknown secret: name all four keys rather than leave a bare placeholder.
        secretKey: secretKey ?? Object.values(SECRET_KEY_OF).join(' / '),
        ip: fromIp ?? 'from ip',
        doc: init.doc ?? 'https://developer.work.weixin.qq.com/document/path/90313',
      },
    });
    this.name = 'WecomApiError';
    this.errcode = init.errcode;
    this.errmsg = errmsg;
    this.endpoint = init.endpoint;
    this.credential = init.credential;
    this.secretKey = secretKey;
    this.fromIp = fromIp;
    this.retryClass = info.retry;
    this.info = info;
  }
}

/** Why a request got no usable answer. doctor maps each to its own advice. */
export type TransportFailure =
  | 'dns' // the API host name did not resolve
  | 'refused' // the API host refused the connection
  | 'reset' // the connection dropped mid-request
  | 'tls' // TLS handshake or certificate failure
  | 'timeout' // no complete answer in time
  | 'proxy_unreachable' // the proxy itself: DNS failure or connection refused
  | 'proxy_auth' // the proxy answered 407
  | 'proxy_rejected' // the proxy would not open a tunnel to WeCom (403, 502 …)
  | 'http'; // a non-2xx status, or a body that is not WeCom JSON

const TRANSPORT_TEXT: Record<TransportFailure, { what: Text; fix: Text }> = {
  dns: {
    what: { zh: '无法解析企业微信 API 的域名 {host}（{url}）', en: 'Cannot resolve the WeCom API host {host} ({url})' },
    fix: { zh: '检查服务器的 DNS 和网络；若服务器只能经代理上网，设置 WECOM_PROXY', en: 'Check DNS and the network; if this server reaches the internet only through a proxy, set WECOM_PROXY' },
  },
  refused: {
    what: { zh: '无法连接企业微信 API {url}（连接被拒绝）', en: 'Cannot connect to the WeCom API {url} (connection refused)' },
    fix: { zh: '检查 WECOM_API_BASE 是否正确、防火墙是否允许出站连接；需要固定出口 IP 时设置 WECOM_PROXY', en: 'Check WECOM_API_BASE and that the firewall allows outbound connections; set WECOM_PROXY when a fixed egress IP is needed' },
  },
  reset: {
    what: { zh: '与企业微信 API 的连接被中断', en: 'The connection to the WeCom API was cut' },
    fix: { zh: '通常是网络抖动，稍后重试；若经常出现，检查代理和防火墙', en: 'Usually a network glitch: try again later; if it happens often, check the proxy and firewall' },
  },
  tls: {
    what: { zh: '与 {host} 的 TLS 连接失败（{url}）', en: 'TLS connection to {host} failed ({url})' },
    fix: { zh: '更新系统 CA 证书并校准服务器时间；若代理会解密 HTTPS，请让它对 qyapi.weixin.qq.com 使用 CONNECT 隧道', en: "Update the system CA certificates and correct the clock; if the proxy intercepts HTTPS, make it tunnel (CONNECT) qyapi.weixin.qq.com" },
  },
  timeout: {
    what: { zh: '调用 {endpoint} 超时（{url}，{seconds} 秒内没有完整应答）', en: 'Calling {endpoint} timed out ({url}: no complete answer within {seconds} s)' },
    fix: { zh: '检查网络和代理的延迟；企业微信通常在 1 秒内应答', en: 'Check network and proxy latency; WeCom normally answers within a second' },
  },
  proxy_unreachable: {
    what: { zh: '无法连接代理 {proxy}', en: 'Cannot connect to the proxy {proxy}' },
    fix: { zh: '检查 WECOM_PROXY（或 HTTPS_PROXY）的地址和端口，以及代理服务是否在运行', en: 'Check the host and port in WECOM_PROXY (or HTTPS_PROXY) and that the proxy is running' },
  },
  proxy_auth: {
    what: { zh: '代理 {proxy} 要求身份验证（HTTP 407）', en: 'The proxy {proxy} requires authentication (HTTP 407)' },
    fix: { zh: '在 WECOM_PROXY 中写入正确的用户名和密码：http://用户名:密码@主机:端口（特殊字符需 URL 编码）', en: 'Put the right user and password in WECOM_PROXY: http://user:password@host:port (URL-encode special characters)' },
  },
  proxy_rejected: {
    what: { zh: '代理 {proxy} 拒绝连接企业微信 API（HTTP {status}）', en: 'The proxy {proxy} refused to connect to the WeCom API (HTTP {status})' },
    fix: { zh: '检查代理是否允许访问 {host}（端口 443），以及代理服务器自身能否访问外网', en: 'Check the proxy allows {host} (port 443) and can itself reach the internet' },
  },
  http: {
    what: { zh: '企业微信 API 返回了异常应答（{url}，HTTP {status}）', en: 'The WeCom API gave an unexpected answer ({url}, HTTP {status})' },
    fix: { zh: '检查 WECOM_API_BASE 是否指向企业微信 API（而不是网页或网关）；5xx 通常是暂时的，稍后重试', en: 'Check WECOM_API_BASE points at the WeCom API (not a web page or gateway); 5xx errors are usually temporary, try again later' },
  },
};

const DETAIL: Text = { zh: '详情：{detail}', en: 'Details: {detail}' };

/** Nothing listens on an API base on this machine: in practice the local sandbox, stopped. */
const REFUSED_LOCAL_FIX: Text = {
  zh: '{base} 在本机上，但没有服务在监听。若这是本地沙箱，它没有在运行：运行 wecom-archive sandbox --port {port} 启动（种子与写出配置时相同）；否则检查 WECOM_API_BASE',
  en: '{base} is on this machine but nothing listens there. If it is the local sandbox, it is not running: start it with wecom-archive sandbox --port {port} (the seed it wrote the config with); otherwise check WECOM_API_BASE',
};

/** What a caller who knows more (the config behind the URL) says instead of the generic text. */
export interface TransportAdvice {
  what: Text;
  fix: Text;
  vars?: Record<string, string | number>;
}

/** A request that got no WeCom answer: network, proxy, timeout or HTTP-level failure. */
export class WecomTransportError extends UserError {
  readonly failure: TransportFailure;
  readonly endpoint: string;
  /** Redacted request URL. */
  readonly url: string;
  /** Redacted proxy URL when the request went through one. */
  readonly proxy?: string;
  readonly status?: number;
  /**
   * False when the request provably never reached WeCom (DNS, refused, proxy failures): even a
   * write may then be retried. True when it may have been processed (reset, timeout, HTTP status).
   */
  readonly mayHaveReached: boolean;

  constructor(init: {
    failure: TransportFailure;
    endpoint: string;
    url: string;
    proxy?: string;
    status?: number;
    detail?: string;
    timeoutMs?: number;
    mayHaveReached: boolean;
    cause?: unknown;
    knownSecrets?: Array<string | undefined>;
    advice?: TransportAdvice;
  }) {
    const text = TRANSPORT_TEXT[init.failure];
    const url = redactUrl(init.url);
    const local = init.failure === 'refused' ? loopbackBase(init.url) : undefined;
    super(`wecom_${init.failure}`, {
      what: init.advice?.what ?? text.what,
      why: init.detail && !init.advice ? DETAIL : undefined,
      fix: init.advice?.fix ?? (local ? REFUSED_LOCAL_FIX : text.fix),
      vars: {
        ...local,
        ...init.advice?.vars,
        // The request's URL without its query (the query carries access_token).
        url: url.replace(/\?.*$/, ''),
        host: hostOf(init.url),
        endpoint: init.endpoint,
        proxy: init.proxy ? redactUrl(init.proxy) : '',
        status: init.status ?? '',
        seconds: init.timeoutMs ? Math.round(init.timeoutMs / 100) / 10 : '',
        detail: redactText(redactKnown(init.detail ?? '', init.knownSecrets ?? [])),
      },
    }, { cause: init.cause });
    this.name = 'WecomTransportError';
    this.failure = init.failure;
    this.endpoint = init.endpoint;
    this.url = url;
    this.proxy = init.proxy ? redactUrl(init.proxy) : undefined;
    this.status = init.status;
    this.mayHaveReached = init.mayHaveReached;
    // Kept to rebuild the error with advice: the detail already redacted, the known secrets dropped,
    // and not enumerable, so inspecting the error shows nothing more than before.
    Object.defineProperty(this, 'init', { value: { ...init, detail: String(this.vars.detail ?? ''), knownSecrets: undefined }, enumerable: false });
  }

  declare private readonly init: ConstructorParameters<typeof WecomTransportError>[0];

  /** The same failure (class, code, fields), explained by a caller who knows what the URL is. */
  withAdvice(advice: TransportAdvice): WecomTransportError {
    return new WecomTransportError({ ...this.init, advice });
  }

  /** Network-level trouble on the way to WeCom through a proxy (as opposed to WeCom itself). */
  get isProxyFailure(): boolean {
    return this.failure.startsWith('proxy_');
  }
}

/** The endpoint needs a secret the user did not configure. */
export class WecomMissingCredentialError extends UserError {
  constructor(endpoint: string, allowed: readonly CredentialKind[]) {
    const keys = allowed.map((kind) => SECRET_KEY_OF[kind]);
    super('wecom_no_credential', {
      what: { zh: '调用 {endpoint} 需要 Secret，但尚未配置', en: 'Calling {endpoint} needs a secret that is not configured' },
      why: { zh: '此接口可使用的 Secret：{keys}', en: 'Secrets this API accepts: {keys}' },
      fix: { zh: '在配置中设置 {key}', en: 'Set {key} in the config' },
      vars: { endpoint, keys: keys.join(', ') || '-', key: keys[0] ?? '-' },
    });
    this.name = 'WecomMissingCredentialError';
  }
}

function suffix(text: Text, tail: Text): Text {
  return { zh: text.zh + tail.zh, en: text.en + tail.en };
}

/** The base and port of a URL on this machine (127.0.0.0/8, localhost, ::1), else undefined. */
export function loopbackBase(url: string): { base: string; port: string } | undefined {
  try {
    const parsed = new URL(url);
    if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i.test(parsed.hostname)) return undefined;
    return { base: parsed.origin, port: parsed.port || (parsed.protocol === 'https:' ? '443' : '80') };
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

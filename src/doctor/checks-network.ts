import { connect } from 'node:net';
import type { Config } from '../config/types.ts';
import type { WecomClient } from '../wecom/client.ts';
import { proxyForUrl } from '../wecom/transport.ts';
import { WecomApiError } from '../wecom/errors.ts';
import { redactUrl } from '../util/redact.ts';
import type { CheckResult } from './report.ts';
import { failure, result } from './probe.ts';
import { explainUnreachable } from './sandbox.ts';

const PROXY_TIMEOUT_MS = 3_000;

/** The proxy API calls will go through, as the transport picks it, and the setting it came from. */
function effectiveProxy(config: Config, env: NodeJS.ProcessEnv): { url: string; from: string } | undefined {
  const url = proxyForUrl({ proxy: config.proxy, env }, `${config.apiBase}/cgi-bin/gettoken`);
  if (!url) return undefined;
  const from = config.proxy ? 'WECOM_PROXY'
    : ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].find((name) => env[name] === url) ?? 'HTTPS_PROXY';
  return { url, from };
}

/** The forward proxy answers on its port (before blaming WeCom for what the proxy does). */
export async function proxyCheck(config: Config, env: NodeJS.ProcessEnv): Promise<CheckResult | undefined> {
  const head = { id: 'network.proxy', credential: null, title: { zh: '网络：正向代理', en: 'Network: forward proxy' } };
  let proxy: ReturnType<typeof effectiveProxy>;
  try {
    proxy = effectiveProxy(config, env);
  } catch (err) {
    // An unusable proxy setting: no call can be made until it is fixed.
    return failure({ ...head, id: 'network.proxy_setting' }, err);
  }
  if (!proxy) return undefined;
  const vars = { proxy: redactUrl(proxy.url), from: proxy.from };
  const url = new URL(proxy.url);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const reached = await new Promise<string | true>((resolve) => {
    const socket = connect({ host: url.hostname, port, timeout: PROXY_TIMEOUT_MS });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve('timeout'); });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
  if (reached === true) return result(head, { message: { zh: '代理 {proxy}（{from}）可连接', en: 'Proxy {proxy} ({from}) is reachable' }, vars });
  return result(head, {
    status: 'fail',
    message: { zh: '无法连接代理 {proxy}（{from}，{reason}）', en: 'Cannot connect to the proxy {proxy} ({from}, {reason})' },
    fix: { zh: '检查 {from} 的主机和端口，以及代理服务是否在运行', en: 'Check the host and port in {from} and that the proxy is running' },
    vars: { ...vars, reason: reached },
  });
}

/**
 * WeCom's API answers at all (through the proxy when there is one). gettoken without parameters
 * costs nothing and any errcode proves the path works; a transport error says exactly what failed.
 */
export async function apiReachableCheck(client: WecomClient, config: Config): Promise<CheckResult> {
  const head = { id: 'network.api', credential: null, title: { zh: '网络：企业微信 API', en: 'Network: WeCom API' } };
  try {
    await client.callRaw('token.get', {});
  } catch (err) {
    // A stopped sandbox is named as such, with the command that starts it again.
    if (!(err instanceof WecomApiError)) return failure(head, explainUnreachable(err, [config]));
  }
  return result(head, { message: { zh: '{base} 可访问', en: '{base} is reachable' }, vars: { base: config.apiBase } });
}

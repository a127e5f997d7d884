import { connect } from 'node:net';
import type { Config } from '../config/types.ts';
import type { WecomClient } from '../wecom/client.ts';
import { WecomApiError } from '../wecom/errors.ts';
import { redactUrl } from '../util/redact.ts';
import type { CheckResult } from './report.ts';
import { failure, result } from './probe.ts';

const PROXY_TIMEOUT_MS = 3_000;

/** The forward proxy answers on its port (before blaming WeCom for what the proxy does). */
export async function proxyCheck(config: Config, env: NodeJS.ProcessEnv): Promise<CheckResult | undefined> {
  const proxy = config.proxy ?? env.HTTPS_PROXY ?? env.https_proxy;
  if (!proxy) return undefined;
  const head = { id: 'network.proxy', credential: null, title: { zh: '网络：正向代理', en: 'Network: forward proxy' } };
  const url = new URL(proxy);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const vars = { proxy: redactUrl(proxy) };
  const reached = await new Promise<string | true>((resolve) => {
    const socket = connect({ host: url.hostname, port, timeout: PROXY_TIMEOUT_MS });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('timeout', () => { socket.destroy(); resolve('timeout'); });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
  if (reached === true) return result(head, { message: { zh: '代理 {proxy} 可连接', en: 'Proxy {proxy} is reachable' }, vars });
  return result(head, {
    status: 'fail',
    message: { zh: '无法连接代理 {proxy}（{reason}）', en: 'Cannot connect to the proxy {proxy} ({reason})' },
    fix: { zh: '检查 WECOM_PROXY 的主机和端口，以及代理服务是否在运行', en: 'Check the host and port in WECOM_PROXY and that the proxy is running' },
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
    if (!(err instanceof WecomApiError)) return failure(head, err);
  }
  return result(head, { message: { zh: '{base} 可访问', en: '{base} is reachable' }, vars: { base: config.apiBase } });
}

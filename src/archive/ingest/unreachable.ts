import type { Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { archiveSdkCodeInfo } from '../../wecom/errcodes.ts';
import { FinanceSdkError } from '../sdk/errors.ts';

/**
 * A pull that could not reach WeCom even after its retries (the SDK's transient codes, 10001–10003).
 * The catalogue's fix says "retried automatically", true inside `archive watch` (it tries again next
 * interval) but not for `archive pull`, which then exits: this says what was tried, names the API
 * base the SDK calls, and, for a sandbox on this machine, that the sandbox must be running.
 */

const TEXT = {
  fix: {
    zh: '检查服务器能否访问 {url}，以及 WECOM_PROXY 的地址、用户名和密码；之后重新运行（archive watch 会在下一轮自动重试）',
    en: 'Check this server can reach {url}, and the host, user and password in WECOM_PROXY; then run again (archive watch retries by itself at its next interval)',
  },
  sandboxFix: {
    zh: '{url} 是本机的沙箱：先启动它（wecom-archive sandbox --port {port} --config-out <配置文件>），再重新运行',
    en: '{url} is a sandbox on this machine: start it (wecom-archive sandbox --port {port} --config-out <config file>), then run again',
  },
} satisfies Record<string, Text>;

/** WECOM_API_BASE on this machine: the sandbox, not WeCom. */
export function isLocalApiBase(apiBase: string): { port: string } | undefined {
  try {
    const url = new URL(apiBase);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return undefined;
    return { port: url.port || (url.protocol === 'https:' ? '443' : '80') };
  } catch {
    return undefined;
  }
}

/** The error a pull ends with when its transient SDK failure outlasted the retries; others unchanged. */
export function pullGaveUp(err: unknown, apiBase: string, tries: number): unknown {
  if (!(err instanceof FinanceSdkError) || !err.retryable) return err;
  const sandbox = isLocalApiBase(apiBase);
  const info = archiveSdkCodeInfo(err.rc);
  return new UserError(err.code, {
    what: {
      zh: `无法从 {url} 拉取会话存档：${info.meaning.zh}（Finance SDK {operation} 返回 {rc}，已试 {tries} 次）`,
      en: `Cannot pull the chat archive from {url}: ${info.meaning.en} (Finance SDK {operation} returned {rc}, tried {tries} times)`,
    },
    why: info.cause,
    fix: sandbox ? TEXT.sandboxFix : TEXT.fix,
    vars: { url: apiBase, port: sandbox?.port ?? '', operation: err.operation, rc: err.rc, tries, errcode: err.rc },
  }, { cause: err });
}

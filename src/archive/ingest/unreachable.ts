import type { Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { archiveSdkCodeInfo } from '../../wecom/errcodes.ts';
import { loopbackBase } from '../../wecom/errors.ts';
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
    zh: '{url} 在本机上：若这是本地沙箱，它没有在运行：运行 wecom-archive sandbox --port {port} 启动（种子与写出配置时相同）后重新运行；否则检查 WECOM_API_BASE',
    en: '{url} is on this machine: if it is the local sandbox, it is not running: start it with wecom-archive sandbox --port {port} (the seed it wrote the config with), then run again; otherwise check WECOM_API_BASE',
  },
} satisfies Record<string, Text>;

/** The error a pull ends with when its transient SDK failure outlasted the retries; others unchanged. */
export function pullGaveUp(err: unknown, apiBase: string, tries: number): unknown {
  if (!(err instanceof FinanceSdkError) || !err.retryable) return err;
  const sandbox = loopbackBase(apiBase);
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

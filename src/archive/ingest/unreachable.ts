import type { Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { archiveSdkCodeInfo } from '../../wecom/errcodes.ts';
import { loopbackBase } from '../../wecom/errors.ts';
import { FinanceSdkError } from '../sdk/errors.ts';

/**
 * A pull that could not reach WeCom even after its retries (the SDK's transient codes, 10001–10003).
 * The catalogue's fix says "retried automatically", true inside `archive watch` (it tries again next
 * interval) but not for `archive pull`, which then exits: this says what was tried and names the API
 * base the SDK calls; for the sandbox (a config it wrote), that it is not running and the command
 * that starts it again.
 */

const TEXT = {
  fix: {
    zh: '检查服务器能否访问 {url}，以及 WECOM_PROXY 的地址、用户名和密码；之后重新运行（archive watch 会在下一轮自动重试）',
    en: 'Check this server can reach {url}, and the host, user and password in WECOM_PROXY; then run again (archive watch retries by itself at its next interval)',
  },
  localFix: {
    zh: '{url} 在本机上：若这是本地沙箱，它没有在运行：运行 wecom-archive sandbox --port {port} 启动（种子与写出配置时相同）后重新运行；否则检查 WECOM_API_BASE',
    en: '{url} is on this machine: if it is the local sandbox, it is not running: start it with wecom-archive sandbox --port {port} (the seed it wrote the config with), then run again; otherwise check WECOM_API_BASE',
  },
  sandboxWhat: {
    zh: '沙箱未运行（{url}：Finance SDK {operation} 返回 {rc}，已试 {tries} 次）',
    en: 'The sandbox is not running ({url}: Finance SDK {operation} returned {rc}, tried {tries} times)',
  },
  sandboxFix: {
    zh: '运行 `{command}` 重新启动（另开一个终端，保持运行），然后重新运行',
    en: 'Run `{command}` to start it again (in another terminal, and leave it running), then run again',
  },
} satisfies Record<string, Text>;

export interface GaveUpContext {
  /** WECOM_API_BASE: where the SDK went. */
  apiBase: string;
  /** GetChatData calls made. */
  tries: number;
  /** The command that starts the sandbox this config was written for, when it is one. */
  sandboxCommand?: string;
}

/** The error a pull ends with when its transient SDK failure outlasted the retries; others unchanged. */
export function pullGaveUp(err: unknown, context: GaveUpContext): unknown {
  if (!(err instanceof FinanceSdkError) || !err.retryable) return err;
  const { apiBase: url, tries, sandboxCommand } = context;
  const vars = { url, operation: err.operation, rc: err.rc, tries, errcode: err.rc, command: sandboxCommand ?? '', port: loopbackBase(url)?.port ?? '' };
  if (sandboxCommand) return new UserError(err.code, { what: TEXT.sandboxWhat, fix: TEXT.sandboxFix, vars }, { cause: err });
  const info = archiveSdkCodeInfo(err.rc);
  return new UserError(err.code, {
    what: {
      zh: `无法从 {url} 拉取会话存档：${info.meaning.zh}（Finance SDK {operation} 返回 {rc}，已试 {tries} 次）`,
      en: `Cannot pull the chat archive from {url}: ${info.meaning.en} (Finance SDK {operation} returned {rc}, tried {tries} times)`,
    },
    why: info.cause,
    fix: loopbackBase(url) ? TEXT.localFix : TEXT.fix,
    vars,
  }, { cause: err });
}

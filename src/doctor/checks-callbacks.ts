import { randomBytes } from 'node:crypto';
import { CALLBACK_KINDS, callbackKeys, type CallbackKind } from '../config/keys.ts';
import type { Config } from '../config/types.ts';
import type { Text } from '../i18n/index.ts';
import { MsgCrypt } from '../wecom/callback/crypto.ts';
import type { CheckResult } from './report.ts';
import { result, skipped } from './probe.ts';

/**
 * The callback URLs, as WeCom's admin console will test them when an admin saves one: for each kind,
 * the Token and EncodingAESKey are both set and usable, and the public URL answers a signed echostr
 * check with the plain echostr within the second WeCom allows (wecom-api.md §5.1).
 */

/** WeCom drops a URL check that is not answered within 1 s (§5.1). */
const WECOM_VERIFY_BUDGET_MS = 1_000;
const ROUND_TRIP_TIMEOUT_MS = 5_000;

const KIND_LABEL: Record<CallbackKind, Text> = {
  app: { zh: '自建应用', en: 'self-built app' },
  contacts: { zh: '通讯录', en: 'contacts' },
  customer: { zh: '客户联系', en: 'customer contact' },
  archive: { zh: '会话存档', en: 'chat archive' },
};

const headOf = (kind: CallbackKind, part: string) => ({
  id: `callback.${kind}.${part}`,
  credential: null,
  title: { zh: `回调：${KIND_LABEL[kind].zh}`, en: `Callback: ${KIND_LABEL[kind].en}` },
});

/** Where WeCom will post a kind's callbacks, under the server's public base URL. */
export function callbackUrl(publicUrl: string, corpId: string, kind: CallbackKind): string {
  return `${publicUrl.replace(/\/+$/, '')}/callback/${encodeURIComponent(corpId)}/${kind}`;
}

export interface CallbackCheckOptions {
  /** The server's external base URL (PUBLIC_URL); without it only the keys are checked. */
  publicUrl?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

export async function callbackChecks(config: Config, options: CallbackCheckOptions = {}): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  for (const kind of CALLBACK_KINDS) {
    const keys = keysCheck(config, kind);
    checks.push(keys.check);
    if (keys.crypt && config.corpId) checks.push(await roundTripCheck(keys.crypt, config.corpId, kind, options));
  }
  return checks;
}

/** Both values set, and usable as WeCom uses them; a half-configured kind is a mistake worth saying. */
function keysCheck(config: Config, kind: CallbackKind): { check: CheckResult; crypt?: MsgCrypt } {
  const head = headOf(kind, 'keys');
  const names = callbackKeys(kind);
  const token = config.raw[names.token]?.value;
  const aesKey = config.raw[names.aesKey]?.value;
  const vars = { token: names.token, aesKey: names.aesKey };
  if (!token && !aesKey) {
    return { check: skipped(head, { zh: '未配置（{token} 与 {aesKey}）', en: 'Not configured ({token} and {aesKey})' }, vars) };
  }
  if (!token || !aesKey) {
    const missing = token ? names.aesKey : names.token;
    return {
      check: result(head, {
        status: 'fail',
        message: { zh: '只配置了一半：缺少 {missing}', en: 'Half configured: {missing} is missing' },
        fix: { zh: '从管理后台该回调的「接收事件服务器」设置中复制 Token 和 EncodingAESKey 两项', en: "Copy both the Token and the EncodingAESKey from the callback's 'Receive events' settings in the admin console" },
        vars: { ...vars, missing },
      }),
    };
  }
  if (/\s/.test(token)) {
    return {
      check: result(head, {
        status: 'fail',
        message: { zh: '{token} 含有空白字符，签名将无法匹配', en: '{token} contains whitespace: signatures will not match' },
        fix: { zh: '重新复制 Token，不要带空格或换行', en: 'Copy the Token again, without spaces or line breaks' },
        vars,
      }),
    };
  }
  try {
    const crypt = new MsgCrypt({ token, encodingAesKey: aesKey, receiveId: config.corpId ?? '' });
    return { check: result(head, { message: { zh: 'Token 与 EncodingAESKey 已配置且格式正确', en: 'Token and EncodingAESKey set and well formed' } }), crypt };
  } catch {
    return {
      check: result(head, {
        status: 'fail',
        message: { zh: '{aesKey} 不是有效的 EncodingAESKey（应为 43 个字母或数字）', en: '{aesKey} is not a valid EncodingAESKey (43 letters or digits)' },
        fix: { zh: '从管理后台重新复制，或点击「随机获取」后同时更新两处', en: "Copy it again from the admin console, or press 'Random' there and update both places" },
        vars,
      }),
    };
  }
}

/** The GET WeCom sends when an admin saves the URL: a signed, encrypted echostr to be echoed in plain. */
async function roundTripCheck(crypt: MsgCrypt, corpId: string, kind: CallbackKind, options: CallbackCheckOptions): Promise<CheckResult> {
  const head = headOf(kind, 'url');
  if (!options.publicUrl) {
    return skipped(head, { zh: '未设置 PUBLIC_URL，无法检查回调地址', en: 'PUBLIC_URL is not set: the callback URL cannot be checked' });
  }
  const url = callbackUrl(options.publicUrl, corpId, kind);
  const echo = randomBytes(9).toString('hex');
  const timestamp = String(Math.floor((options.now ?? Date.now)() / 1000));
  const nonce = randomBytes(8).toString('hex');
  const echostr = crypt.encrypt(echo);
  const query = new URLSearchParams({ msg_signature: crypt.signature(timestamp, nonce, echostr), timestamp, nonce, echostr });
  const started = performance.now();
  let status: number;
  let body: string;
  try {
    const response = await (options.fetch ?? fetch)(`${url}?${query}`, { signal: AbortSignal.timeout(ROUND_TRIP_TIMEOUT_MS) });
    status = response.status;
    body = await response.text();
  } catch (err) {
    return result(head, {
      status: 'fail',
      message: { zh: '无法访问 {url}（{reason}）', en: 'Cannot reach {url} ({reason})' },
      fix: { zh: '确认 `wecom-archive serve` 正在运行，且 PUBLIC_URL 从这台机器和企业微信都能访问', en: 'Check that `wecom-archive serve` is running and that PUBLIC_URL is reachable from here and from WeCom' },
      vars: { url, reason: reasonOf(err) },
    });
  }
  const ms = Math.round(performance.now() - started);
  if (status === 200 && body === echo) {
    if (ms > WECOM_VERIFY_BUDGET_MS) {
      return result(head, {
        status: 'warn',
        message: { zh: '{url} 验证通过，但用时 {ms} ms，超过企业微信允许的 1 秒', en: '{url} verified, but took {ms} ms: WeCom allows 1 s' },
        fix: { zh: '检查服务器负载和反向代理', en: 'Check the server load and the reverse proxy' },
        vars: { url, ms },
      });
    }
    return result(head, { message: { zh: '{url} 验证通过（{ms} ms）', en: '{url} verified ({ms} ms)' }, vars: { url, ms } });
  }
  return result(head, { status: 'fail', ...answerAdvice(status), vars: { url, status } });
}

/** What a wrong answer to the URL check means, by the status the server gave. */
function answerAdvice(status: number): { message: Text; fix: Text } {
  if (status === 404) {
    return {
      message: { zh: '{url} 返回 404：该服务不认识这个企业或回调类型', en: '{url} answered 404: that server does not know this corp or callback kind' },
      fix: { zh: '让 serve 使用与这里相同的配置（--config），或修正 PUBLIC_URL', en: 'Run serve with the same config as here (--config), or correct PUBLIC_URL' },
    };
  }
  if (status === 200 || status === 401 || status === 403) {
    return {
      message: { zh: '{url} 没有返回正确的 echostr（HTTP {status}）：服务端的 Token 或 EncodingAESKey 与这里不同', en: "{url} did not echo the echostr (HTTP {status}): the server's Token or EncodingAESKey differ from these" },
      fix: { zh: '让 serve 与管理后台使用同一组 Token 和 EncodingAESKey，然后重启 serve', en: 'Give serve the same Token and EncodingAESKey as the admin console, then restart it' },
    };
  }
  return {
    message: { zh: '{url} 返回 HTTP {status}', en: '{url} answered HTTP {status}' },
    fix: { zh: '查看 serve 的日志', en: "Read serve's log" },
  };
}

function reasonOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string } })?.cause;
  if (cause?.code) return cause.code;
  return err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : err instanceof Error ? err.message : String(err);
}

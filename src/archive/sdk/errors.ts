import type { Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { archiveSdkCodeInfo, type RetryClass } from '../../wecom/errcodes.ts';
import { WecomApiError } from '../../wecom/errors.ts';

/**
 * The Finance SDK fails on two layers (archive-sdk.md §1.5): the function's return code, and the
 * `errcode` inside the JSON of a GetChatData that returned 0. Both become typed errors, explained
 * from the one catalogue in src/wecom/errcodes.ts.
 */

export type SdkOperation = 'init' | 'pull' | 'decrypt' | 'media';

export function isRetryableReturnCode(rc: number): boolean {
  const retry = archiveSdkCodeInfo(rc).retry;
  return retry === 'transient' || retry === 'maybe';
}

/** A non-zero return code of a Finance SDK function. */
export class FinanceSdkError extends UserError {
  readonly rc: number;
  readonly operation: SdkOperation;
  readonly retryClass: RetryClass;
  readonly retryable: boolean;

  constructor(operation: SdkOperation, rc: number) {
    const info = archiveSdkCodeInfo(rc);
    super(`archive_sdk_${rc}`, {
      what: { zh: `${info.meaning.zh}（Finance SDK {operation} 返回 {rc}）`, en: `${info.meaning.en} (Finance SDK {operation} returned {rc})` },
      why: info.cause,
      fix: info.fix,
      vars: { operation, rc, errcode: rc },
    });
    this.name = 'FinanceSdkError';
    this.rc = rc;
    this.operation = operation;
    this.retryClass = info.retry;
    this.retryable = isRetryableReturnCode(rc);
  }
}

/** GetChatData returned 0 but its JSON carries errcode ≠ 0 (40001, 48002, 301042 …). */
export class ArchiveApiError extends WecomApiError {
  constructor(errcode: number, errmsg: string) {
    super({ errcode, errmsg, endpoint: 'GetChatData', credential: 'archive', wantedKind: 'archive' });
    this.name = 'ArchiveApiError';
  }
}

/** Where Tencent's library comes from: the one fix for every "no usable FINANCE_SDK_PATH". */
export const SDK_DOWNLOAD_FIX: Text = {
  zh: '从企业微信开发文档 91774 下载 Linux 版 SDK，把 FINANCE_SDK_PATH 设为其中 libWeWorkFinanceSdk_C.so 的绝对路径。',
  en: 'Download the Linux SDK from WeCom developer doc 91774 and set FINANCE_SDK_PATH to the absolute path of its libWeWorkFinanceSdk_C.so.',
};

export type HostFailure = 'crash' | 'timeout' | 'exit' | 'start' | 'closed' | 'protocol';

const HOST_TEXTS: Record<HostFailure, Text> = {
  crash: { zh: 'Finance SDK 进程在 {operation} 时崩溃（{detail}），重试后仍失败。', en: 'The Finance SDK process crashed during {operation} ({detail}), also on retry.' },
  timeout: { zh: 'Finance SDK 调用 {operation} 超时（{detail}），进程已被终止，重试后仍失败。', en: 'Finance SDK call {operation} timed out ({detail}); the process was killed, and retries failed too.' },
  exit: { zh: 'Finance SDK 进程意外退出（{detail}）。', en: 'The Finance SDK process exited unexpectedly ({detail}).' },
  start: { zh: '无法启动 Finance SDK 进程：{detail}', en: 'Could not start the Finance SDK process: {detail}' },
  closed: { zh: 'Finance SDK 已关闭，调用 {operation} 被取消。', en: 'The Finance SDK was closed; the {operation} call was cancelled.' },
  protocol: { zh: 'Finance SDK 进程返回了无法理解的应答：{detail}', en: 'The Finance SDK process answered something unexpected: {detail}' },
};

/** The SDK host process failed (crashed, hung, could not start) rather than the SDK answering. */
export class SdkHostError extends UserError {
  readonly failure: HostFailure;

  constructor(failure: HostFailure, operation: SdkOperation, detail: string, fix?: Text) {
    super(`archive_sdk_host_${failure}`, {
      what: HOST_TEXTS[failure],
      fix: fix ?? {
        zh: '检查 FINANCE_SDK_PATH 指向 Linux x86_64/ARM64 版 libWeWorkFinanceSdk_C.so；设置 WECOM_ARCHIVE_DEBUG=1 查看进程输出。',
        en: 'Check that FINANCE_SDK_PATH points to the Linux x86_64/ARM64 libWeWorkFinanceSdk_C.so; set WECOM_ARCHIVE_DEBUG=1 to see the process output.',
      },
      vars: { operation, detail },
    });
    this.failure = failure;
  }
}

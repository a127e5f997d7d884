import { statSync } from 'node:fs';
import { UserError } from '../../util/errors.ts';
import { SDK_CODE } from '../../wecom/errcodes.ts';
import { FinanceSdkError, SDK_DOWNLOAD_FIX, SdkHostError, type SdkOperation } from './errors.ts';
import { hostEntry } from './host-entry.ts';
import { HostCallError, HostDiedError, HostProcess } from './host-process.ts';
import type { HostErrorPayload, HostRequest, InitRequest, ResultOf } from './protocol.ts';

/**
 * Keeps one SDK host alive: starts it on first use and again after it died (crash, exit, or killed
 * on a timeout). Callers decide whether to retry; this only guarantees a fresh process for the next
 * call and counts what happened.
 */
export class SupervisedHost {
  private current?: HostProcess;
  private starting?: Promise<HostProcess>;
  private startedOnce = false;
  private closed = false;
  /** Starts after the first: one per crash, hang or unexpected exit that was followed by a call. */
  restarts = 0;

  constructor(private readonly options: { apiBase: string; init: InitRequest; startTimeoutMs: number }) {}

  get pid(): number | undefined {
    return this.current?.alive ? this.current.pid : undefined;
  }

  /** The live host, started (or restarted) when needed; concurrent callers share one start. */
  ensure(): Promise<HostProcess> {
    if (this.closed) return Promise.reject(new SdkHostError('closed', 'init', 'closed'));
    if (this.current?.alive) return Promise.resolve(this.current);
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async call<K extends keyof ResultOf>(request: Extract<HostRequest, { op: K }>, timeoutMs: number): Promise<ResultOf[K]> {
    const host = await this.ensure();
    return host.call(request, timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    const host = this.current ?? (await this.starting?.catch(() => undefined));
    await host?.close();
  }

  private async start(): Promise<HostProcess> {
    const host = new HostProcess({ apiBase: this.options.apiBase, entry: await hostEntry() });
    try {
      await host.call(this.options.init, this.options.startTimeoutMs);
    } catch (err) {
      host.kill('exit', 'start failed');
      await host.exited;
      throw startError(err, host.stderr);
    }
    if (this.closed) {
      await host.close();
      throw new SdkHostError('closed', 'init', 'closed');
    }
    if (this.startedOnce) this.restarts++;
    this.startedOnce = true;
    this.current = host;
    return host;
  }
}

const LIBRARY_FIX = {
  zh: 'FINANCE_SDK_PATH 应指向腾讯提供的 Linux 版 libWeWorkFinanceSdk_C.so（开发文档 91774 下载），且与本机架构（x86_64/ARM64）一致、依赖的 glibc 可用。',
  en: "FINANCE_SDK_PATH must point to Tencent's Linux libWeWorkFinanceSdk_C.so (download: developer doc 91774), built for this machine's architecture (x86_64/ARM64), with its glibc available.",
};

/** What a failed start means for a person: a library that does not load, a bad secret, a crash. */
function startError(err: unknown, stderr: string): Error {
  if (err instanceof HostCallError) return hostErrorToError(err.payload, 'init');
  if (err instanceof HostDiedError) {
    const detail = stderr ? `${err.detail}: ${stderr.split('\n').slice(-3).join(' | ')}` : err.detail;
    return new SdkHostError('start', 'init', detail, LIBRARY_FIX);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Maps a host's error answer to the typed error callers catch. */
export function hostErrorToError(payload: HostErrorPayload, operation: SdkOperation): Error {
  switch (payload.kind) {
    case 'rc':
      return new FinanceSdkError(operation, payload.rc);
    case 'parse':
      // Unparseable SDK output is what the SDK itself reports as 10002 (retryable).
      return new FinanceSdkError(operation, SDK_CODE.PARSE_FAILURE);
    case 'load':
      return new SdkHostError('start', operation, payload.message, LIBRARY_FIX);
    case 'keys':
      return new UserError(payload.code, {
        what: { zh: '会话存档私钥无法在 SDK 进程中加载。', en: 'The archive private keys could not be loaded in the SDK process.' },
        fix: { zh: '运行 `wecom-archive doctor` 检查 ARCHIVE_PRIVATE_KEY_<版本>。', en: 'Run `wecom-archive doctor` to check ARCHIVE_PRIVATE_KEY_<version>.' },
      });
    case 'bad-request':
      return new SdkHostError('protocol', operation, payload.message);
  }
}

export function toCallerError(err: unknown, operation: SdkOperation): Error {
  if (err instanceof HostCallError) return hostErrorToError(err.payload, operation);
  return err instanceof Error ? err : new Error(String(err));
}

export function assertLibraryFile(path: string): void {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = false;
  }
  if (isFile) return;
  throw new UserError('archive_sdk_library_missing', {
    what: { zh: '找不到 Finance SDK 动态库：{path}', en: 'The Finance SDK library was not found: {path}' },
    fix: SDK_DOWNLOAD_FIX,
    vars: { path },
  });
}

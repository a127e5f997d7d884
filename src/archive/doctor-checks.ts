import type { Config } from '../config/types.ts';
import type { ExtraChecks } from '../doctor/doctor.ts';
import { failure, result, skipped, type CheckHead } from '../doctor/probe.ts';
import { SDK_DOWNLOAD_FIX } from './sdk/errors.ts';
import type { CheckResult } from '../doctor/report.ts';
import type { Text } from '../i18n/index.ts';
import type { Store } from '../store/index.ts';
import { readSeqCursor } from './ingest/write-page.ts';
import { KeyRing } from './keys/keyring.ts';
import { SdkPool } from './sdk/pool.ts';
import type { ChatDataEnvelope } from './sdk/protocol.ts';
import { sdkProxyArguments } from './sdk/proxy.ts';
import { keyChecks, loadKeysForDoctor, storedSamples } from './status/key-probe.ts';
import { openExistingStore } from './status/existing-store.ts';
import { formatDuration } from './status/render.ts';
import { archiveStatus, RETENTION_MS } from './status/status.ts';

/**
 * `doctor`'s archive checks (an ExtraChecks for runDoctor): the Finance SDK loads and Init works, it
 * can pull, each configured key opens real messages of its version, no version lacks its key, and the
 * archive is not drifting towards WeCom's 5-day window. Read-only: it never writes to the store.
 */

const HEADS = {
  sdk: { id: 'archive.sdk', credential: 'archive', title: { zh: '会话存档：Finance SDK', en: 'Chat archive: Finance SDK' } },
  pull: { id: 'archive.sdk_pull', credential: 'archive', title: { zh: '会话存档：拉取（GetChatData）', en: 'Chat archive: pull (GetChatData)' } },
  lag: { id: 'archive.lag', credential: 'archive', title: { zh: '会话存档：拉取进度', en: 'Chat archive: pull progress' } },
} satisfies Record<string, CheckHead>;

const TEXT = {
  noSecret: { zh: '未配置 CHAT_ARCHIVE_SECRET，无法初始化 SDK', en: 'CHAT_ARCHIVE_SECRET not set: the SDK cannot be initialised' },
  noPath: { zh: '未配置 FINANCE_SDK_PATH：无法拉取会话存档', en: 'FINANCE_SDK_PATH not set: the chat archive cannot be pulled' },
  sdkOk: { zh: '{path} 可加载，Init 成功', en: '{path} loads and Init succeeds' },
  pullOk: { zh: 'GetChatData 可用（从 seq {seq} 起返回 {count} 条）', en: 'GetChatData works ({count} message(s) after seq {seq})' },
  noSdk: { zh: 'SDK 不可用，跳过', en: 'SDK unavailable: skipped' },
  nothing: { zh: '尚未拉取任何消息（运行 `wecom-archive archive pull`）', en: 'Nothing pulled yet (run `wecom-archive archive pull`)' },
  fresh: { zh: '落后最新消息 {lag}；未拉取的消息最早 {left} 后才会过期', en: '{lag} behind the newest message; unpulled messages expire in {left} at the earliest' },
  near: { zh: '已 {stale} 未追上最新消息，接近企业微信 5 天保留期：{left} 后未拉取的消息开始过期', en: 'Not caught up for {stale}, close to WeCom\'s 5-day retention: unpulled messages start expiring in {left}' },
  lost: { zh: '已 {stale} 未追上最新消息，超过企业微信 5 天保留期：未拉取的消息可能已经丢失', en: 'Not caught up for {stale}, beyond WeCom\'s 5-day retention: unpulled messages may already be lost' },
  lagFix: { zh: '运行 `wecom-archive archive pull`，并用 `wecom-archive archive watch`（或定时任务）持续拉取。', en: 'Run `wecom-archive archive pull`, and keep `wecom-archive archive watch` (or a timer) running.' },
} satisfies Record<string, Text>;

/** Warn once the archive has not been caught up for this long (of WeCom's 5 days). */
export const LAG_WARN_MS = 3 * 86_400_000;

export interface ArchiveDoctorOptions {
  now?: () => number;
  /** Deadline of one SDK call (default 20 s). */
  timeoutMs?: number;
}

async function startPool(config: Config, keys: KeyRing, timeoutMs: number): Promise<{ check: CheckResult; pool?: SdkPool }> {
  if (!config.financeSdkPath) return { check: result(HEADS.sdk, { status: 'fail', message: TEXT.noPath, fix: SDK_DOWNLOAD_FIX }) };
  if (!config.secrets.archive || !config.corpId) return { check: skipped(HEADS.sdk, TEXT.noSecret) };
  try {
    const pool = await SdkPool.start({
      libraryPath: config.financeSdkPath, corpId: config.corpId, secret: config.secrets.archive, apiBase: config.apiBase,
      keys, hosts: 1, timeoutMs, retries: 0, ...sdkProxyArguments(config.proxy),
    });
    return { check: result(HEADS.sdk, { message: TEXT.sdkOk, vars: { path: config.financeSdkPath } }), pool };
  } catch (err) {
    return { check: failure(HEADS.sdk, err) };
  }
}

/** One GetChatData from the stored cursor: proves the pull works and brings envelopes to test keys on. */
async function pullCheck(pool: SdkPool, store: Store | undefined, corpId: string, limit: number): Promise<{ check: CheckResult; envelopes: ChatDataEnvelope[] }> {
  const seq = store ? await readSeqCursor(store.db, corpId).catch(() => 0n) : 0n;
  try {
    const envelopes = await pool.pull(seq, limit);
    return { check: result(HEADS.pull, { message: TEXT.pullOk, vars: { seq: seq.toString(), count: envelopes.length } }), envelopes };
  } catch (err) {
    return { check: failure(HEADS.pull, err), envelopes: [] };
  }
}

export async function lagCheck(store: Store | undefined, corpId: string, now: number): Promise<CheckResult> {
  const status = store ? await archiveStatus(store.db, corpId, now).catch(() => undefined) : undefined;
  if (!status || status.messages === 0 || status.expiresInMs === null) return skipped(HEADS.lag, TEXT.nothing);
  const stale = RETENTION_MS - status.expiresInMs;
  const vars = { lag: formatDuration(status.lagMs ?? stale), stale: formatDuration(stale), left: formatDuration(status.expiresInMs) };
  if (status.expiresInMs < 0) return result(HEADS.lag, { status: 'fail', message: TEXT.lost, fix: TEXT.lagFix, vars });
  if (stale > LAG_WARN_MS) return result(HEADS.lag, { status: 'warn', message: TEXT.near, fix: TEXT.lagFix, vars });
  return result(HEADS.lag, { message: TEXT.fresh, vars });
}

export function archiveDoctorChecks(options: ArchiveDoctorOptions = {}): ExtraChecks {
  return async (config) => {
    // No archive configured at all: the archive.token line already says so.
    if (!config.secrets.archive && !config.financeSdkPath) return [];
    const corpId = config.corpId ?? '';
    const now = options.now ?? Date.now;
    const loaded = await loadKeysForDoctor(config.archivePrivateKeys);
    const store = await openExistingStore(config);
    const { check, pool } = await startPool(config, KeyRing.fromKeys(loaded.good), options.timeoutMs ?? 20_000);
    try {
      const checks = [check];
      const stored = await storedSamples(store?.db, corpId);
      const untested = loaded.good.some(([v]) => !stored.some((s) => s.publickeyVer === v));
      const pulled = pool ? await pullCheck(pool, store, corpId, untested ? 1000 : 1) : undefined;
      checks.push(pulled?.check ?? skipped(HEADS.pull, TEXT.noSdk));
      const samples = [...stored];
      for (const envelope of pulled?.envelopes ?? []) {
        if (!samples.some((s) => s.publickeyVer === envelope.publickeyVer)) samples.push(envelope);
      }
      checks.push(...(await keyChecks(loaded, samples, pool)));
      checks.push(await lagCheck(store, corpId, now()));
      return checks;
    } finally {
      await pool?.close();
      await store?.close();
    }
  };
}

import { NoCorpError } from '../../config/deployment.ts';
import type { Config } from '../../config/types.ts';
import type { Text } from '../../i18n/index.ts';
import { syncStateRepository, type Store } from '../../store/index.ts';
import { acquireLease, holderVars, LeaseBusy, type Lease } from '../../store/lease.ts';
import { UserError } from '../../util/errors.ts';
import { KeyRing, type KeyWarning } from '../keys/keyring.ts';
import { SDK_DOWNLOAD_FIX } from '../sdk/errors.ts';
import { SdkPool, type SdkPoolOptions } from '../sdk/pool.ts';
import { sdkProxyArguments } from '../sdk/proxy.ts';

/**
 * Everything a pull or a retry needs for one corp: the store (the runtime's, shared by every corp),
 * the corp's archive lease, its key ring (one private key per publickey_ver) and its SDK pool (an io
 * host for GetChatData, one decrypt host per core for RSA + DecryptData), opened from its config.
 */

export interface ArchiveSession {
  corpId: string;
  /** The runtime's store: the session uses it, and leaves closing it to its owner. */
  store: Store;
  keys: KeyRing;
  pool: SdkPool;
  /** Problems with key files that do not stop the archive (e.g. a key readable by others). */
  warnings: KeyWarning[];
  close(): Promise<void>;
}

export interface SessionOptions {
  /** Decrypt hosts (default: one per core). */
  hosts?: number;
  /** Deadline of one SDK call, after which the host is killed (default 30 s). */
  timeoutMs?: number;
  /** A decrypt call past its deadline (pool.ts): a hanging SDK is said at once. */
  onStall?: SdkPoolOptions['onStall'];
}

const MISSING: Record<'secret' | 'sdk', { what: Text; fix: Text }> = {
  secret: {
    what: { zh: '未配置 CHAT_ARCHIVE_SECRET，无法拉取会话存档。', en: 'CHAT_ARCHIVE_SECRET is not set: the chat archive cannot be pulled.' },
    fix: { zh: '在 管理工具 → 会话内容存档 复制 Secret，写入配置 CHAT_ARCHIVE_SECRET。', en: 'Copy the Secret from Management Tools → Chat Archive into CHAT_ARCHIVE_SECRET.' },
  },
  sdk: {
    what: { zh: '未配置 FINANCE_SDK_PATH，无法拉取会话存档。', en: 'FINANCE_SDK_PATH is not set: the chat archive cannot be pulled.' },
    fix: SDK_DOWNLOAD_FIX,
  },
};

/** The archive settings a session needs, or a UserError naming the first one missing. */
export function archiveSettings(config: Config): { corpId: string; secret: string; libraryPath: string } {
  const missing = (which: keyof typeof MISSING) => new UserError(`archive_config_${which}`, MISSING[which]);
  if (!config.corpId) throw new NoCorpError();
  if (!config.secrets.archive) throw missing('secret');
  if (!config.financeSdkPath) throw missing('sdk');
  return { corpId: config.corpId, secret: config.secrets.archive, libraryPath: config.financeSdkPath };
}

/** Another process pulls this corp's archive: two pullers would fork the hash chain. */
export const ARCHIVE_BUSY = 'archive_busy';

/** The config's SDK pool; without keys it serves pulls and media only (the media queue's own pool). */
export function startPool(config: Config, keys: KeyRing | undefined, options: SessionOptions): Promise<SdkPool> {
  const { corpId, secret, libraryPath } = archiveSettings(config);
  return SdkPool.start({
    libraryPath, corpId, secret, apiBase: config.apiBase, keys, hosts: options.hosts,
    timeoutMs: options.timeoutMs, onStall: options.onStall, ...sdkProxyArguments(config.proxy),
  });
}

/**
 * The key ring and SDK pool alone, without the store or the archive lease: for work that only reads
 * the store (`archive verify --deep`), which must be able to run beside a puller or a watcher.
 */
export async function openDecryptPool(
  config: Config, options: SessionOptions = {},
): Promise<{ corpId: string; keys: KeyRing; pool: SdkPool; warnings: KeyWarning[] }> {
  const { corpId } = archiveSettings(config);
  const { ring, warnings } = await KeyRing.load(config.archivePrivateKeys);
  return { corpId, keys: ring, pool: await startPool(config, ring, options), warnings };
}

/** Opens the corp's session over the given store, holding the corp's archive lease until close(). */
export async function openArchiveSession(config: Config, store: Store, options: SessionOptions = {}): Promise<ArchiveSession> {
  const { corpId } = archiveSettings(config);
  const { ring, warnings } = await KeyRing.load(config.archivePrivateKeys);
  let pool: SdkPool;
  let lease: Lease | undefined;
  try {
    lease = await acquireLease(store, `archive-${corpId}`).catch((err: unknown) => {
      if (!(err instanceof LeaseBusy)) throw err;
      throw new UserError(ARCHIVE_BUSY, { ...BUSY, vars: holderVars(err.holder) });
    });
    await syncStateRepository.ensureCorp(store.db, corpId);
    pool = await startPool(config, ring, options);
  } catch (err) {
    await lease?.release();
    throw err;
  }
  let closed: Promise<void> | undefined;
  const close = async () => {
    await pool.close();
    await lease!.release();
  };
  return { corpId, store, keys: ring, pool, warnings, close: () => (closed ??= close()) };
}

const BUSY = {
  what: { zh: '另一个进程正在拉取该企业的会话存档（主机 {host} 上的进程 {pid}）', en: "Another process is pulling this corp's chat archive (process {pid} on host {host})" },
  why: { zh: '同一企业同时只能有一个拉取进程，否则哈希链会分叉', en: 'Only one puller per corp runs at a time, or the hash chain would fork' },
  fix: { zh: '等它结束后再运行；archive watch 会自动待命并在它停止后接手', en: 'Run again when it has finished; archive watch stands by and takes over when it stops' },
} satisfies Record<string, Text>;

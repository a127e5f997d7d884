import type { KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { privateKeyConfigKey } from '../../config/keys.ts';
import { parsePrivateKey } from '../../config/private-key.ts';
import type { ConfigProblem } from '../../config/types.ts';
import type { Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { rsaPkcs1v15Decrypt, RsaUnwrapError } from './rsa.ts';

/**
 * The archive's private keys, one per publickey_ver: WeCom encrypts each message under the key that
 * was current when it was sent, so every old key stays needed (archive-sdk.md §2.2).
 */

/** A finding that does not stop the archive (shown by `config show` and `doctor`). */
export interface KeyWarning extends ConfigProblem {
  severity: 'warning';
  code: string;
}

const TEXTS = {
  unreadable: {
    what: { zh: '无法读取会话存档私钥 {key}（{file}）：{reason}。', en: 'Cannot read the archive private key {key} ({file}): {reason}.' },
    fix: { zh: '确认文件存在、路径正确，且运行 wecom-archive 的用户可以读取。', en: 'Make sure the file exists, the path is right, and the user running wecom-archive can read it.' },
  },
  tooOpen: {
    what: { zh: '会话存档私钥 {key}（{file}）的权限为 {mode}，其他用户也能读取。', en: 'The archive private key {key} ({file}) has mode {mode}: other users can read it.' },
    fix: { zh: '执行 chmod 600 {file}', en: 'Run chmod 600 {file}' },
  },
  missing: {
    what: { zh: '没有 publickey_ver={version} 的会话存档私钥。', en: 'No archive private key for publickey_ver={version}.' },
    fix: { zh: '在配置中添加 ARCHIVE_PRIVATE_KEY_{version}=<该版本私钥文件路径>。', en: 'Add ARCHIVE_PRIVATE_KEY_{version}=<path of that version\'s private key> to the config.' },
  },
  wrongKey: {
    what: { zh: '无法用版本 {version} 的私钥解开消息密钥（encrypt_random_key）。', en: 'The version {version} private key does not open the message key (encrypt_random_key).' },
    fix: { zh: '确认 ARCHIVE_PRIVATE_KEY_{version} 是后台版本 {version} 公钥对应的私钥。', en: 'Make sure ARCHIVE_PRIVATE_KEY_{version} is the private key of the public key uploaded as version {version}.' },
  },
} satisfies Record<string, { what: Text; fix: Text }>;

/** "No key for publickey_ver={version}", for commands that report a missing key without throwing. */
export const MISSING_KEY_TEXT = TEXTS.missing;

/** Reads and checks the key file of one version; a too-open file is a warning, not an error. */
export async function loadPrivateKeyFile(version: number, file: string): Promise<{ key: KeyObject; warning?: KeyWarning }> {
  const source = { key: privateKeyConfigKey(version), file };
  let pem: string;
  let mode: number;
  try {
    mode = (await stat(file)).mode;
    pem = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError('archive_key_unreadable', { ...TEXTS.unreadable, vars: { ...source, reason } }, { cause: err });
  }
  const key = parsePrivateKey(pem, source);
  if ((mode & 0o077) === 0) return { key };
  const modeText = (mode & 0o777).toString(8).padStart(3, '0');
  const vars = { ...source, mode: modeText };
  const warning: KeyWarning = {
    severity: 'warning', code: 'archive_key_permissions', key: source.key, message: TEXTS.tooOpen.what, fix: TEXTS.tooOpen.fix, vars,
  };
  return { key, warning };
}

export class KeyRing {
  private readonly keys: Map<number, KeyObject>;

  private constructor(keys: Map<number, KeyObject>) {
    this.keys = keys;
  }

  static fromKeys(entries: Iterable<[number, KeyObject]>): KeyRing {
    return new KeyRing(new Map(entries));
  }

  /** From PEM texts (the SDK hosts receive their keys this way, over IPC, never through env or argv). */
  static fromPems(entries: Iterable<[number, string]>): KeyRing {
    const keys = new Map<number, KeyObject>();
    for (const [version, pem] of entries) {
      keys.set(version, parsePrivateKey(pem, { key: privateKeyConfigKey(version), file: '(ipc)' }));
    }
    return new KeyRing(keys);
  }

  /** Loads every configured key file (config `archivePrivateKeys`: version → path). */
  static async load(files: Record<number, string>): Promise<{ ring: KeyRing; warnings: KeyWarning[] }> {
    const keys = new Map<number, KeyObject>();
    const warnings: KeyWarning[] = [];
    for (const [version, file] of Object.entries(files)) {
      const loaded = await loadPrivateKeyFile(Number(version), file);
      keys.set(Number(version), loaded.key);
      if (loaded.warning) warnings.push(loaded.warning);
    }
    return { ring: new KeyRing(keys), warnings };
  }

  has(version: number): boolean {
    return this.keys.has(version);
  }

  versions(): number[] {
    return [...this.keys.keys()].sort((a, b) => a - b);
  }

  /**
   * Base64 `encrypt_random_key` → the key string DecryptData takes. Returned as latin1 so every byte
   * survives unchanged (in practice it is 88 ASCII characters).
   */
  unwrap(version: number, encryptRandomKey: string): string {
    return this.unwrapBytes(version, encryptRandomKey).toString('latin1');
  }

  unwrapBytes(version: number, encryptRandomKey: string): Buffer {
    const key = this.keys.get(version);
    if (!key) throw new UserError('archive_key_missing', { ...TEXTS.missing, vars: { version } });
    try {
      return rsaPkcs1v15Decrypt(key, Buffer.from(encryptRandomKey, 'base64'));
    } catch (err) {
      if (!(err instanceof RsaUnwrapError)) throw err;
      throw new UserError('archive_key_wrong_key', { ...TEXTS.wrongKey, vars: { version } });
    }
  }

  /** PKCS#8 PEMs for the SDK host processes. Never log or persist the result. */
  exportPems(): Array<[number, string]> {
    return [...this.keys].map(([version, key]) => [version, key.export({ format: 'pem', type: 'pkcs8' }).toString()]);
  }
}

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { ConfigProblem } from '../../config/types.ts';
import type { Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { rsaPkcs1v15Decrypt, RsaUnwrapError } from './rsa.ts';

/**
 * The archive's private keys, one per publickey_ver: WeCom encrypts each message under the key that
 * was current when it was sent, so every old key stays needed (archive-sdk.md §2.2).
 */

const REQUIRED_BITS = 2048;

/** The config key naming the key file of a version. */
export function privateKeyConfigKey(version: number): string {
  return `ARCHIVE_PRIVATE_KEY_${version}`;
}

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
  unparseable: {
    what: { zh: '会话存档私钥 {key}（{file}）不是可识别的 PEM 私钥。', en: 'The archive private key {key} ({file}) is not a PEM private key.' },
    fix: { zh: '文件应以 -----BEGIN RSA PRIVATE KEY----- 或 -----BEGIN PRIVATE KEY----- 开头（PKCS#1 或 PKCS#8）。可用 `wecom-archive archive keygen` 生成新密钥。', en: 'The file should start with -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY----- (PKCS#1 or PKCS#8). `wecom-archive archive keygen` makes a new one.' },
  },
  encrypted: {
    what: { zh: '会话存档私钥 {key}（{file}）设置了口令，无法直接使用。', en: 'The archive private key {key} ({file}) is protected by a passphrase.' },
    fix: { zh: '去掉口令后保存为新文件（权限 600）：openssl rsa -in 原文件 -out 新文件', en: 'Save it without the passphrase (mode 600): openssl rsa -in old-file -out new-file' },
  },
  publicOnly: {
    what: { zh: '{key}（{file}）是公钥，不是私钥。', en: '{key} ({file}) is a public key, not a private key.' },
    fix: { zh: '这里需要与后台上传的公钥配对的私钥文件；公钥只用于粘贴到管理后台。', en: 'This needs the private key that pairs with the public key uploaded in the admin console; the public key only goes into the console.' },
  },
  notRsa2048: {
    what: { zh: '会话存档私钥 {key}（{file}）是 {kind}，而企业微信要求 RSA-2048。', en: 'The archive private key {key} ({file}) is {kind}; WeCom requires RSA-2048.' },
    fix: { zh: '用 `wecom-archive archive keygen` 生成 RSA-2048 密钥，并在管理后台更新公钥。', en: 'Generate an RSA-2048 key with `wecom-archive archive keygen` and upload its public key in the admin console.' },
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

/** Parses one PEM private key and checks it is RSA-2048; `source` names it in errors. */
export function parsePrivateKey(pem: string, source: { key: string; file: string }): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MISSING_PASSPHRASE' || /ENCRYPTED/.test(pem)) {
      throw new UserError('archive_key_encrypted', { ...TEXTS.encrypted, vars: source });
    }
    if (isPublicKey(pem)) throw new UserError('archive_key_public_only', { ...TEXTS.publicOnly, vars: source });
    throw new UserError('archive_key_unparseable', { ...TEXTS.unparseable, vars: source });
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || bits !== REQUIRED_BITS) {
    const kind = key.asymmetricKeyType === 'rsa' ? `RSA-${bits}` : String(key.asymmetricKeyType).toUpperCase();
    throw new UserError('archive_key_not_rsa_2048', { ...TEXTS.notRsa2048, vars: { ...source, kind } });
  }
  return key;
}

function isPublicKey(pem: string): boolean {
  try {
    createPublicKey(pem);
    return true;
  } catch {
    return false;
  }
}

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

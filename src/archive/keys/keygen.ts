import { generateKeyPair } from 'node:crypto';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { privateKeyConfigKey } from '../../config/keys.ts';
import { UserError } from '../../util/errors.ts';

/**
 * A new archive key pair for `archive keygen`. The private key is stored under the data dir as
 * keys/archive-<corp>-v<N>.pem (keys/archive-v<N>.pem before the corp is configured), mode 600,
 * never overwritten: corps sharing one DATA_DIR each have their own versions. N guesses the version
 * the admin console will give the uploaded public key: one more than any of the corp's versions
 * configured or stored here.
 */

function keyFileName(version: number | string, corpId?: string): string {
  return corpId ? `archive-${corpId}-v${version}.pem` : `archive-v${version}.pem`;
}

export function keysDir(dataDir: string): string {
  return join(resolve(dataDir), 'keys');
}

export function keyFilePath(dataDir: string, version: number, corpId?: string): string {
  return join(keysDir(dataDir), keyFileName(version, corpId));
}

/** Versions of the corp's key files already in DATA_DIR/keys. */
export async function storedKeyVersions(dataDir: string, corpId?: string): Promise<number[]> {
  const [before, after] = keyFileName('\u0000', corpId).split('\u0000') as [string, string];
  try {
    const names = await readdir(keysDir(dataDir));
    return names.flatMap((name) => {
      const match = name.startsWith(before) && name.endsWith(after) ? /^(\d+)$/.exec(name.slice(before.length, -after.length)) : null;
      return match ? [Number(match[1])] : [];
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export function nextKeyVersion(known: number[]): number {
  return known.reduce((max, version) => Math.max(max, version), 0) + 1;
}

export interface GeneratedKey {
  version: number;
  privateKeyPath: string;
  /** SPKI PEM: what the admin console takes. */
  publicKeyPem: string;
  /** The config line to add. */
  configLine: string;
}

export async function generateArchiveKey(options: {
  dataDir: string;
  /** The corp the key is for (its file names it); unset before CORP_ID is configured. */
  corpId?: string;
  /** Versions in the config (ARCHIVE_PRIVATE_KEY_<N>). */
  configuredVersions: number[];
  /** Force a version instead of the next one. */
  version?: number;
}): Promise<GeneratedKey> {
  const stored = await storedKeyVersions(options.dataDir, options.corpId);
  const version = options.version ?? nextKeyVersion([...options.configuredVersions, ...stored]);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new UserError('archive_keygen_bad_version', {
      what: { zh: '版本号必须是正整数：{version}', en: 'The version must be a positive integer: {version}' },
      vars: { version: String(version) },
    });
  }
  const privateKeyPath = keyFilePath(options.dataDir, version, options.corpId);
  if (options.configuredVersions.includes(version) || stored.includes(version)) {
    throw new UserError('archive_keygen_version_taken', {
      what: { zh: '版本 {version} 已有私钥（{key} 或 {path}），不会覆盖。', en: 'Version {version} already has a private key ({key} or {path}); it is not overwritten.' },
      why: { zh: '旧消息仍需用该版本的私钥解密，覆盖后将无法解密。', en: 'Older messages still need that version\'s key; overwriting it would make them undecryptable.' },
      fix: { zh: '不指定 --ver，使用下一个版本号。', en: 'Leave out --ver to use the next version.' },
      vars: { version, key: privateKeyConfigKey(version), path: privateKeyPath },
    });
  }

  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    // PKCS#1, what `openssl genrsa` writes and WeCom's guides show; PKCS#8 loads just as well.
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await mkdir(keysDir(options.dataDir), { recursive: true, mode: 0o700 });
  // 'wx': never replace a file that appeared meanwhile; mode 600 from the first byte written.
  await writeFile(privateKeyPath, privateKey, { mode: 0o600, flag: 'wx' });
  await chmod(privateKeyPath, 0o600); // the umask can only narrow, but be explicit
  return { version, privateKeyPath, publicKeyPem: publicKey, configLine: `${privateKeyConfigKey(version)}=${privateKeyPath}` };
}

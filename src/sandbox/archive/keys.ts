import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The company's archive key pairs, one per publickey_ver (archive-sdk.md §2.2: every upload in the
 * admin console is a new version, and old messages keep the version they were encrypted under).
 * RSA-2048 generation takes a noticeable fraction of a second, so pairs are cached per seed in the
 * system temp directory (owner-only) and otherwise held in memory only.
 */

export interface ArchiveKeyPair {
  version: number;
  /** v1 is PKCS#1 ("BEGIN RSA PRIVATE KEY", as openssl genrsa writes), later versions PKCS#8: users have both. */
  privateKeyPem: string;
  publicKey: KeyObject;
}

const generate = promisify(generateKeyPair);

function formatFor(position: number): 'pkcs1' | 'pkcs8' {
  return position === 0 ? 'pkcs1' : 'pkcs8';
}

async function newPem(format: 'pkcs1' | 'pkcs8'): Promise<string> {
  const { privateKey } = await generate('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: format, format: 'pem' }).toString();
}

async function cachedPem(path: string, format: 'pkcs1' | 'pkcs8'): Promise<string> {
  try {
    const pem = await readFile(path, 'utf8');
    createPrivateKey(pem);
    return pem;
  } catch {
    const pem = await newPem(format);
    // Write-then-rename: parallel test workers may create the same seed's key at once.
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(temporary, pem, { mode: 0o600 });
    await rename(temporary, path);
    return pem;
  }
}

/**
 * Key pairs for the given versions. `cacheDir: false` generates fresh keys every time; a directory
 * (default: `<tmpdir>/wecom-archive-sandbox-keys`) keeps one pair per (seed, version).
 */
export async function loadKeyPairs(seed: number, versions: readonly number[], cacheDir?: string | false): Promise<ArchiveKeyPair[]> {
  const dir = cacheDir === undefined ? join(tmpdir(), 'wecom-archive-sandbox-keys') : cacheDir;
  if (dir) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700).catch(() => undefined);
  }
  return Promise.all(
    versions.map(async (version, position) => {
      const format = formatFor(position);
      const pem = dir ? await cachedPem(join(dir, `seed-${seed}-v${version}-${format}.pem`), format) : await newPem(format);
      return { version, privateKeyPem: pem, publicKey: createPublicKey(pem) };
    }),
  );
}

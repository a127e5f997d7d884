import { constants, generateKeyPairSync, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../util/errors.ts';
import { generateArchiveKey, nextKeyVersion, storedKeyVersions } from './keygen.ts';
import { KeyRing, loadPrivateKeyFile } from './keyring.ts';

const dir = mkdtempSync(join(tmpdir(), 'keyring-'));
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode });
  return path;
}

const wrap = (publicKey: KeyObject, text: string) =>
  publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(text, 'latin1')).toString('base64');

async function loadError(path: string): Promise<UserError> {
  const err = await loadPrivateKeyFile(3, path).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  const userError = err as UserError;
  // Names the file and the config key, and never shows key material.
  const text = JSON.stringify([userError.describe('zh'), userError.describe('en'), userError.message]);
  expect(text).toContain(path);
  expect(text).toContain('ARCHIVE_PRIVATE_KEY_3');
  expect(text).not.toMatch(/MII[A-Za-z0-9+/]{16}|-----END/);
  return userError;
}

describe('loading key files', () => {
  it('loads PKCS#1 and PKCS#8 PEMs and unwraps with either', async () => {
    const pkcs1 = file('pkcs1.pem', rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
    const pkcs8 = file('pkcs8.pem', rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const { ring, warnings } = await KeyRing.load({ 1: pkcs1, 2: pkcs8 });
    expect(warnings).toEqual([]);
    expect(ring.versions()).toEqual([1, 2]);
    const secret = randomBytes(66).toString('base64');
    expect(ring.unwrap(1, wrap(rsa.publicKey, secret))).toBe(secret);
    expect(ring.unwrap(2, wrap(rsa.publicKey, secret))).toBe(secret);
  });

  it('warns when other users can read the file', async () => {
    const path = file('open.pem', rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(), 0o644);
    const { warning } = await loadPrivateKeyFile(3, path);
    expect(warning).toMatchObject({ severity: 'warning', code: 'archive_key_permissions', key: 'ARCHIVE_PRIVATE_KEY_3', vars: { mode: '644', file: path } });
  });

  it('explains unreadable, unparseable, public-only, encrypted and non-RSA-2048 files', async () => {
    expect((await loadError(join(dir, 'missing.pem'))).code).toBe('archive_key_unreadable');
    expect((await loadError(file('garbage.pem', 'hello'))).code).toBe('archive_key_unparseable');
    const pub = file('public.pem', rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    expect((await loadError(pub)).code).toBe('archive_key_public_only');
    const encrypted = rsa.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    expect((await loadError(file('encrypted.pem', encrypted))).code).toBe('archive_key_encrypted');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    const smallError = await loadError(file('small.pem', small));
    expect(smallError.code).toBe('archive_key_not_rsa_2048');
    expect(smallError.vars.kind).toBe('RSA-1024');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect((await loadError(file('ec.pem', ec))).vars.kind).toBe('EC');
  });
});

describe('KeyRing', () => {
  const ring = KeyRing.fromKeys([[4, rsa.privateKey]]);

  it('has() and a clear error for a missing version', () => {
    expect(ring.has(4)).toBe(true);
    expect(ring.has(5)).toBe(false);
    expect(() => ring.unwrap(5, 'AAAA')).toThrow(expect.objectContaining({ code: 'archive_key_missing' }));
  });

  it('a ciphertext for another key is a wrong-key error, not garbage', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => ring.unwrap(4, wrap(other.publicKey, 'x'.repeat(88)))).toThrow(expect.objectContaining({ code: 'archive_key_wrong_key' }));
  });

  it('round-trips through exportPems for the SDK hosts', () => {
    const copy = KeyRing.fromPems(ring.exportPems());
    expect(copy.unwrap(4, wrap(rsa.publicKey, 'k'.repeat(88)))).toBe('k'.repeat(88));
  });
});

describe('generateArchiveKey', () => {
  it('stores the next version with mode 600, and a working pair', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keygen-'));
    const first = await generateArchiveKey({ dataDir, configuredVersions: [2, 7] });
    expect(first.version).toBe(8);
    expect(statSync(first.privateKeyPath).mode & 0o777).toBe(0o600);
    expect(first.configLine).toBe(`ARCHIVE_PRIVATE_KEY_8=${first.privateKeyPath}`);
    expect(await storedKeyVersions(dataDir)).toEqual([8]);
    const second = await generateArchiveKey({ dataDir, configuredVersions: [2] });
    expect(second.version).toBe(9);

    const { ring } = await KeyRing.load({ 8: first.privateKeyPath });
    const publicKey = (await import('node:crypto')).createPublicKey(first.publicKeyPem);
    expect(ring.unwrap(8, wrap(publicKey, 'z'.repeat(88)))).toBe('z'.repeat(88));
    await expect(generateArchiveKey({ dataDir, configuredVersions: [], version: 8 })).rejects.toMatchObject({ code: 'archive_keygen_version_taken' });
  });

  it('nextKeyVersion starts at 1', () => {
    expect(nextKeyVersion([])).toBe(1);
    expect(nextKeyVersion([3, 1])).toBe(4);
  });
});

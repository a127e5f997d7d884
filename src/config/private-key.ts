import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Text } from '../i18n/index.ts';
import { UserError } from '../util/errors.ts';

/**
 * What an ARCHIVE_PRIVATE_KEY_<ver> file must be: a PEM private key, without a passphrase, RSA-2048
 * (archive-sdk.md §2.2). Here in src/config because the config's validation checks the files as
 * they are configured; the archive's key ring loads its keys through the same function, so both
 * say the same thing about the same file.
 */

const REQUIRED_BITS = 2048;

const TEXTS = {
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
} satisfies Record<string, { what: Text; fix: Text }>;

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

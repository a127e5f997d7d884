import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/archive/keys/keyring.ts';

const BIN = new URL('../../bin/wecom-archive', import.meta.url).pathname;
const run = (args: string[], cwd: string) =>
  promisify(execFile)(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd } });

describe('wecom-archive archive keygen', () => {
  it('stores the next version (after the configured ones) with mode 600 and prints what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygen-cli-'));
    // Version 5 is configured (its file need not exist for keygen to work).
    writeFileSync(join(dir, 'wecom.env'), `DATA_DIR=./data\nARCHIVE_PRIVATE_KEY_5=${join(dir, 'old.pem')}\n`);
    const { stdout } = await run(['archive', 'keygen', '--config', join(dir, 'wecom.env')], dir);
    const path = join(dir, 'data', 'keys', 'archive-v6.pem');
    expect(stdout).toContain(`ARCHIVE_PRIVATE_KEY_6=${path}`);
    expect(stdout).toContain('管理工具 → 会话内容存档 → 消息加密公钥 → 设置/更新 公钥');
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // The printed public key is the pair of the stored private key.
    const pem = /-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\n$/.exec(stdout)![0];
    const { ring } = await KeyRing.load({ 6: path });
    const { constants, publicEncrypt } = await import('node:crypto');
    const wrapped = publicEncrypt({ key: createPublicKey(pem), padding: constants.RSA_PKCS1_PADDING }, Buffer.from('k'.repeat(88)));
    expect(ring.unwrap(6, wrapped.toString('base64'))).toBe('k'.repeat(88));
  });

  it('answers in English and as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keygen-cli-'));
    const en = await run(['archive', 'keygen', '--data-dir', 'd', '--lang', 'en'], dir);
    expect(en.stdout).toContain('Management Tools');
    expect(en.stdout).toContain(`ARCHIVE_PRIVATE_KEY_1=${join(dir, 'd', 'keys', 'archive-v1.pem')}`);
    const json = JSON.parse((await run(['archive', 'keygen', '--data-dir', 'd', '--json'], dir)).stdout);
    expect(json).toMatchObject({ version: 2, privateKeyPath: join(dir, 'd', 'keys', 'archive-v2.pem') });
    expect(json.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
});

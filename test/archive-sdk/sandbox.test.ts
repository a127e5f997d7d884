import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyRing } from '../../src/archive/keys/keyring.ts';
import { SdkPool } from '../../src/archive/sdk/pool.ts';
import type { ChatDataEnvelope } from '../../src/archive/sdk/protocol.ts';
import { ensureStandinSdk, standinSdkPath } from '../../src/archive/sdk/standin-path.ts';
import { loadConfig } from '../../src/config/load.ts';
import { archiveExtension } from '../../src/sandbox/archive/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';

// The whole product path against the real sandbox archive: its --config-out, our key ring, the SDK
// hosts, the stand-in library, the sandbox's sealing (RSA under rotating key versions, the cipher).

const MEDIA_TYPES = ['image', 'voice', 'video', 'file', 'emotion'];
const factory = archiveExtension({ messages: 600 });
let sandbox: Sandbox;
let pool: SdkPool;
const envelopes: ChatDataEnvelope[] = [];
/** Decrypted messages, parsed (raw control characters blanked, as archive-sdk.md §4.4 warns). */
const messages: Array<Record<string, any>> = [];
const parse = (json: string) => JSON.parse(json.replace(/[\u0000-\u001f]/g, ' ')) as Record<string, any>;

beforeAll(async () => {
  ensureStandinSdk();
  sandbox = await startSandbox({ extensions: [factory] });
  const configFile = join(mkdtempSync(join(tmpdir(), 'sandbox-archive-')), 'wecom.env');
  await sandbox.writeConfig(configFile);
  const config = await loadConfig({ configFile, env: {} });
  expect(config.financeSdkPath).toBe(standinSdkPath());
  const { ring } = await KeyRing.load(config.archivePrivateKeys);
  pool = await SdkPool.start({
    libraryPath: config.financeSdkPath!, corpId: config.corpId!, secret: config.secrets.archive!,
    apiBase: config.apiBase, keys: ring, hosts: 2,
  });
});

afterAll(async () => {
  await pool?.close();
  await sandbox?.close();
});

describe('against the sandbox archive', () => {
  it('pulls the whole window in pages and decrypts every message', async () => {
    for (let seq = 0n; ;) {
      const page = await pool.pull(seq, 250);
      if (page.length === 0) break;
      envelopes.push(...page);
      seq = page.at(-1)!.seq;
    }
    expect(envelopes.length).toBe(sandbox.summary().messages);
    expect(new Set(envelopes.map((e) => e.publickeyVer)).size).toBeGreaterThan(1);
    const results = await pool.decryptEnvelopes(envelopes);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    for (const [i, r] of results.entries()) {
      if (r.ok) messages.push(parse(r.json));
      expect(messages[i]?.msgid).toBe(envelopes[i].msgid);
    }
  });

  it('downloads media byte-exact (md5 and size as declared)', async () => {
    const media = messages
      .filter((m) => MEDIA_TYPES.includes(m.msgtype) && m[m.msgtype]?.sdkfileid)
      .map((m) => m[m.msgtype] as { sdkfileid: string; md5sum: string; filesize?: number | string })
      .sort((a, b) => Number(b.filesize ?? 0) - Number(a.filesize ?? 0))
      .slice(0, 3);
    expect(media.length).toBeGreaterThan(0);
    for (const file of media) {
      const parts: Buffer[] = [];
      for await (const part of pool.media(file.sdkfileid)) parts.push(part);
      const data = Buffer.concat(parts);
      if (file.filesize !== undefined) expect(data.length).toBe(Number(file.filesize));
      expect(createHash('md5').update(data).digest('hex')).toBe(file.md5sum);
    }
  });

  it('quarantines a message the sandbox makes crash the SDK', async () => {
    const target = envelopes[3];
    factory.faults.onMessage({ msgid: target.msgid }, { kind: 'crash' });
    try {
      const again = await pool.pull(envelopes[1].seq, 5);
      const results = await pool.decryptEnvelopes(again);
      expect(results.find((r) => r.msgid === target.msgid)).toMatchObject({ ok: false, kind: 'quarantined', attempts: 3 });
      expect(results.filter((r) => r.ok).length).toBe(again.length - 1);
    } finally {
      factory.faults.onMessage({ msgid: target.msgid }, 'off');
    }
  });
});

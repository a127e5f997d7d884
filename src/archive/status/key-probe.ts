import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { privateKeyConfigKey } from '../../config/keys.ts';
import type { CheckResult } from '../../doctor/report.ts';
import { failure, result, skipped, type CheckHead } from '../../doctor/probe.ts';
import type { Text } from '../../i18n/index.ts';
import type { Database } from '../../store/database.ts';
import { loadPrivateKeyFile } from '../keys/keyring.ts';
import type { SdkPool } from '../sdk/pool.ts';
import type { ChatDataEnvelope, DecryptResult } from '../sdk/protocol.ts';

/**
 * Doctor's key checks: each configured ARCHIVE_PRIVATE_KEY_<ver> must load AND open real messages of
 * its version (one stored envelope, or one freshly pulled), through the SDK hosts exactly as a pull
 * does. A key file that parses but belongs to another key pair is the mistake people make (they
 * upload a new public key and keep the old private key), and only a real envelope catches it.
 */

const TEXT = {
  title: { zh: '会话存档：私钥 {key}', en: 'Chat archive: private key {key}' },
  ok: { zh: '能解开版本 {version} 的消息（msgid {msgid}）', en: 'Opens messages of version {version} (msgid {msgid})' },
  untested: { zh: '私钥文件有效；尚无版本 {version} 的消息可供验证', en: 'Key file valid; no message of version {version} yet to test it on' },
  noSdk: { zh: '私钥文件有效；SDK 不可用，未能用消息验证', en: 'Key file valid; not tested on a message because the SDK is unavailable' },
  unwrap: { zh: '无法解开版本 {version} 的消息密钥（msgid {msgid}）：这不是该版本公钥对应的私钥', en: 'Cannot open the message key of version {version} (msgid {msgid}): this is not the private key of that public key' },
  unwrapFix: { zh: '把 {key} 指向管理后台版本 {version} 公钥对应的私钥；旧版本私钥请保留在各自的配置项中。', en: 'Point {key} at the private key of the public key uploaded as version {version}; keep older keys under their own keys.' },
  sdkCode: { zh: 'DecryptData 对版本 {version} 的消息返回 {code}（msgid {msgid}）', en: 'DecryptData returned {code} for a message of version {version} (msgid {msgid})' },
  sdkCodeFix: { zh: '10006/10008 多为私钥与版本不符：确认 {key} 是版本 {version} 的私钥。', en: '10006/10008 usually mean the key does not match the version: check that {key} is the version {version} key.' },
  crashed: { zh: '解密版本 {version} 的消息时 SDK 进程崩溃或卡死（{cause}）', en: 'The SDK process crashed or hung decrypting a message of version {version} ({cause})' },
  crashedFix: { zh: '设置 WECOM_ARCHIVE_DEBUG=1 查看 SDK 输出；确认 SDK 版本与系统匹配。', en: 'Set WECOM_ARCHIVE_DEBUG=1 to see the SDK output; check the SDK build matches this system.' },
  missingTitle: { zh: '会话存档：版本 {version} 的私钥', en: 'Chat archive: private key of version {version}' },
  missing: { zh: '有 publickey_ver={version} 的消息，但未配置该版本私钥：这些消息只能加密保存', en: 'There are messages of publickey_ver={version} but no key for it: they can only be stored encrypted' },
  missingFix: { zh: '添加 ARCHIVE_PRIVATE_KEY_{version}=<该版本私钥路径>，然后运行 `wecom-archive archive retry`。', en: "Add ARCHIVE_PRIVATE_KEY_{version}=<that version's private key>, then run `wecom-archive archive retry`." },
} satisfies Record<string, Text>;

export interface LoadedKeys {
  good: Array<[number, KeyObject]>;
  /** One check per key file that does not load. */
  failures: CheckResult[];
}

function head(version: number): CheckHead {
  return { id: `archive.key.${version}`, credential: 'archive', title: TEXT.title };
}

/** Loads every configured key file on its own, so one bad file does not hide the others. */
export async function loadKeysForDoctor(files: Record<number, string>): Promise<LoadedKeys> {
  const loaded: LoadedKeys = { good: [], failures: [] };
  for (const [text, file] of Object.entries(files)) {
    const version = Number(text);
    try {
      loaded.good.push([version, (await loadPrivateKeyFile(version, file)).key]);
    } catch (err) {
      const check = failure(head(version), err);
      loaded.failures.push({ ...check, vars: { ...check.vars, key: privateKeyConfigKey(version) } });
    }
  }
  return loaded;
}

/** One stored envelope per key version (decrypted ones first: they are known to be well formed). */
export async function storedSamples(db: Kysely<Database> | undefined, corpId: string): Promise<ChatDataEnvelope[]> {
  if (!db) return [];
  try {
    const versions = await db.selectFrom('messages').select('publickey_ver').distinct().where('corp_id', '=', corpId).execute();
    const samples: ChatDataEnvelope[] = [];
    for (const { publickey_ver: version } of versions) {
      if (version === null) continue;
      const row = await db.selectFrom('messages').select(['seq', 'msgid', 'encrypt_random_key', 'encrypt_chat_msg'])
        .where('corp_id', '=', corpId).where('publickey_ver', '=', version)
        .orderBy((eb) => eb.case().when('status', '=', 'decrypted').then(0).else(1).end()).orderBy('seq', 'desc')
        .limit(1).executeTakeFirst();
      if (row) samples.push({ seq: row.seq, msgid: row.msgid, publickeyVer: version, encryptRandomKey: row.encrypt_random_key, encryptChatMsg: row.encrypt_chat_msg });
    }
    return samples;
  } catch {
    return []; // a store not migrated yet holds no messages
  }
}

function outcome(version: number, sample: ChatDataEnvelope, r: DecryptResult): CheckResult {
  const vars = { version, msgid: sample.msgid, key: privateKeyConfigKey(version) };
  if (r.ok) return result(head(version), { message: TEXT.ok, vars });
  if (r.kind === 'quarantined') return result(head(version), { status: 'warn', message: TEXT.crashed, fix: TEXT.crashedFix, vars: { ...vars, cause: r.cause } });
  if (r.reason === 'sdk') return result(head(version), { status: 'fail', message: TEXT.sdkCode, fix: TEXT.sdkCodeFix, vars: { ...vars, code: r.code } }, r.code);
  return result(head(version), { status: 'fail', message: TEXT.unwrap, fix: TEXT.unwrapFix, vars });
}

/**
 * A check per configured version (decrypting its sample through the pool, which holds the good
 * keys), and a warning per version that has messages but no key.
 */
export async function keyChecks(loaded: LoadedKeys, samples: readonly ChatDataEnvelope[], pool: SdkPool | undefined): Promise<CheckResult[]> {
  const checks = [...loaded.failures];
  const byVersion = new Map(samples.map((s) => [s.publickeyVer, s]));
  const tested = loaded.good.flatMap(([version]) => (byVersion.has(version) ? [byVersion.get(version)!] : []));
  const results = pool && tested.length > 0 ? await pool.decryptEnvelopes(tested) : [];
  for (const [version] of loaded.good) {
    const vars = { version, key: privateKeyConfigKey(version) };
    const index = tested.findIndex((s) => s.publickeyVer === version);
    if (!pool) checks.push(skipped(head(version), TEXT.noSdk, vars));
    else if (index < 0) checks.push(skipped(head(version), TEXT.untested, vars));
    else checks.push(outcome(version, tested[index]!, results[index]!));
  }
  const configured = new Set([...loaded.good.map(([v]) => v), ...loaded.failures.map((c) => Number(c.id.split('.').pop()))]);
  for (const version of [...byVersion.keys()].filter((v) => !configured.has(v)).sort((a, b) => a - b)) {
    checks.push(result({ id: `archive.key.${version}`, credential: 'archive', title: TEXT.missingTitle },
      { status: 'warn', message: TEXT.missing, fix: TEXT.missingFix, vars: { version } }));
  }
  return checks;
}

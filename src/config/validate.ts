import { readFileSync, statSync } from 'node:fs';
import type { Text } from '../i18n/index.ts';
import { isUserError } from '../util/errors.ts';
import { keySpec, PRIVATE_KEY_PATTERN, type ConfigKey } from './keys.ts';
import { parsePrivateKey } from './private-key.ts';
import type { ConfigProblem } from './types.ts';

/**
 * Checks each raw value for the mistakes users actually make: a secret pasted with a stray quote or
 * space, the agent id in the wrong field, a key path that is not a private key. Returns problems
 * instead of throwing so `doctor` can show all of them at once.
 */
type Check = (value: string) => { message: Text; fix?: Text; vars?: Record<string, string | number> } | undefined;

const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const checkCorpId: Check = (value) =>
  /^w[wx][0-9a-zA-Z]{16}$/.test(value) ? undefined : {
    message: { zh: 'CORP_ID「{value}」不像企业 ID', en: 'CORP_ID "{value}" does not look like a corp id' },
    fix: {
      zh: '企业 ID 为 ww 开头的 18 个字符，在管理后台「我的企业 → 企业信息」底部复制',
      en: 'A corp id is 18 characters starting with ww; copy it from My Company → Company Info in the admin console',
    },
    vars: { value },
  };

const checkSecret: Check = (value) =>
  SECRET_SHAPE.test(value) ? undefined : {
    message: {
      zh: 'Secret 应为 43 个字母、数字、- 或 _，实际为 {length} 个字符{hint}',
      en: 'A secret is 43 letters, digits, - or _; this one has {length} characters{hint}',
    },
    fix: {
      zh: '在管理后台重新查看并完整复制 Secret（不要带空格或引号）',
      en: 'View the secret again in the admin console and copy it whole (no spaces or quotes)',
    },
    vars: { length: value.length, hint: /[\s"']/.test(value) ? ' (contains a space or quote)' : '' },
  };

const checkInteger: Check = (value) =>
  /^\d{1,10}$/.test(value) ? undefined : {
    message: { zh: 'APP_AGENT_ID「{value}」不是整数', en: 'APP_AGENT_ID "{value}" is not an integer' },
    fix: { zh: '在应用详情页复制 AgentId，例如 1000002', en: 'Copy the AgentId from the app page, e.g. 1000002' },
    vars: { value },
  };

const checkUrl = (protocols: string[]): Check => (value) => {
  let ok = false;
  try {
    ok = protocols.includes(new URL(value).protocol);
  } catch { /* reported below */ }
  return ok ? undefined : {
    message: { zh: '「{value}」不是有效的 {protocols} 地址', en: '"{value}" is not a valid {protocols} URL' },
    vars: { value, protocols: protocols.map((p) => p.replace(':', '')).join('/') },
  };
};

const checkDatabaseUrl: Check = (value) =>
  /^postgres(ql)?:\/\//.test(value) ? undefined : {
    message: { zh: 'DATABASE_URL 只支持 postgres://…', en: 'DATABASE_URL supports postgres://… only' },
    fix: { zh: '删除 DATABASE_URL 以使用内置 SQLite（DATA_DIR 下）', en: 'Remove DATABASE_URL to use the embedded SQLite under DATA_DIR' },
  };

const checkLang: Check = (value) =>
  value === 'zh' || value === 'en' ? undefined : {
    message: { zh: 'WECOM_ARCHIVE_LANG 只能是 zh 或 en', en: 'WECOM_ARCHIVE_LANG must be zh or en' },
  };

const checkAesKey: Check = (value) =>
  /^[A-Za-z0-9+/]{43}$/.test(value) ? undefined : {
    message: { zh: 'EncodingAESKey 应为 43 个字符，实际为 {length}', en: 'An EncodingAESKey has 43 characters; this one has {length}' },
    vars: { length: value.length },
  };

/** Readable, PEM, private, RSA-2048: the key ring's own parser, so both say the same thing. */
const checkPrivateKeyFile = (key: string): Check => (file) => {
  try {
    parsePrivateKey(readFileSync(file, 'utf8'), { key, file });
    return undefined;
  } catch (err) {
    if (isUserError(err)) return { message: err.what, fix: err.fix, vars: err.vars };
    return {
      message: { zh: '无法读取私钥文件 {file}：{reason}', en: 'Cannot read the private key file {file}: {reason}' },
      fix: { zh: '检查路径和文件权限，或用 `wecom-archive archive keygen` 生成新密钥', en: 'Check the path and permissions, or make a new key with `wecom-archive archive keygen`' },
      vars: { file, reason: (err as NodeJS.ErrnoException).code ?? 'error' },
    };
  }
};

const checkPositive: Check = (value) =>
  /^[1-9]\d{0,6}$/.test(value) ? undefined : {
    message: { zh: '「{value}」不是正整数', en: '"{value}" is not a positive integer' },
    vars: { value },
  };

const checkPort: Check = (value) =>
  /^\d{1,5}$/.test(value) && Number(value) <= 65535 ? undefined : {
    message: { zh: '端口「{value}」不是 0 到 65535 之间的整数', en: 'The port "{value}" is not a whole number from 0 to 65535' },
    vars: { value },
  };

const checkTrustProxy: Check = (value) =>
  /^(true|false|\d+)$/i.test(value) || value.split(',').every((part) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(part.trim())) ? undefined : {
    message: { zh: 'TRUST_PROXY「{value}」无效', en: 'TRUST_PROXY "{value}" is not valid' },
    fix: { zh: '写 true、false、代理跳数，或代理的 IP/网段（逗号分隔，也可用 loopback 等）', en: 'Use true, false, a hop count, or the proxies\' IPs/CIDRs (comma-separated; loopback and the like too)' },
    vars: { value },
  };

const CHECKS: Partial<Record<ConfigKey, Check>> = {
  SERVER_PORT: checkPort,
  PUBLIC_URL: checkUrl(['http:', 'https:']),
  TRUST_PROXY: checkTrustProxy,
  WECOM_RATE_LIMIT_PER_MINUTE: checkPositive,
  WECOM_RATE_LIMIT_PER_HOUR: checkPositive,
  WECOM_CONCURRENCY: checkPositive,
  CORP_ID: checkCorpId,
  APP_AGENT_ID: checkInteger,
  WECOM_API_BASE: checkUrl(['http:', 'https:']),
  WECOM_PROXY: checkUrl(['http:', 'https:']),
  DATABASE_URL: checkDatabaseUrl,
  REDIS_URL: checkUrl(['redis:', 'rediss:']),
  WECOM_ARCHIVE_LANG: checkLang,
};

function checkFor(key: string): Check | undefined {
  const spec = keySpec(key);
  if (!spec) return undefined;
  const own = CHECKS[key as ConfigKey];
  if (own) return own;
  if (spec.credential) return checkSecret;
  if (spec.callback?.part === 'aesKey') return checkAesKey;
  if (PRIVATE_KEY_PATTERN.test(key)) return checkPrivateKeyFile(key);
  return undefined;
}

export function validateValues(values: Partial<Record<string, string>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(values)) {
    const found = value === undefined ? undefined : checkFor(key)?.(value);
    if (found) problems.push({ severity: 'error', key, ...found });
  }
  return problems;
}

/** A config file holding secrets should be readable by its owner only. */
export function checkFileMode(file: string): ConfigProblem | undefined {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return {
    severity: 'warning',
    message: {
      zh: '配置文件 {file} 的权限为 {mode}，同组或其他用户可读，其中含有 Secret',
      en: 'The config file {file} has mode {mode}: readable by group or others, and it holds secrets',
    },
    fix: { zh: '运行 chmod 600 {file}', en: 'Run chmod 600 {file}' },
    vars: { file, mode: mode.toString(8).padStart(4, '0') },
  };
}

import { isLang, type Lang, type Text } from '../i18n/index.ts';
import { SECRET_KEY_OF, type CredentialKind } from '../wecom/credentials.ts';
import { DEFAULT_API_BASE } from '../wecom/endpoints.ts';

/**
 * Every configuration key, declared once with its properties. The loader (and the Config type, in
 * types.ts), `config show`, `init`, validation, the deployment check and the README table all
 * derive from this table.
 */

/** The callback kinds, each with its own Token and EncodingAESKey in the admin console. */
export const CALLBACK_KINDS = ['app', 'contacts', 'customer', 'archive'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

export interface KeySpec {
  key: string;
  /** Shown redacted everywhere (a short prefix only). */
  secret?: boolean;
  /** A URL that may carry user:password (redacted in place). */
  urlWithPassword?: boolean;
  /** The credential kind this secret yields tokens for (Config `secrets`). */
  credential?: CredentialKind;
  callback?: { kind: CallbackKind; part: 'token' | 'aesKey' };
  /** The Config field the key fills (types.ts builds Config's type from these). */
  field?: string;
  /** The Config `limits` entry the key fills. */
  limit?: string;
  /** How the text becomes the field's value; undefined = not usable (validation says why). Unset: the text. */
  read?: (value: string) => unknown;
  /** The value is a path: relative in a file = relative to that file's folder. */
  path?: true;
  /** `init` asks for it (in table order). */
  asked?: true;
  default?: string;
  /**
   * 'deployment': one value for the whole deployment (the store, the language…); every corp's file
   * must agree on it. Unset: the key belongs to one corp.
   */
  scope?: 'deployment';
  doc: Text;
}

const integer = (value: string): number | undefined => (Number.isInteger(Number(value)) ? Number(value) : undefined);
const positive = (value: string): number | undefined => (Number.isInteger(Number(value)) && Number(value) > 0 ? Number(value) : undefined);
const lang = (value: string): Lang | undefined => (isLang(value) ? value : undefined);
const baseUrl = (value: string): string => value.replace(/\/+$/, '');
const port = (value: string): number | undefined => (Number.isInteger(Number(value)) && Number(value) >= 0 && Number(value) <= 65535 ? Number(value) : undefined);
const httpUrl = (value: string): string | undefined => (/^https?:\/\/[^\s/]+/.test(value) ? baseUrl(value) : undefined);
/** Fastify's trustProxy: a boolean, a hop count, or the proxies' addresses (comma-separated). */
const trustProxy = (value: string): boolean | number | string => {
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
};
/** Hours between runs of a scheduled job: 0 (off) or a divisor of 24, so runs fall on the same hours every day. */
export const SCHEDULE_HOURS = [0, 1, 2, 3, 4, 6, 8, 12, 24] as const;
const scheduleHours = (value: string): number | undefined => (SCHEDULE_HOURS as readonly number[]).includes(Number(value)) && /^\d+$/.test(value) ? Number(value) : undefined;
/** An increment of the OS scheduling priority (nice): 0 to 19. */
const niceness = (value: string): number | undefined => (/^\d{1,2}$/.test(value) && Number(value) <= 19 ? Number(value) : undefined);
const seconds = (value: string): number | undefined => (/^\d{1,5}$/.test(value) && Number(value) <= 86_400 ? Number(value) : undefined);

/** The placeholder documenting ARCHIVE_PRIVATE_KEY_1, _2 …: a row of the table, not a key itself. */
const PRIVATE_KEY_FAMILY = 'ARCHIVE_PRIVATE_KEY_<ver>';
export const PRIVATE_KEY_PATTERN = /^ARCHIVE_PRIVATE_KEY_(\d+)$/;

/** The keys with their own row, typed literally so that Config and ConfigKey derive from them. */
export const KEY_TABLE = [
  { key: 'CORP_ID', field: 'corpId', asked: true, doc: { zh: '企业 ID（我的企业 → 企业信息），以 ww 开头', en: 'Corp ID (My Company → Company Info), starts with ww' } },
  {
    key: SECRET_KEY_OF.app, secret: true, credential: 'app', asked: true,
    doc: { zh: '自建应用的 Secret（应用管理 → 自建应用）', en: 'Self-built app Secret (App Management → Self-built)' },
  },
  { key: 'APP_AGENT_ID', field: 'appAgentId', read: integer, asked: true, doc: { zh: '自建应用的 AgentId（整数）', en: 'Self-built app AgentId (an integer)' } },
  {
    key: SECRET_KEY_OF.customer, secret: true, credential: 'customer', asked: true,
    doc: { zh: '客户联系 Secret（客户联系 → 客户 → API）', en: 'Customer contact Secret (Customer Contact → Customers → API)' },
  },
  {
    key: SECRET_KEY_OF.contacts, secret: true, credential: 'contacts', asked: true,
    doc: { zh: '通讯录同步 Secret（管理工具 → 通讯录同步）', en: 'Contact sync Secret (Management Tools → Contact Sync)' },
  },
  {
    key: SECRET_KEY_OF.archive, secret: true, credential: 'archive', asked: true,
    doc: { zh: '会话内容存档 Secret（管理工具 → 会话内容存档）', en: 'Chat archive Secret (Management Tools → Chat Archive)' },
  },
  {
    key: PRIVATE_KEY_FAMILY, path: true,
    doc: {
      zh: '会话存档私钥 PEM 文件路径，<ver> 为公钥版本号（publickey_ver），可配置多个',
      en: 'Path of the archive private key PEM for publickey_ver <ver>; one per version',
    },
  },
  { key: 'FINANCE_SDK_PATH', field: 'financeSdkPath', path: true, doc: { zh: '腾讯会话存档 SDK（libWeWorkFinanceSdk_C.so）的路径', en: "Path of Tencent's archive SDK (libWeWorkFinanceSdk_C.so)" } },
  {
    key: 'WECOM_API_BASE', field: 'apiBase', read: baseUrl, default: DEFAULT_API_BASE,
    doc: { zh: '企业微信 API 地址（反向代理或沙箱）', en: 'WeCom API base URL (a reverse proxy or the sandbox)' },
  },
  {
    key: 'WECOM_PROXY', field: 'proxy', urlWithPassword: true, asked: true,
    doc: {
      zh: '调用企业微信 API 的正向代理（可含 user:password），未设置时使用 HTTPS_PROXY/NO_PROXY',
      en: 'Forward proxy for WeCom API calls (may contain user:password); HTTPS_PROXY/NO_PROXY apply when unset',
    },
  },
  {
    key: 'DATA_DIR', field: 'dataDir', path: true, scope: 'deployment', default: './data', asked: true,
    doc: { zh: '数据目录（SQLite 数据库、令牌缓存、媒体文件）', en: 'Data directory (SQLite database, token cache, media)' },
  },
  {
    key: 'DATABASE_URL', field: 'databaseUrl', scope: 'deployment', urlWithPassword: true, asked: true,
    doc: { zh: '数据库；未设置时使用 DATA_DIR 下的 SQLite，postgres://… 使用 PostgreSQL', en: 'Database; unset = SQLite under DATA_DIR, postgres://… = PostgreSQL' },
  },
  {
    key: 'BACKUP_MAX_AGE_DAYS', field: 'backupMaxAgeDays', read: positive, scope: 'deployment', default: '7',
    doc: {
      zh: '`doctor` 在最近一次 `wecom-archive backup` 早于这么多天（或从未备份）时警告（默认 7）',
      en: '`doctor` warns when the last `wecom-archive backup` is older than this many days, or there is none (default 7)',
    },
  },
  {
    key: 'REDIS_URL', field: 'redisUrl', scope: 'deployment', urlWithPassword: true,
    doc: { zh: '可选：多实例共享令牌缓存的 Redis', en: 'Optional: Redis for a token cache shared by several instances' },
  },
  {
    key: 'WECOM_RATE_LIMIT_PER_MINUTE', limit: 'perMinute', read: positive,
    doc: {
      zh: '每个接口每分钟最多调用次数（默认为企业微信上限 10000 的 90%）；多个实例共用一个企业时按实例数分摊',
      en: "Calls per minute per API (default 90% of WeCom's 10,000); split it between instances sharing a corp",
    },
  },
  {
    key: 'WECOM_RATE_LIMIT_PER_HOUR', limit: 'perHour', read: positive,
    doc: { zh: '每个接口每小时最多调用次数（默认为 150000 的 90%）', en: 'Calls per hour per API (default 90% of 150,000)' },
  },
  {
    key: 'WECOM_CONCURRENCY', limit: 'concurrency', read: positive,
    doc: { zh: '客户联系等数据接口同时在途的请求数上限（默认 3）', en: 'Requests in flight at once per customer-data API (default 3)' },
  },
  {
    key: 'SERVER_HOST', field: 'serverHost', scope: 'deployment', default: '127.0.0.1',
    doc: { zh: '`serve` 监听的地址（默认只在本机；对外服务时放在反向代理之后）', en: 'Address `serve` listens on (default: this machine only; put a reverse proxy in front)' },
  },
  {
    key: 'SERVER_PORT', field: 'serverPort', read: port, scope: 'deployment', default: '8080',
    doc: { zh: '`serve` 监听的端口', en: 'Port `serve` listens on' },
  },
  {
    key: 'PUBLIC_URL', field: 'publicUrl', read: httpUrl, scope: 'deployment',
    doc: {
      zh: '服务对外的地址（如 https://archive.example.com），用于给管理员看的回调 URL',
      en: 'The external base URL of the service (e.g. https://archive.example.com), used for the callback URLs shown to admins',
    },
  },
  {
    key: 'TRUST_PROXY', field: 'trustProxy', read: trustProxy, scope: 'deployment', default: 'false',
    doc: {
      zh: '信任反向代理的 X-Forwarded-* 头：true、false、跳数或代理的 IP/网段（逗号分隔）',
      en: 'Trust X-Forwarded-* headers from a reverse proxy: true, false, a hop count, or the proxies\' IPs/CIDRs (comma-separated)',
    },
  },
  {
    key: 'SYNC_INTERVAL_HOURS', field: 'syncIntervalHours', read: scheduleHours, scope: 'deployment', default: '6',
    doc: {
      zh: '后台任务（serve 或 worker）每隔几小时同步一次各企业（完整列出并标记已删除的记录）：0（关闭）或 24 的约数，默认 6',
      en: 'Hours between the background sync of each corp (serve or worker; a complete listing that marks what is gone as deleted): 0 (off) or a divisor of 24, default 6',
    },
  },
  {
    key: 'RECONCILE_INTERVAL_HOURS', field: 'reconcileIntervalHours', read: scheduleHours, scope: 'deployment', default: '24',
    doc: {
      zh: '对账：两次完整同步之间最长的小时数（回调可能丢失），SYNC_INTERVAL_HOURS 为 0 时仍按它同步；0 或 24 的约数，默认 24',
      en: 'Reconciliation: the most hours between two complete syncs (callbacks can be lost), kept when SYNC_INTERVAL_HOURS is 0; 0 or a divisor of 24, default 24',
    },
  },
  {
    key: 'ARCHIVE_POLL_SECONDS', field: 'archivePollSeconds', read: seconds, scope: 'deployment', default: '30',
    doc: {
      zh: '后台任务拉取各企业会话存档（及其媒体）的间隔秒数，0 为关闭，默认 30；msgaudit_notify 回调会立即触发一次拉取',
      en: "Seconds between the background pulls of each corp's chat archive (and its media), 0 = off, default 30; a msgaudit_notify callback triggers one at once",
    },
  },
  {
    key: 'WORKER_NICE', field: 'workerNice', read: niceness, scope: 'deployment', default: '10',
    doc: {
      zh: '`worker` 启动时把自己的 CPU 优先级调低多少（nice 增量，0–19，默认 10）：与 `serve` 同机时，企业微信等待的回调应答优先于后台任务',
      en: 'How far `worker` lowers its own CPU priority at start (a nice increment, 0–19, default 10): beside `serve` on one machine, the callback answers WeCom waits for come before background work',
    },
  },
  {
    key: 'WECOM_ARCHIVE_LANG', field: 'lang', read: lang, scope: 'deployment', default: 'zh',
    doc: { zh: '输出语言：zh 或 en（忽略系统 LANG）', en: 'Output language: zh or en (the system LANG is ignored)' },
  },
] as const satisfies readonly KeySpec[];

/** A configuration key's name: a row of the table, a versioned private key, or a callback key. */
export type ConfigKey =
  | Exclude<(typeof KEY_TABLE)[number]['key'], typeof PRIVATE_KEY_FAMILY>
  | `ARCHIVE_PRIVATE_KEY_${number}`
  | `${(typeof CALLBACK_PREFIX)[CallbackKind]}_CALLBACK_${'TOKEN' | 'AES_KEY'}`;

const CALLBACK_PREFIX = {
  app: 'APP', contacts: 'CONTACTS', customer: 'CUSTOMER', archive: 'ARCHIVE',
} as const satisfies Record<CallbackKind, string>;
const CALLBACK_LABEL: Record<CallbackKind, Text> = {
  app: { zh: '自建应用', en: 'self-built app' },
  contacts: { zh: '通讯录同步', en: 'contact sync' },
  customer: { zh: '客户联系', en: 'customer contact' },
  archive: { zh: '会话内容存档', en: 'chat archive' },
};

const callbackKeySpecs: KeySpec[] = CALLBACK_KINDS.flatMap((kind): KeySpec[] => [
  {
    key: `${CALLBACK_PREFIX[kind]}_CALLBACK_TOKEN`, secret: true, callback: { kind, part: 'token' },
    doc: { zh: `${CALLBACK_LABEL[kind].zh}回调的 Token`, en: `Token of the ${CALLBACK_LABEL[kind].en} callback` },
  },
  {
    key: `${CALLBACK_PREFIX[kind]}_CALLBACK_AES_KEY`, secret: true, callback: { kind, part: 'aesKey' },
    doc: {
      zh: `${CALLBACK_LABEL[kind].zh}回调的 EncodingAESKey（43 个字符）`,
      en: `EncodingAESKey of the ${CALLBACK_LABEL[kind].en} callback (43 characters)`,
    },
  },
]);


/** Every row, in the order `init`, `config show` and written files use. */
export const CONFIG_KEYS: readonly KeySpec[] = [...KEY_TABLE, ...callbackKeySpecs];

/** What `init` asks, in order; an empty answer skips the key (any subset of secrets is valid). */
export const ASKED_KEYS = CONFIG_KEYS.filter((spec) => spec.asked).map((spec) => spec.key as ConfigKey);

const byKey = new Map(CONFIG_KEYS.map((spec) => [spec.key, spec]));

/** The spec of a key, including the ARCHIVE_PRIVATE_KEY_<ver> family. */
export function keySpec(key: string): KeySpec | undefined {
  if (PRIVATE_KEY_PATTERN.test(key)) return byKey.get(PRIVATE_KEY_FAMILY);
  // The family's placeholder name documents the keys; it is not a key itself.
  return key === PRIVATE_KEY_FAMILY ? undefined : byKey.get(key);
}

/** The config key naming the key file of a publickey_ver. */
export function privateKeyConfigKey(version: number): ConfigKey {
  return `ARCHIVE_PRIVATE_KEY_${version}`;
}

/** A key's position in the table (a versioned private key: its family's row; unknown keys last). */
export function keyRank(key: string): number {
  const spec = keySpec(key);
  return spec ? CONFIG_KEYS.indexOf(spec) : CONFIG_KEYS.length;
}

export function isConfigKey(key: string): key is ConfigKey {
  return keySpec(key) !== undefined;
}

/** `APP_CALLBACK_TOKEN` and `APP_CALLBACK_AES_KEY` for the app, and so on for each kind. */
export function callbackKeys(kind: CallbackKind): { token: ConfigKey; aesKey: ConfigKey } {
  return { token: `${CALLBACK_PREFIX[kind]}_CALLBACK_TOKEN`, aesKey: `${CALLBACK_PREFIX[kind]}_CALLBACK_AES_KEY` };
}

/** Environment variables that are ours even though they are not in the file format (read from env only). */
export const ENV_ONLY_KEYS = ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const;

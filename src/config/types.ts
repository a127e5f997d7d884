import type { Lang, Text } from '../i18n/index.ts';
import type { CredentialKind } from '../wecom/credentials.ts';

/** The callback kinds, each with its own Token and EncodingAESKey in the admin console. */
export const CALLBACK_KINDS = ['app', 'contacts', 'customer', 'archive'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

/** Where a value came from, for `config show`. */
export type ValueSource = 'env' | 'file' | 'default';

/** The effective configuration, validated. Every secret is optional: any subset is a valid set-up. */
export interface Config {
  corpId?: string;
  /** One secret per credential kind the user configured (APP_SECRET, CONTACTS_SECRET, …). */
  secrets: Partial<Record<CredentialKind, string>>;
  appAgentId?: number;
  /** publickey_ver → path of the PEM private key (ARCHIVE_PRIVATE_KEY_<ver>). */
  archivePrivateKeys: Record<number, string>;
  financeSdkPath?: string;
  apiBase: string;
  /** Forward proxy for WeCom API calls, from WECOM_PROXY; HTTPS_PROXY/NO_PROXY apply when unset. */
  proxy?: string;
  dataDir: string;
  /** Unset: SQLite file under dataDir. */
  databaseUrl?: string;
  /** Optional shared token cache for several instances. */
  redisUrl?: string;
  lang: Lang;
  /** Client-side limits per (corp, API); unset fields keep the client's defaults below WeCom's. */
  limits: { perMinute?: number; perHour?: number; concurrency?: number };
  callbacks: Partial<Record<CallbackKind, { token: string; aesKey: string }>>;
  /** Every raw key that was set, with its source (secrets still in clear: redact before printing). */
  raw: Record<string, { value: string; source: ValueSource }>;
  /** Validation findings: errors make strict loading fail; warnings are shown by `config show` and `doctor`. */
  problems: ConfigProblem[];
  /** The file read, if any. */
  file?: string;
}

export interface ConfigProblem {
  severity: 'error' | 'warning';
  key?: string;
  message: Text;
  fix?: Text;
  vars?: Record<string, string | number>;
}

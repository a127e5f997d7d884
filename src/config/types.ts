import type { Text } from '../i18n/index.ts';
import type { CredentialKind } from '../wecom/credentials.ts';
import type { CallbackKind, KEY_TABLE } from './keys.ts';

/** Where a value came from, for `config show`. */
export type ValueSource = 'env' | 'file' | 'default';

type KeyRow = (typeof KEY_TABLE)[number];
/** The type a row's `read` gives (without its "not usable" undefined), else the text. */
type ValueOf<Row> = Row extends { read: (value: string) => infer T } ? Exclude<T, undefined> : string;
type FieldRow = Extract<KeyRow, { field: string }>;
type DefaultedRow = Extract<FieldRow, { default: string }>;

/**
 * The Config fields that are one key each, built from the key table: a row with `field` names the
 * field, its `read` gives the type, and a default makes it always present.
 */
export type ConfigFields =
  & { [Row in DefaultedRow as Row['field']]: ValueOf<Row> }
  & { [Row in Exclude<FieldRow, DefaultedRow> as Row['field']]?: ValueOf<Row> };

/** Client-side limits per (corp, API), from the rows with `limit`; unset keeps the client's defaults below WeCom's. */
export type ConfigLimits = { [Row in Extract<KeyRow, { limit: string }> as Row['limit']]?: ValueOf<Row> };

/** The effective configuration, validated. Every secret is optional: any subset is a valid set-up. */
export interface Config extends ConfigFields {
  /** One secret per credential kind the user configured (APP_SECRET, CONTACTS_SECRET, …). */
  secrets: Partial<Record<CredentialKind, string>>;
  /** publickey_ver → path of the PEM private key (ARCHIVE_PRIVATE_KEY_<ver>). */
  archivePrivateKeys: Record<number, string>;
  limits: ConfigLimits;
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

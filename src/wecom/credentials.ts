/**
 * The kinds of secret a corp can hold (wecom-api.md §0) and the config key that carries each. The
 * key names live here, not in src/config, because WeCom's errors must name them (40001 "check
 * APP_SECRET") and src/wecom knows nothing of the config loader; the config's key table imports them.
 */

/** Which secret a token was fetched with. */
export const CREDENTIAL_KINDS = ['app', 'contacts', 'customer', 'archive'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** The config key of each kind's secret. */
export const SECRET_KEY_OF = {
  app: 'APP_SECRET',
  contacts: 'CONTACTS_SECRET',
  customer: 'CUSTOMER_SECRET',
  archive: 'CHAT_ARCHIVE_SECRET',
} as const satisfies Record<CredentialKind, string>;
export type SecretKey = (typeof SECRET_KEY_OF)[CredentialKind];

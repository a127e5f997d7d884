/**
 * The one place secrets are hidden. Everything that prints, logs or stores a message meant for a
 * person passes through here: config values, URLs (access_token, corpsecret in the query), proxy and
 * database passwords, JSON bodies, `KEY=VALUE` lines. A redacted secret keeps a short prefix so
 * people can tell which secret is meant without it ever being usable; a password (short, chosen by a
 * person) keeps nothing but its length. Redacting twice changes nothing.
 */

const PREFIX_LENGTH = 4;

/** What a redacted value looks like; finding it again means the text was already redacted. */
const ALREADY_REDACTED = /^[^…]{0,4}…\(\d+\)$/;

/** `abcd…(43)`: enough to recognise which secret is meant, useless to an attacker. */
export function redactSecret(value: string | undefined | null): string {
  if (!value) return '';
  if (ALREADY_REDACTED.test(value)) return value;
  if (value.length <= PREFIX_LENGTH * 2) return `…(${value.length})`;
  return `${value.slice(0, PREFIX_LENGTH)}…(${value.length})`;
}

/** A password keeps only its length: its first characters are a large part of it. */
export function redactPassword(value: string): string {
  return ALREADY_REDACTED.test(value) ? value : `…(${value.length})`;
}

/** Query parameters and JSON keys whose values are secrets wherever they appear. */
export const SECRET_KEYS = [
  'access_token', 'corpsecret', 'secret', 'token', 'sdkfileid', 'encrypt_random_key', 'private_key',
  'password', 'passwd', 'encodingaeskey', 'aes_key', 'user_ticket', 'code',
  // A callback's query (/callback/…?msg_signature=…&echostr=…): kept as a prefix, enough to match a log to a request.
  'msg_signature', 'echostr', 'authorization',
] as const;

const SECRET_KEY_SET = new Set<string>(SECRET_KEYS);
/**
 * Any name ending in one of these (sslpassword, APP_SECRET, CONTACTS_CALLBACK_TOKEN …) is a secret
 * too; `code` (an OAuth code) only as itself, or every `errcode` would be hidden.
 */
const SECRET_SUFFIXES = SECRET_KEYS.filter((key) => key !== 'code');
const SECRET_NAME = `(?:code|[A-Za-z_]*(?:${SECRET_SUFFIXES.join('|')}|aes_key))`;
const QUERY_SECRET = new RegExp(`([?&]${SECRET_NAME}=)([^&#\\s"']+)`, 'gi');
const JSON_SECRET = new RegExp(`("${SECRET_NAME}"\\s*:\\s*")([^"]*)(")`, 'gi');
/**
 * `APP_SECRET=…` or `corpsecret: …` in free text (a config line echoed in an error, a log). After a
 * colon only a secret-shaped value counts, so `APP_SECRET: A secret is 43 letters` stays readable.
 */
const ASSIGNED_SECRET = new RegExp(`(^|[\\s,;{(])(${SECRET_NAME}\\s*=\\s*)(?!")([^\\s,;&"')}]+)`, 'gim');
/** `secret` as `[sS][eE]…`: a name matched in any case inside a case-sensitive pattern. */
const anyCase = (name: string) => name.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`);
const SECRET_NAME_ANY_CASE = `(?:${anyCase('code')}|[A-Za-z_]*(?:${SECRET_SUFFIXES.map(anyCase).join('|')}))`;
// A config key name (CHAT_ARCHIVE_SECRET) is not a value: secrets mix case and digits. The check
// needs a case-sensitive pattern, so the name is spelt in any case instead of by the `i` flag.
const COLON_SECRET = new RegExp(`(^|[\\s,;{(])(${SECRET_NAME_ANY_CASE}\\s*:\\s*"?)(?![A-Z_]+\\b)([A-Za-z0-9_+/=-]{16,})`, 'gm');
/** user:password@ in a URL; the password may itself hold an unencoded `@`, so take the last one. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^\s/]*)@/gi;
/** An API token (services/tokens.ts: `wca_` + 43 base64url characters), and any Bearer credential. */
const API_TOKEN = /\bwca_[A-Za-z0-9_-]{16,}/g;
const BEARER = /(\bBearer\s+)([^\s,;"']+)/gi;
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEY_SET.has(lower) || /secret|password|passwd|token$|aes_?key|private_?key|sdkfileid|authorization|cookie/.test(lower);
}

/** Hides secrets inside free text: URLs with credentials, query strings, JSON, PEM keys. */
export function redactText(text: string): string {
  return text
    .replace(PEM_BLOCK, '[PRIVATE KEY REDACTED]')
    .replace(BEARER, (_m, head: string, value: string) => `${head}${redactSecret(value)}`)
    .replace(API_TOKEN, (token) => redactSecret(token))
    .replace(URL_PASSWORD, (_m, head: string, pw: string) => `${head}${redactPassword(pw)}@`)
    .replace(QUERY_SECRET, (_m, head: string, value: string) => `${head}${redactSecret(decodeURIComponentSafe(value))}`)
    .replace(JSON_SECRET, (_m, head: string, value: string, tail: string) => `${head}${redactSecret(value)}${tail}`)
    .replace(ASSIGNED_SECRET, (_m, lead: string, head: string, value: string) => `${lead}${head}${redactSecret(value)}`)
    .replace(COLON_SECRET, (_m, lead: string, head: string, value: string) => `${lead}${head}${redactSecret(value)}`);
}

/** A URL with any password replaced (proxy and database URLs). */
export function redactUrl(url: string): string {
  return redactText(url);
}

/** Deep copy of a JSON-like value with every secret-named field redacted. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactValue(item)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      out[key] = isSecretKey(key) && typeof inner === 'string' ? redactSecret(inner) : redactValue(inner);
    }
    return out as T;
  }
  return value;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Hides known secret values wherever they appear in free text, even outside a `key=value` shape
 * (e.g. a server echoing the token it rejected). Used where the caller knows the secrets in play.
 */
export function redactKnown(text: string, secrets: Array<string | undefined | null>): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real secrets and tokens are long.
    if (secret && secret.length >= 8) out = out.split(secret).join(redactSecret(secret));
  }
  return out;
}

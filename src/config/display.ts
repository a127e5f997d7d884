import { redactSecret, redactUrl } from '../util/redact.ts';
import { keyRank, keySpec } from './keys.ts';
import type { Config, ValueSource } from './types.ts';

/** How a config value may be shown to a person: secrets as a short prefix, URL passwords hidden. */
export function displayValue(key: string, value: string): string {
  const spec = keySpec(key);
  if (spec?.secret) return redactSecret(value);
  if (spec?.urlWithPassword) return redactUrl(value);
  return value;
}

/** The effective configuration, redacted, in key order of the catalogue. */
export function effectiveValues(config: Config): Array<{ key: string; value: string; source: ValueSource }> {
  return Object.entries(config.raw)
    .map(([key, entry]) => ({ key, value: displayValue(key, entry.value), source: entry.source }))
    .sort((a, b) => keyRank(a.key) - keyRank(b.key) || a.key.localeCompare(b.key));
}

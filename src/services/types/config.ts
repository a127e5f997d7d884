/** `config show`: each corp's effective configuration, redacted, with where each value came from. */
export interface ConfigReport {
  ok: true;
  corps: CorpConfig[];
  truncated: false;
}

export interface CorpConfig {
  /** null: the file sets no CORP_ID (its problems say so). */
  corpId: string | null;
  /** The file read; null: the environment alone. */
  file: string | null;
  /** In the key table's order; secrets as a short prefix, URL passwords hidden. */
  values: ConfigValue[];
  problems: ConfigProblemRow[];
}

export interface ConfigValue {
  key: string;
  value: string;
  source: 'env' | 'file' | 'default';
}

export interface ConfigProblemRow {
  severity: 'error' | 'warning';
  key: string | null;
  /** One line in the requested language: `KEY: what → fix`, redacted. */
  message: string;
}

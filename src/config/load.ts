import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isLang, t, type Lang } from '../i18n/index.ts';
import { UserError } from '../util/errors.ts';
import { redactText } from '../util/redact.ts';
import { CALLBACK_KINDS, callbackKeys, CONFIG_KEYS, keySpec, PRIVATE_KEY_PATTERN } from './keys.ts';
import { parseEnvFile } from './parse.ts';
import { expandConfigPaths } from './paths.ts';
import type { Config, ConfigFields, ConfigProblem, ValueSource } from './types.ts';
import { checkFileMode, validateValues } from './validate.ts';

export const DEFAULT_CONFIG_FILE = 'wecom.env';

export interface LoadOptions {
  /** `--config FILE`; when given, ./wecom.env is not read. */
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Throw on invalid values (default). `doctor` loads leniently and reports every problem. */
  strict?: boolean;
}

/**
 * The effective configuration: `--config FILE`, else ./wecom.env if present; environment variables
 * win over either. Relative paths in a file resolve against the file's folder, so a config keeps
 * working whichever directory the command runs from.
 */
export async function loadConfig(options: LoadOptions = {}): Promise<Config> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const raw: Config['raw'] = {};
  const problems: ConfigProblem[] = [];

  const file = pickFile(options.configFile, cwd);
  if (file) readFileInto(file, raw, problems);
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '' && keySpec(key)) raw[key] = { value, source: 'env' };
  }
  for (const spec of CONFIG_KEYS) {
    if (spec.default !== undefined && !raw[spec.key]) raw[spec.key] = { value: spec.default, source: 'default' };
  }
  // The default DATA_DIR sits beside the config file, so the config finds its data from any folder;
  // a value from the environment is relative to where the command runs.
  if (raw.DATA_DIR.source !== 'file') raw.DATA_DIR.value = resolve(raw.DATA_DIR.source === 'default' && file ? dirname(file) : cwd, raw.DATA_DIR.value);

  const values = Object.fromEntries(Object.entries(raw).map(([key, entry]) => [key, entry.value]));
  problems.push(...validateValues(values));
  const config = build(values, raw, problems, file);
  if ((options.strict ?? true) && problems.some((p) => p.severity === 'error')) throw new ConfigError(problems, file);
  return config;
}

/**
 * WECOM_ARCHIVE_LANG as the config would resolve it (environment, then the file), read before the
 * full load so that even a config error is reported in the user's language.
 */
export function configuredLang(configPaths: string | string[] | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Lang | undefined {
  if (isLang(env.WECOM_ARCHIVE_LANG)) return env.WECOM_ARCHIVE_LANG;
  // The language is a deployment key, the same in every file: the first one tells.
  const first = [configPaths ?? []].flat()[0];
  try {
    const file = expandConfigPaths([first ?? DEFAULT_CONFIG_FILE], cwd)[0]!;
    if (!existsSync(file)) return undefined;
    const value = parseEnvFile(readFileSync(file, 'utf8')).entries.find((e) => e.key === 'WECOM_ARCHIVE_LANG')?.value;
    return isLang(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function pickFile(configFile: string | undefined, cwd: string): string | undefined {
  if (configFile) {
    const path = resolve(cwd, configFile);
    if (!existsSync(path)) {
      throw new UserError('config_file_missing', {
        what: { zh: '找不到配置文件 {path}', en: 'Config file {path} not found' },
        why: { zh: '--config 指定的文件不存在', en: 'The file given with --config does not exist' },
        fix: { zh: '检查路径，或运行 `wecom-archive init` 生成一个', en: 'Check the path, or create one with `wecom-archive init`' },
        vars: { path },
      });
    }
    return path;
  }
  const fallback = resolve(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(fallback) ? fallback : undefined;
}

function readFileInto(file: string, raw: Config['raw'], problems: ConfigProblem[]): void {
  const { entries, problems: syntax } = parseEnvFile(readFileSync(file, 'utf8'));
  for (const bad of syntax) {
    problems.push({
      severity: 'error',
      message: { zh: '{file} 第 {line} 行无法解析', en: '{file} line {line} cannot be parsed' },
      fix: { zh: '每行应为 KEY=VALUE，注释以 # 开头', en: 'Each line should be KEY=VALUE; comments start with #' },
      vars: { file, line: bad.line },
    });
  }
  for (const entry of entries) {
    if (!keySpec(entry.key)) {
      problems.push({
        severity: 'warning', key: entry.key,
        message: { zh: '{file} 第 {line} 行：未知的配置项 {key}，已忽略', en: '{file} line {line}: unknown key {key}, ignored' },
        vars: { file, line: entry.line, key: entry.key },
      });
      continue;
    }
    // A relative path in a file is relative to the file, so the config works from any folder.
    const value = keySpec(entry.key)?.path && entry.value && !isAbsolute(entry.value) ? resolve(dirname(file), entry.value) : entry.value;
    raw[entry.key] = { value, source: 'file' as ValueSource };
  }
  const mode = checkFileMode(file);
  if (mode) problems.push(mode);
}

/** Config from the key table: each row's field, limit, credential or callback, read as the row says. */
function build(values: Record<string, string>, raw: Config['raw'], problems: ConfigProblem[], file?: string): Config {
  const fields: Record<string, unknown> = {};
  const limits: Record<string, unknown> = {};
  const secrets: Config['secrets'] = {};
  for (const spec of CONFIG_KEYS) {
    const text = values[spec.key] || spec.default;
    if (!text) continue;
    // An unusable value (validation has reported it) falls back to the default, or stays unset.
    const read = spec.read ?? String;
    const value = read(text) ?? (spec.default === undefined ? undefined : read(spec.default));
    if (spec.field) fields[spec.field] = value;
    if (spec.limit) limits[spec.limit] = value;
    if (spec.credential) secrets[spec.credential] = text;
  }
  const archivePrivateKeys: Config['archivePrivateKeys'] = {};
  for (const [key, value] of Object.entries(values)) {
    const match = PRIVATE_KEY_PATTERN.exec(key);
    if (match) archivePrivateKeys[Number(match[1])] = value;
  }
  const callbacks: Config['callbacks'] = {};
  for (const kind of CALLBACK_KINDS) {
    const keys = callbackKeys(kind);
    if (values[keys.token] && values[keys.aesKey]) callbacks[kind] = { token: values[keys.token], aesKey: values[keys.aesKey] };
  }
  // The table guarantees the types (types.ts derives ConfigFields from the same rows).
  return { ...(fields as ConfigFields), secrets, archivePrivateKeys, limits, callbacks, raw, problems, file };
}

/** Every invalid value at once, each with its key, so one edit fixes them all. */
export class ConfigError extends UserError {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[], file?: string) {
    const errors = problems.filter((p) => p.severity === 'error');
    super('config_invalid', {
      what: { zh: '配置有 {count} 处错误{where}', en: 'The configuration has {count} error(s){where}' },
      why: { zh: '{list}', en: '{list}' },
      fix: { zh: '修改后运行 `wecom-archive config show` 检查', en: 'Fix them, then check with `wecom-archive config show`' },
      vars: { count: errors.length, where: file ? ` (${file})` : '', list: '' },
    });
    this.problems = errors;
  }

  override describe(lang: Lang) {
    const base = super.describe(lang);
    const list = this.problems.map((p) => `\n    - ${describeProblem(p, lang)}`).join('');
    return { ...base, why: list };
  }
}

/** One problem as a line: `KEY: what → fix`, secrets redacted. */
export function describeProblem(problem: ConfigProblem, lang: Lang): string {
  const fix = problem.fix ? ` → ${t(problem.fix, lang, problem.vars)}` : '';
  return redactText(`${problem.key ? `${problem.key}: ` : ''}${t(problem.message, lang, problem.vars)}${fix}`);
}

import type { Lang } from '../i18n/index.ts';
import { UserError } from '../util/errors.ts';
import { redactText } from '../util/redact.ts';
import { CONFIG_KEYS } from './keys.ts';
import { loadConfig, type LoadOptions } from './load.ts';
import { expandConfigPaths } from './paths.ts';
import type { Config, ConfigProblem } from './types.ts';

/**
 * A deployment: every configured corp, each from its own file in today's single-corp format, plus
 * the keys that belong to the whole deployment (the store, the token cache, the language), on
 * which every file must agree.
 *
 * `--config` may be given several times and may name a folder (each `*.env` in it is one corp).
 * Without `--config`, ./wecom.env (or the environment alone) is the one corp, as before.
 */

export interface Deployment {
  /** One config per corp, sorted by corp id; a config without CORP_ID stays (doctor reports it). */
  corps: Config[];
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  lang: Lang;
  /** Where `serve` listens and how it is reached (SERVER_HOST, SERVER_PORT, PUBLIC_URL, TRUST_PROXY); loaded deployments always have it. */
  server?: DeploymentServer;
  /**
   * The background jobs' schedule (SYNC_INTERVAL_HOURS, RECONCILE_INTERVAL_HOURS, ARCHIVE_POLL_SECONDS; 0 = off),
   * and how far a `worker` lowers its CPU priority (WORKER_NICE).
   */
  jobs: { syncIntervalHours: number; reconcileIntervalHours: number; archivePollSeconds: number; workerNice: number };
  /** The files read, in the order given. */
  files: string[];
  /** Every warning and error of every file (strict loading has already thrown on errors). */
  problems: ConfigProblem[];
}

export interface DeploymentServer {
  host: string;
  port: number;
  /** The external base URL, without a trailing slash; unset: the listening address is shown. */
  publicUrl?: string;
  /** Fastify's trustProxy. */
  trustProxy: boolean | number | string;
}

export interface DeploymentOptions extends Omit<LoadOptions, 'configFile'> {
  /** `--config` values: files or folders. Empty: ./wecom.env if present. */
  configPaths?: string[];
}

/** The deployment keys, from the key table: every file must give them the same value. */
const DEPLOYMENT_KEYS = CONFIG_KEYS.filter((spec) => spec.scope === 'deployment').map((spec) => spec.key);

export async function loadDeployment(options: DeploymentOptions = {}): Promise<Deployment> {
  const cwd = options.cwd ?? process.cwd();
  const files = expandConfigPaths(options.configPaths ?? [], cwd);
  const configs = files.length === 0
    ? [await loadConfig(options)]
    : await Promise.all(files.map((configFile) => loadConfig({ ...options, configFile })));
  const problems = configs.flatMap((config) => config.problems);
  if (configs.length > 1) {
    checkDeploymentKeysAgree(configs);
    checkCorpsDistinct(configs);
  }
  const first = configs[0]!;
  return {
    corps: [...configs].sort((a, b) => (a.corpId ?? '').localeCompare(b.corpId ?? '')),
    dataDir: first.dataDir,
    databaseUrl: first.databaseUrl,
    redisUrl: first.redisUrl,
    lang: first.lang,
    server: { host: first.serverHost, port: first.serverPort, publicUrl: first.publicUrl, trustProxy: first.trustProxy },
    jobs: { syncIntervalHours: first.syncIntervalHours, reconcileIntervalHours: first.reconcileIntervalHours, archivePollSeconds: first.archivePollSeconds, workerNice: first.workerNice },
    files: configs.map((config) => config.file).filter((file): file is string => file !== undefined),
    problems,
  };
}


function checkDeploymentKeysAgree(configs: Config[]): void {
  const [first, ...rest] = configs;
  for (const key of DEPLOYMENT_KEYS) {
    const expected = first!.raw[key]?.value;
    const other = rest.find((config) => config.raw[key]?.value !== expected);
    if (!other) continue;
    throw new UserError('config_deployment_mismatch', {
      what: { zh: '部署级配置项 {key} 在两个配置文件中不一致', en: 'The deployment key {key} differs between two config files' },
      why: {
        zh: `{key} 属于整个部署（所有企业共用一个数据库和数据目录），各企业的文件必须相同：\n    {fileA}: ${shown(expected, '（未设置）')}\n    {fileB}: ${shown(other.raw[key]?.value, '（未设置）')}`,
        en: `{key} belongs to the whole deployment (every corp shares one store and data folder), so every corp file must agree:\n    {fileA}: ${shown(expected, '(not set)')}\n    {fileB}: ${shown(other.raw[key]?.value, '(not set)')}`,
      },
      fix: { zh: '在所有企业的配置文件中写相同的 {key}；或从文件中删去，改用环境变量统一设置', en: 'Give {key} the same value in every corp file, or remove it from the files and set it once in the environment' },
      vars: { key, fileA: first!.file ?? '-', fileB: other.file ?? '-' },
    });
  }
}

function checkCorpsDistinct(configs: Config[]): void {
  const seen = new Map<string, string>();
  for (const config of configs) {
    if (!config.corpId) continue;
    const before = seen.get(config.corpId);
    if (before !== undefined) {
      throw new UserError('config_duplicate_corp', {
        what: { zh: '企业 {corp} 在两个配置文件中重复出现', en: 'Corp {corp} is configured in two files' },
        why: { zh: '{fileA} 和 {fileB} 的 CORP_ID 相同；每个企业只能有一个配置文件', en: '{fileA} and {fileB} have the same CORP_ID; each corp has exactly one file' },
        fix: { zh: '删除其中一个文件，或改正其 CORP_ID', en: 'Remove one of the files, or correct its CORP_ID' },
        vars: { corp: config.corpId, fileA: before, fileB: config.file ?? '-' },
      });
    }
    seen.set(config.corpId, config.file ?? '-');
  }
}

/** A value as the error shows it, secrets redacted. */
function shown(value: string | undefined, unset: string): string {
  return value === undefined ? unset : redactText(value);
}


/** The "no corp" error, one for every face: nothing configures a CORP_ID. */
export class NoCorpError extends UserError {
  constructor() {
    super('config_no_corp', {
      what: { zh: '没有配置任何企业（CORP_ID）', en: 'No corp is configured (CORP_ID)' },
      why: { zh: '配置文件和环境变量中都没有 CORP_ID', en: 'Neither the config files nor the environment set CORP_ID' },
      fix: {
        zh: '在 管理后台 → 我的企业 → 企业信息 复制“企业ID”，写入配置 CORP_ID（wecom-archive init），或用 --config 指定配置文件',
        en: 'Copy the Corp ID from Admin console → My Company → Company Info into CORP_ID (wecom-archive init), or point --config at your config file',
      },
    });
  }
}

/** The "unknown corp" error, one for every face: `--corp` names a corp no file configures. */
export class UnknownCorpError extends UserError {
  constructor(corpId: string, configured: string[]) {
    super('config_unknown_corp', {
      what: { zh: '未配置企业 {corp}', en: 'Corp {corp} is not configured' },
      why: { zh: '已配置的企业：{corps}', en: 'The configured corps are: {corps}' },
      fix: { zh: '用 --corp 指定以上之一（wecom-archive corps 列出全部），或用 --config 加入该企业的配置文件', en: 'Give --corp one of them (wecom-archive corps lists them all), or add that corp\'s file with --config' },
      vars: { corp: corpId, corps: configured.join(', ') || '-' },
    });
  }
}

/** Several corps and no `--corp`, for a command that acts on one corp. */
export class CorpRequiredError extends UserError {
  constructor(configured: string[]) {
    super('config_corp_required', {
      what: { zh: '配置了多个企业，请用 --corp 指定一个', en: 'Several corps are configured: choose one with --corp' },
      why: { zh: '该命令只作用于一个企业；已配置：{corps}', en: 'This command acts on one corp; configured: {corps}' },
      fix: { zh: '加上 --corp <企业ID>', en: 'Add --corp <corp id>' },
      vars: { corps: configured.join(', ') },
    });
  }
}


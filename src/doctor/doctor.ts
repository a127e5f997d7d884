import type { Config } from '../config/types.ts';
import type { Text } from '../i18n/index.ts';
import { CREDENTIAL_KINDS, SECRET_KEY_OF, type CredentialKind } from '../wecom/credentials.ts';
import { clientFromConfig, type WecomClient, type WecomClientOptions } from '../wecom/client.ts';
import { MemoryTokenStore } from '../wecom/token-store.ts';
import { archiveHttpChecks } from './checks-archive.ts';
import { customerChecks } from './checks-customer.ts';
import { appDirectoryChecks, contactsDirectoryChecks } from './checks-directory.ts';
import { apiReachableCheck, proxyCheck } from './checks-network.ts';
import { dataDirProblem } from '../store/open.ts';
import { failure, probe, result, skipped } from './probe.ts';
import type { CheckResult, DoctorReport } from './report.ts';
import { setupAdvice } from './advice.ts';

/** Extra checks contributed by other modules (the archive SDK and keys), run after the HTTP ones. */
export type ExtraChecks = (config: Config) => Promise<CheckResult[]>;

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  clientOptions?: Partial<WecomClientOptions>;
  extraChecks?: ExtraChecks[];
}

const KIND_LABEL: Record<CredentialKind, Text> = {
  app: { zh: '自建应用', en: 'Self-built app' },
  contacts: { zh: '通讯录同步', en: 'Contact sync' },
  customer: { zh: '客户联系', en: 'Customer contact' },
  archive: { zh: '会话存档', en: 'Chat archive' },
};

const UNCONFIGURED: Record<CredentialKind, Text> = {
  app: { zh: '未配置 APP_SECRET：通讯录详情需要自建应用', en: 'APP_SECRET not set: directory details need a self-built app' },
  contacts: { zh: '未配置 CONTACTS_SECRET（可选，用于通讯录变更回调）', en: 'CONTACTS_SECRET not set (optional, for directory change callbacks)' },
  customer: { zh: '未配置 CUSTOMER_SECRET（可选：也可把自建应用加入「可调用应用」）', en: 'CUSTOMER_SECRET not set (optional: the self-built app can be allowed instead)' },
  archive: { zh: '未配置 CHAT_ARCHIVE_SECRET：不会拉取会话存档', en: 'CHAT_ARCHIVE_SECRET not set: the chat archive is not pulled' },
};

/**
 * Checks, automatically, everything the users' guide makes them check by hand with curl: each
 * credential's token and the calls it should be able to make, trusted IPs, the proxy. Never waits
 * out a rate-limit window (45009 is reported and the run moves on).
 */
export async function runDoctor(config: Config, options: DoctorOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const checks: CheckResult[] = configChecks(config);
  if (!config.corpId) return finish(checks, config);

  // With an unusable API base or proxy every call would fail the same way: the config line says why.
  if (config.problems.some((p) => p.severity === 'error' && (p.key === 'WECOM_API_BASE' || p.key === 'WECOM_PROXY'))) {
    return finish(checks, config);
  }
  const proxy = await proxyCheck(config, env);
  if (proxy) checks.push(proxy);
  if (proxy?.id === 'network.proxy_setting') return finish(checks, config);
  // A fresh token store: "APP_SECRET is valid" must come from WeCom now, not from a cached token.
  const client = clientFromConfig(config, {
    failFastOnRateLimit: true, retryPolicy: 'interactive', env, tokenStore: new MemoryTokenStore(), ...options.clientOptions,
  });
  try {
    const api = await apiReachableCheck(client, config);
    checks.push(api);
    if (api.status === 'fail') return finish(checks, config);
    for (const kind of CREDENTIAL_KINDS) checks.push(...(await credentialChecks(client, config, kind, checks)));
    for (const extra of options.extraChecks ?? []) checks.push(...(await extra(config)));
  } finally {
    await client.close();
  }
  return finish(checks, config);
}

function configChecks(config: Config): CheckResult[] {
  const head = { id: 'config', credential: null, title: { zh: '配置', en: 'Configuration' } };
  const checks = config.problems.map((problem) => result({ ...head, id: problem.key ? `config.${problem.key}` : 'config' }, {
    status: problem.severity === 'error' ? 'fail' : 'warn', message: withKey(problem.key, problem.message), fix: problem.fix, vars: problem.vars,
  }));
  if (!config.corpId) {
    checks.push(result({ ...head, id: 'config.CORP_ID' }, {
      status: 'fail', message: { zh: '未配置 CORP_ID', en: 'CORP_ID is not set' },
      fix: { zh: '在 管理后台 → 我的企业 → 企业信息 复制企业 ID', en: 'Copy the Corp ID from Admin console → My Company → Company Info' },
    }));
  }
  if (!Object.keys(config.secrets).length) {
    checks.push(result({ ...head, id: 'config.secrets' }, {
      status: 'fail', message: { zh: '没有配置任何 Secret', en: 'No secret is configured' },
      fix: { zh: '至少设置 APP_SECRET（自建应用）或 CHAT_ARCHIVE_SECRET，见 README', en: 'Set at least APP_SECRET (self-built app) or CHAT_ARCHIVE_SECRET; see the README' },
    }));
  }
  const dataDir = dataDirProblem(config.dataDir);
  if (dataDir) checks.push(failure({ ...head, id: 'config.DATA_DIR' }, dataDir));
  if (!checks.length) checks.push(result(head, { message: { zh: '配置有效（{file}）', en: 'Configuration valid ({file})' }, vars: { file: config.file ?? 'env' } }));
  return checks;
}

/** A config problem names its key, so the line says which secret is 3 characters long. */
function withKey(key: string | undefined, message: Text): Text {
  return key ? { zh: `${key}：${message.zh}`, en: `${key}: ${message.en}` } : message;
}

/** `earlier` holds the checks so far: a kind whose token failed is not asked again (40001 bans the IP when repeated). */
async function credentialChecks(client: WecomClient, config: Config, kind: CredentialKind, earlier: CheckResult[]): Promise<CheckResult[]> {
  const tokenHead = {
    id: `${kind}.token`, credential: kind,
    title: { zh: `${KIND_LABEL[kind].zh}：获取 access_token`, en: `${KIND_LABEL[kind].en}: fetch access_token` },
  };
  if (kind === 'customer' && !config.secrets.customer) {
    // Customer checks then run on the app's token, if the app's own checks got that far.
    if (!config.secrets.app) return [skipped(tokenHead, UNCONFIGURED.customer)];
    if (earlier.some((c) => c.id === 'app.token' && c.status === 'fail')) {
      return [skipped(tokenHead, { zh: '需要有效的 APP_SECRET（见上）', en: 'Needs a valid APP_SECRET (see above)' })];
    }
  }
  if (kind !== 'customer' && !config.secrets[kind]) return [skipped(tokenHead, UNCONFIGURED[kind])];
  return tokenThen(client, kind, tokenHead, config, earlier);
}

async function tokenThen(
  client: WecomClient, kind: CredentialKind, tokenHead: Parameters<typeof skipped>[0], config: Config, earlier: CheckResult[],
): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  if (config.secrets[kind]) {
    const token = await probe(tokenHead, () => client.token(kind), () => ({
      message: { zh: '{key} 有效', en: '{key} is valid' }, vars: { key: SECRET_KEY_OF[kind] },
    }));
    checks.push(token.check);
    if (token.error) return checks;
  }
  if (kind === 'app') checks.push(...(await appDirectoryChecks(client)));
  if (kind === 'contacts') {
    const appReadsDirectory = earlier.some((c) => c.id === 'app.department_list' && c.status === 'pass');
    checks.push(...(await contactsDirectoryChecks(client, appReadsDirectory)));
  }
  if (kind === 'customer') checks.push(...(await customerChecks(client, config.secrets)));
  if (kind === 'archive') checks.push(...(await archiveHttpChecks(client)));
  return checks;
}

function finish(checks: CheckResult[], config: Config): DoctorReport {
  return { ok: !checks.some((check) => check.status === 'fail'), checks, advice: setupAdvice(checks, config) };
}

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { langFlag, resolveLang, t, type Text } from '../../i18n/index.ts';
import { UserError } from '../../util/errors.ts';
import { action, type CliContext } from '../context.ts';
import { printJson } from '../output.ts';
import type { SandboxExtensionFactory } from '../../sandbox/extension.ts';
import { CALLBACK_KINDS } from '../../sandbox/callbacks/options.ts';
import { SettingsError, type SandboxOptions } from '../../sandbox/options.ts';

/**
 * `wecom-archive sandbox`: runs the local WeCom in the foreground until Ctrl+C. Every rule, limit,
 * fault and the clock can be set here; the same can be changed at runtime through /__sandbox/….
 */
const HELP = {
  command: { zh: '启动本地企业微信沙箱（生成的企业、真实的接口规则），前台运行直到 Ctrl+C', en: 'run a local WeCom sandbox (generated company, the real API rules) in the foreground until Ctrl+C' },
  port: { zh: '监听端口（0 = 随机空闲端口）', en: 'port to listen on (0 = any free port)' },
  host: { zh: '监听地址', en: 'address to listen on' },
  seed: { zh: '随机种子：同一种子生成同一企业', en: 'seed: the same seed generates the same company' },
  size: { zh: '企业规模：small（约 50 名成员、500 个客户）或 large（1 万成员、20 万客户）', en: 'company size: small (~50 members, 500 customers) or large (10,000 members, 200,000 customers)' },
  configOut: { zh: '写出可直接使用的配置文件（KEY=VALUE，权限 0600），含各类 Secret、WECOM_API_BASE 及各类回调的 Token 与 EncodingAESKey', en: 'write a ready-to-use config file (KEY=VALUE, mode 0600) with every secret, WECOM_API_BASE and the Token and EncodingAESKey of each callback kind' },
  trustedIp: { zh: '企业可信 IP（可多个，支持 CIDR）；设置后其他来源调用自建应用/通讯录接口得到 60020', en: 'trusted IPs (repeatable, CIDR allowed); other callers get 60020 with the app and contact-sync secrets' },
  tokenTtl: { zh: 'access_token 有效期（秒），过期后返回 42001', en: 'access_token lifetime in seconds; expired tokens get 42001' },
  now: { zh: '固定时钟于该时刻（ISO 时间），令牌过期与频率窗口以此为准；可经 POST /__sandbox/clock 推进', en: 'fix the clock at this ISO time (token expiry and rate windows follow it); advance it with POST /__sandbox/clock' },
  appScope: { zh: '自建应用可见范围：部门 ID，逗号分隔（含子部门）', en: "the self-built app's visible scope: department ids, comma-separated (sub-departments included)" },
  noAppCustomer: { zh: '自建应用不在「可调用应用」中：其客户接口返回 48002', en: 'the app is not in 「可调用应用」: its customer API calls get 48002' },
  appArchive: { zh: '允许自建应用调用会话存档接口（否则 48002）', en: 'let the app call the chat-archive APIs (else 48002)' },
  contactsDetail: { zh: '通讯录同步 Secret 可读详情（关闭 48009 规则）', en: 'let the contact-sync secret read details (turns off the 48009 rule)' },
  sensitive: { zh: '自建应用可获取手机号、邮箱等敏感字段（2022-06-20 前创建的应用）', en: 'the app receives mobile, email and other sensitive fields (apps created before 2022-06-20)' },
  perMinute: { zh: '每个接口每分钟调用上限（45009），默认企业微信的 10000', en: 'calls per endpoint per minute (45009); default WeCom’s 10000' },
  perHour: { zh: '每个接口每小时调用上限（45009），默认 150000', en: 'calls per endpoint per hour (45009); default 150000' },
  concurrency: { zh: '客户数据接口同时在途请求上限（45033），默认 5', en: 'calls in flight at once on customer-data endpoints (45033); default 5' },
  responseDelay: { zh: '每个应答额外延迟（毫秒），使并发上限可被触发', en: 'extra delay on every answer (ms), so concurrency caps can bite' },
  fault5xx: { zh: '故障注入：以该比例返回 HTTP 5xx（0–1）', en: 'fault: fraction of calls answered with HTTP 5xx (0–1)' },
  faultDrop: { zh: '故障注入：以该比例直接断开连接（0–1）', en: 'fault: fraction of calls whose connection is dropped (0–1)' },
  faultSlow: { zh: '故障注入：以该比例慢应答（0–1）', en: 'fault: fraction of slow answers (0–1)' },
  faultSlowMs: { zh: '慢应答的延迟（毫秒）', en: 'latency of a slow answer (ms)' },
  faultBusy: { zh: '故障注入：以该比例返回 errcode -1 系统繁忙（0–1）', en: 'fault: fraction of calls answered errcode -1, system busy (0–1)' },
  faultEndpoints: { zh: '故障只作用于这些接口（目录名或路径，逗号分隔）', en: 'apply faults only to these endpoints (catalogue names or paths, comma-separated)' },
  noArchive: { zh: '不加载会话存档扩展', en: 'do not load the chat-archive extension' },
  callbackUrl: { zh: '回调接收方的根地址（如 http://127.0.0.1:8080）：模拟的变更以企业微信的方式加密后 POST 到 <根地址>/callback/<企业ID>/<类型>；也可经 POST /__sandbox/callbacks 设置', en: 'base URL of the callback receiver (e.g. http://127.0.0.1:8080): simulated changes are POSTed, encrypted as WeCom does, to <base>/callback/<corpId>/<kind>; also settable with POST /__sandbox/callbacks' },
  callbackKinds: { zh: '配置了回调 URL 的类型，逗号分隔（app、contacts、customer、archive），默认 contacts,customer,archive', en: 'callback kinds with a URL configured, comma-separated (app, contacts, customer, archive); default contacts,customer,archive' },
  callbackRetryDelays: { zh: '网络失败或超时后重试前的等待（毫秒，逗号分隔，个数即重试次数），默认 1000,2000,4000', en: 'pauses before the retries after a network failure or time-out (ms, comma-separated; their count is the number of retries); default 1000,2000,4000' },
  eventsPerMinute: { zh: '每分钟随机模拟的变更数（由种子决定，随沙箱时钟推进），用于演示与长时间测试；0 = 关闭', en: 'random simulated changes per minute (from the seed, following the sandbox clock), for demos and soak tests; 0 = off' },
} satisfies Record<string, Text>;

const OUT = {
  started: { zh: 'WeCom 沙箱已启动：{url}', en: 'WeCom sandbox listening on {url}' },
  company: { zh: '企业 {corpId}（{corp}，种子 {seed}，{size}）：部门 {departments}，成员 {employees}，客户 {customers}，跟进关系 {follow_relations}，客户群 {groups}', en: 'Corp {corpId} ({corp}, seed {seed}, {size}): {departments} departments, {employees} members, {customers} customers, {follow_relations} follow relations, {groups} customer groups' },
  config: { zh: '配置已写入 {file}（权限 0600）', en: 'Config written to {file} (mode 0600)' },
  control: { zh: '控制接口：{url}/__sandbox（summary、faults、rules、limits、clock、tokens/revoke、callbacks、events）', en: 'Control endpoints: {url}/__sandbox (summary, faults, rules, limits, clock, tokens/revoke, callbacks, events)' },
  callbacks: { zh: '回调发往 {base}/callback/{corpId}/<类型>（{kinds}）', en: 'Callbacks go to {base}/callback/{corpId}/<kind> ({kinds})' },
  stop: { zh: '按 Ctrl+C 停止。', en: 'Press Ctrl+C to stop.' },
  badOption: { zh: '选项 {option} 的值 “{value}” 无效', en: 'Invalid value "{value}" for {option}' },
  badOptionWhy: { zh: '应为{expected}', en: 'Expected {expected}' },
  badOptionFix: { zh: '运行 wecom-archive sandbox --help 查看各选项', en: 'Run wecom-archive sandbox --help to see every option' },
} satisfies Record<string, Text>;

interface SandboxFlags {
  port: string; host: string; seed: string; size: string; configOut?: string; trustedIp?: string[]; tokenTtl: string;
  now?: string; appScope?: string; appCustomer: boolean; appArchive?: boolean; contactsDetailAllowed?: boolean;
  appSensitiveFields?: boolean; rateLimitPerMinute?: string; rateLimitPerHour?: string; concurrency?: string;
  responseDelay?: string; fault5xx?: string; faultDrop?: string; faultSlow?: string; faultSlowMs?: string;
  faultBusy?: string; faultEndpoints?: string; archive: boolean; callbackUrl?: string; callbackKinds?: string;
  callbackRetryDelays?: string; eventsPerMinute?: string;
}

function badOption(option: string, value: string, expected: Text): UserError {
  return new UserError('sandbox_invalid_option', {
    what: OUT.badOption, why: { zh: t(OUT.badOptionWhy, 'zh', { expected: expected.zh }), en: t(OUT.badOptionWhy, 'en', { expected: expected.en }) },
    fix: OUT.badOptionFix, vars: { option, value },
  });
}

const INTEGER: Text = { zh: '非负整数', en: 'a non-negative integer' };
const RATE: Text = { zh: '0 到 1 之间的小数', en: 'a fraction between 0 and 1' };

function integer(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw badOption(option, value, INTEGER);
  return Number(value);
}

function rate(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw badOption(option, value, RATE);
  return n;
}

const LISTEN_WHY: Record<string, Text> = {
  EADDRINUSE: { zh: '该端口已被其他程序（或另一个沙箱）占用', en: 'Another program (or another sandbox) already uses that port' },
  EACCES: { zh: '没有权限监听该端口（1024 以下的端口需要 root）', en: 'No permission to listen on that port (ports below 1024 need root)' },
  EADDRNOTAVAIL: { zh: '本机没有这个地址', en: 'This machine has no such address' },
};

function cannotListen(code: string, host: string, port: number, cause: unknown): UserError {
  return new UserError('sandbox_cannot_listen', {
    what: { zh: '沙箱无法监听 {host}:{port}', en: 'The sandbox cannot listen on {host}:{port}' },
    why: LISTEN_WHY[code]!,
    fix: { zh: '换一个端口（--port 0 自动选择空闲端口），或先停止占用该端口的程序', en: 'Choose another port (--port 0 picks a free one), or stop the program that holds it' },
    vars: { host, port },
  }, { cause });
}

/** Turns the flags into startSandbox options, refusing bad values with a readable error. */
export function optionsFromFlags(flags: SandboxFlags): SandboxOptions {
  if (flags.size !== 'small' && flags.size !== 'large') throw badOption('--size', flags.size, { zh: 'small 或 large', en: 'small or large' });
  const now = flags.now === undefined ? undefined : new Date(flags.now);
  if (now && Number.isNaN(now.getTime())) throw badOption('--now', flags.now!, { zh: 'ISO 时间，如 2025-06-01T09:00:00+08:00', en: 'an ISO time such as 2025-06-01T09:00:00+08:00' });
  const scope = flags.appScope?.split(',').map((s) => s.trim()).filter(Boolean);
  if (scope?.some((s) => !/^\d+$/.test(s))) throw badOption('--app-scope', flags.appScope!, { zh: '逗号分隔的部门 ID', en: 'comma-separated department ids' });
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    callbacks: callbackOptions(flags),
    port: integer('--port', flags.port), host: flags.host, seed: integer('--seed', flags.seed), size: flags.size, now,
    tokenTtlSeconds: integer('--token-ttl', flags.tokenTtl), trustedIps: flags.trustedIp ?? [],
    rules: defined({
      appScope: scope ? { departments: scope.map(Number), users: [] } : undefined,
      appCustomerAllowed: flags.appCustomer, appArchiveAllowed: flags.appArchive,
      contactsDetailForbidden: flags.contactsDetailAllowed ? false : undefined, appSensitiveFields: flags.appSensitiveFields,
    }),
    limits: defined({
      perMinute: integer('--rate-limit-per-minute', flags.rateLimitPerMinute), perHour: integer('--rate-limit-per-hour', flags.rateLimitPerHour),
      concurrency: integer('--concurrency', flags.concurrency), responseDelayMs: integer('--response-delay', flags.responseDelay),
    }),
    faults: defined({
      http5xxRate: rate('--fault-5xx', flags.fault5xx), dropRate: rate('--fault-drop', flags.faultDrop),
      slowRate: rate('--fault-slow', flags.faultSlow), slowMs: integer('--fault-slow-ms', flags.faultSlowMs),
      busyRate: rate('--fault-busy', flags.faultBusy), endpoints: flags.faultEndpoints?.split(',').map((s) => s.trim()).filter(Boolean),
    }),
  };
}

function callbackOptions(flags: SandboxFlags): NonNullable<SandboxOptions['callbacks']> {
  const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
  if (flags.callbackUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(flags.callbackUrl)) {
    throw badOption('--callback-url', flags.callbackUrl, { zh: 'http(s) 地址，如 http://127.0.0.1:8080', en: 'an http(s) URL such as http://127.0.0.1:8080' });
  }
  const kinds = flags.callbackKinds === undefined ? undefined : list(flags.callbackKinds);
  if (kinds?.some((k) => !(CALLBACK_KINDS as readonly string[]).includes(k))) {
    throw badOption('--callback-kinds', flags.callbackKinds!, { zh: 'app、contacts、customer、archive 中的若干个，逗号分隔', en: 'some of app, contacts, customer, archive, comma-separated' });
  }
  const delays = flags.callbackRetryDelays === undefined ? undefined : list(flags.callbackRetryDelays).map((d) => integer('--callback-retry-delays', d)!);
  return {
    url: flags.callbackUrl,
    kinds: kinds as Array<(typeof CALLBACK_KINDS)[number]> | undefined,
    eventsPerMinute: integer('--events-per-minute', flags.eventsPerMinute),
    ...(delays ? { delivery: { retryDelaysMs: delays } } : {}),
  };
}

/** The chat-archive extension, loaded only when the sandbox runs. */
async function archiveExtension(): Promise<SandboxExtensionFactory[]> {
  return [(await import('../../sandbox/archive/index.ts')).archiveExtension()];
}

async function run(ctx: CliContext, flags: SandboxFlags): Promise<number> {
  const options = optionsFromFlags(flags);
  const { startSandbox } = await import('../../sandbox/index.ts');
  const extensions = flags.archive ? await archiveExtension() : [];
  const sandbox = await startSandbox({ ...options, extensions }).catch((err: unknown) => {
    // Settings that are valid one by one but not together (fault rates adding up to more than 1).
    if (err instanceof SettingsError) throw badOption('sandbox', err.message, { zh: '一致的选项组合', en: 'a consistent set of options' });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') throw cannotListen(code, options.host ?? '127.0.0.1', options.port ?? 0, err);
    throw err;
  });
  const configFile = flags.configOut ? resolve(flags.configOut) : undefined;
  if (configFile) await sandbox.writeConfig(configFile);
  const summary = sandbox.summary();
  const callbacks = sandbox.callbacks.status();
  if (ctx.json) printJson({ url: sandbox.url, corpId: sandbox.corpId, agentId: sandbox.agentId, configFile, callbackUrl: callbacks.url, summary });
  else {
    const vars = { url: sandbox.url, corpId: sandbox.corpId, corp: sandbox.company.corpName.short, seed: sandbox.company.seed, size: sandbox.company.size, ...summary };
    const lines = [t(OUT.started, ctx.lang, vars), t(OUT.company, ctx.lang, vars)];
    if (configFile) lines.push(t(OUT.config, ctx.lang, { file: configFile }));
    if (callbacks.url) lines.push(t(OUT.callbacks, ctx.lang, { base: callbacks.url, corpId: sandbox.corpId, kinds: callbacks.kinds.join(', ') }));
    lines.push(t(OUT.control, ctx.lang, vars), t(OUT.stop, ctx.lang));
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await sandbox.close();
  return 0;
}

export function registerSandbox(program: Command): void {
  // Help is shown in the language asked for on the command line (the global flag is not parsed yet).
  const lang = resolveLang(langFlag(process.argv));
  const h = (text: Text) => t(text, lang);
  program.command('sandbox')
    .description(h(HELP.command))
    .option('--port <port>', h(HELP.port), '8090')
    .option('--host <address>', h(HELP.host), '127.0.0.1')
    .option('--seed <n>', h(HELP.seed), '1')
    .option('--size <size>', h(HELP.size), 'small')
    .option('--config-out <file>', h(HELP.configOut))
    .option('--trusted-ip <cidr...>', h(HELP.trustedIp))
    .option('--token-ttl <seconds>', h(HELP.tokenTtl), '7200')
    .option('--now <iso-time>', h(HELP.now))
    .option('--app-scope <department-ids>', h(HELP.appScope))
    .option('--no-app-customer', h(HELP.noAppCustomer))
    .option('--app-archive', h(HELP.appArchive))
    .option('--contacts-detail-allowed', h(HELP.contactsDetail))
    .option('--app-sensitive-fields', h(HELP.sensitive))
    .option('--rate-limit-per-minute <n>', h(HELP.perMinute))
    .option('--rate-limit-per-hour <n>', h(HELP.perHour))
    .option('--concurrency <n>', h(HELP.concurrency))
    .option('--response-delay <ms>', h(HELP.responseDelay))
    .option('--fault-5xx <rate>', h(HELP.fault5xx))
    .option('--fault-drop <rate>', h(HELP.faultDrop))
    .option('--fault-slow <rate>', h(HELP.faultSlow))
    .option('--fault-slow-ms <ms>', h(HELP.faultSlowMs))
    .option('--fault-busy <rate>', h(HELP.faultBusy))
    .option('--fault-endpoints <list>', h(HELP.faultEndpoints))
    .option('--no-archive', h(HELP.noArchive))
    .option('--callback-url <base>', h(HELP.callbackUrl))
    .option('--callback-kinds <list>', h(HELP.callbackKinds))
    .option('--callback-retry-delays <ms-list>', h(HELP.callbackRetryDelays))
    .option('--events-per-minute <n>', h(HELP.eventsPerMinute))
    .action(action((ctx, flags: SandboxFlags) => run(ctx, flags)));
}

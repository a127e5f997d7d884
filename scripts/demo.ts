/**
 * `npm run demo`: the whole product against a local WeCom, with no credentials. Starts the sandbox
 * (a generated company with its chat archive), writes a config for it under ./demo, and runs the real
 * CLI against it step by step, on the embedded SQLite store, so a newcomer sees what each command does.
 * Then it keeps running: `serve` over that store, the sandbox pushing a live stream of changes to it
 * as callbacks, an API token printed once, until Ctrl+C (scripts/demo-live.ts).
 * In Chinese, or in English with `npm run demo -- --lang en` (or WECOM_ARCHIVE_LANG=en).
 *
 * Options: `--no-serve` stops after the steps (the default when CI=true; `--serve` forces the live
 * part), `--events-per-minute N` (default 6), `--quick` runs only the set-up and sync steps (tests).
 * WECOM_ARCHIVE_DEMO_DIR puts the demo's folder elsewhere than ./demo (tests).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sandboxConfig } from '../src/doctor/sandbox.ts';
import { langFlag, resolveLang, t, type Text } from '../src/i18n/index.ts';
import { archiveExtension } from '../src/sandbox/archive/index.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { closingHint } from './demo-hint.ts';
import { runLive } from './demo-live.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoDir = resolve(process.env.WECOM_ARCHIVE_DEMO_DIR ?? resolve(root, 'demo'));
const bin = resolve(root, 'bin/wecom-archive');
const lang = resolveLang(langFlag(process.argv));
const argv = process.argv.slice(2);
const live = argv.includes('--serve') || (!argv.includes('--no-serve') && process.env.CI !== 'true');
const quick = argv.includes('--quick');
const perMinuteAt = argv.indexOf('--events-per-minute');
const eventsPerMinute = perMinuteAt >= 0 ? Number(argv[perMinuteAt + 1]) : 6;
if (!Number.isFinite(eventsPerMinute) || eventsPerMinute < 0) throw new Error('--events-per-minute takes a number of changes per minute');
const say = (text: Text, vars?: Record<string, string | number>) => process.stdout.write(`${t(text, lang, vars)}\n`);

rmSync(demoDir, { recursive: true, force: true });
mkdirSync(demoDir, { recursive: true });
// A smaller archive than the sandbox's default, so the demo (media included) takes about a minute.
const sandbox = await startSandbox({ seed: 7, size: 'small', port: 0, extensions: [archiveExtension({ messages: 1200 })] });
const configFile = resolve(demoDir, 'wecom.env');
await sandbox.writeConfig(configFile);
say({
  zh: '\n▶ 沙箱企业微信：{url}；配置已写入 {config}；数据在 {data}',
  en: '\n▶ sandbox WeCom at {url}; config written to {config}; data in {data}',
}, { url: sandbox.url, config: configFile, data: resolve(demoDir, 'data') });

const steps: Array<{ title: Text; args: string[] }> = [
  { title: { zh: '检查配置', en: 'Check the set-up' }, args: ['doctor'] },
  { title: { zh: '手动调用一个接口', en: 'Call an endpoint by hand' }, args: ['call', 'department/list'] },
  { title: { zh: '同步通讯录、客户和客户群', en: 'Sync the directory, customers and groups' }, args: ['sync'] },
  { title: { zh: '查询成员', en: 'Look up employees' }, args: ['employees', '--limit', '5'] },
  { title: { zh: '查询销售部门的客户', en: 'Look up customers of the sales department' }, args: ['customers', '--department', '2', '--limit', '5'] },
  { title: { zh: '拉取会话存档（及媒体文件）', en: 'Pull the chat archive (and its media)' }, args: ['archive', 'pull'] },
  { title: { zh: '校验哈希链', en: 'Check the hash chain' }, args: ['archive', 'verify'] },
  { title: { zh: '谁在存档范围内，谁同意了存档', en: 'Who is archived, who consented' }, args: ['archive', 'coverage'] },
  { title: { zh: '存档状态', en: 'Archive status' }, args: ['archive', 'status'] },
  { title: { zh: '搜索消息（中文全文）', en: 'Search messages (Chinese full text)' }, args: ['search', '报价单', '--limit', '5'] },
  { title: { zh: '列出会话', en: 'List conversations' }, args: ['conversations', '--limit', '5'] },
];

/** With --quick, only what the live part needs: the set-up checked and the store synced. */
const QUICK = new Set(['doctor', 'sync']);

let failed = 0;
for (const step of steps.filter((s) => !quick || QUICK.has(s.args[0]!))) {
  say({ zh: '\n▶ {title}：wecom-archive {args}', en: '\n▶ {title}: wecom-archive {args}' }, { title: t(step.title, lang), args: step.args.join(' ') });
  if ((await run(step.args)).code !== 0) failed += 1;
}
const listed = quick ? undefined : await run(['conversations', '--limit', '1', '--json'], true);
const id = (JSON.parse(listed?.stdout || '{}') as { conversations?: Array<{ id: string }> }).conversations?.[0]?.id;
if (id) {
  say({ zh: '\n▶ 阅读一个会话：wecom-archive conversation "{id}" --limit 15', en: '\n▶ Read one conversation: wecom-archive conversation "{id}" --limit 15' }, { id });
  if ((await run(['conversation', id, '--limit', '15'])).code !== 0) failed += 1;
}
const coverage = quick ? undefined : await run(['archive', 'coverage', '--no-refresh', '--json'], true);
const refusing = (JSON.parse(coverage?.stdout || '{}') as { coverage?: { consent: { refusing: Array<{ customer: { id: string } }> } } })
  .coverage?.consent.refusing[0]?.customer.id;
if (refusing) {
  say({
    zh: '\n▶ 一位拒绝存档的客户及其同意记录：wecom-archive customers {id}',
    en: '\n▶ A customer who refuses archiving, with their consent history: wecom-archive customers {id}',
  }, { id: refusing });
  if ((await run(['customers', refusing])).code !== 0) failed += 1;
}
const restart = sandboxConfig({ apiBase: sandbox.url, file: configFile, corpId: sandbox.corpId })?.command ?? 'wecom-archive sandbox';
if (live && !failed) {
  const write = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if ((await runLive({ lang, sandbox, bin, configFile, cwd: demoDir, eventsPerMinute, write })) !== 0) failed += 1;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    failed += 1;
  }
}
await sandbox.close();
if (failed) say({ zh: '\n{count} 个演示步骤失败。', en: '\n{count} demo step(s) failed.' }, { count: failed });
else process.stdout.write(`\n${closingHint({ lang, cwd: process.env.INIT_CWD ?? process.cwd(), configFile, bin, restart })}\n`);
process.exitCode = failed ? 1 : 0;

/** One CLI run as an async child: the sandbox runs in this process, so a sync spawn would block it. */
function run(args: string[], capture = false): Promise<{ code: number; stdout: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [bin, ...args, '--config', configFile, '--lang', lang], {
      cwd: demoDir, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk) => { stdout += chunk; });
    child.on('close', (code) => resolveRun({ code: code ?? 1, stdout }));
  });
}

import { isAbsolute, relative } from 'node:path';
import type { Lang, Text } from '../src/i18n/index.ts';
import { t } from '../src/i18n/index.ts';

/**
 * The demo's closing lines: how to go on with the store it filled, from the folder the user ran
 * `npm run demo` in (npm runs scripts from the package root; INIT_CWD is where the user was). Paths
 * are relative when that folder holds them (`--config demo/wecom.env`), absolute otherwise.
 */
export interface ClosingHintInput {
  lang: Lang;
  /** Where the user is. */
  cwd: string;
  configFile: string;
  bin: string;
  /** `wecom-archive sandbox …` that starts the demo's sandbox again (src/doctor/sandbox.ts). */
  restart: string;
}

const HINT: Text = {
  zh: [
    '演示结束。沙箱已停止；数据库保留在配置文件旁的 data 文件夹中，读取命令无需沙箱：',
    '  {bin} employees --config {config}',
    '  {bin} search 报价单 --config {config}',
    '要继续调用企业微信（doctor、sync、archive pull、call），先在另一个终端重新启动沙箱：',
    '  {restart}',
  ].join('\n'),
  en: [
    'Demo finished. The sandbox has stopped; the database stays in the data folder beside the config, and reading commands need no sandbox:',
    '  {bin} employees --config {config}',
    '  {bin} search 报价单 --config {config}',
    'To call WeCom again (doctor, sync, archive pull, call), first start the sandbox again in another terminal:',
    '  {restart}',
  ].join('\n'),
};

/** A path as the user at `cwd` can type it. */
export function pathFrom(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function closingHint(input: ClosingHintInput): string {
  const bin = pathFrom(input.cwd, input.bin);
  // `bin/wecom-archive` typed as is would be looked up on PATH only without a slash: keep one.
  const runnable = bin.includes('/') ? bin : `./${bin}`;
  return t(HINT, input.lang, {
    bin: runnable,
    config: pathFrom(input.cwd, input.configFile),
    restart: input.restart.replace(/^wecom-archive /, `${runnable} `),
  });
}

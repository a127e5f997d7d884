import type { Command } from 'commander';
import { effectiveValues } from '../../config/display.ts';
import { describeProblem, loadConfig } from '../../config/load.ts';
import { t } from '../../i18n/index.ts';
import { action } from '../context.ts';
import { printJson, renderTable } from '../output.ts';

const SOURCE_LABEL = {
  env: { zh: '环境变量', en: 'environment' },
  file: { zh: '配置文件', en: 'config file' },
  default: { zh: '默认值', en: 'default' },
} as const;

export function registerConfig(program: Command): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('show')
    .description('print the effective configuration and where each value came from (secrets redacted)')
    .action(action(async (ctx) => {
      const loaded = await loadConfig({ configFile: ctx.configFile, strict: false });
      const values = effectiveValues(loaded);
      const problems = loaded.problems.map((p) => ({ severity: p.severity, key: p.key, message: describeProblem(p, ctx.lang) }));
      if (ctx.json) {
        printJson({ file: loaded.file ?? null, values, problems });
      } else {
        const header = ctx.lang === 'zh' ? ['配置项', '值', '来源'] : ['Key', 'Value', 'Source'];
        const rows = values.map((v) => [v.key, v.value, t(SOURCE_LABEL[v.source as keyof typeof SOURCE_LABEL], ctx.lang)]);
        process.stdout.write(`${loaded.file ?? t({ zh: '（未读取配置文件）', en: '(no config file read)' }, ctx.lang)}\n`);
        process.stdout.write(`${renderTable(header, rows)}\n`);
        for (const p of problems) process.stdout.write(`${p.severity === 'error' ? '❌' : '⚠'} ${p.message}\n`);
      }
      return problems.some((p) => p.severity === 'error') ? 1 : 0;
    }));
}

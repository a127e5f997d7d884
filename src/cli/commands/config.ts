import type { Command } from 'commander';
import { t } from '../../i18n/index.ts';
import type { CorpConfig } from '../../services/types/index.ts';
import { action } from '../context.ts';
import { printJson, renderTable } from '../output.ts';

const SOURCE_LABEL = {
  env: { zh: '环境变量', en: 'environment' },
  file: { zh: '配置文件', en: 'config file' },
  default: { zh: '默认值', en: 'default' },
} as const;
const HEADER = [{ zh: '配置项', en: 'Key' }, { zh: '值', en: 'Value' }, { zh: '来源', en: 'Source' }];
const NO_FILE = { zh: '（未读取配置文件）', en: '(no config file read)' };

export function registerConfig(program: Command): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('show')
    .description('print the effective configuration of each corp and where each value came from (secrets redacted)')
    .action(action(async (ctx) => {
      const { showConfig } = await import('../../services/config.ts');
      const report = await showConfig(await ctx.runtime({ strict: false, reportsProblems: true }), { corpId: ctx.corp, lang: ctx.lang });
      if (ctx.json) printJson(report);
      else process.stdout.write(report.corps.map((corp) => render(corp, ctx.lang, report.corps.length > 1)).join('\n'));
      return report.corps.some((corp) => corp.problems.some((p) => p.severity === 'error')) ? 1 : 0;
    }));
}

/** One corp: its file (and corp id when several are shown), the table, then its problems. */
function render(corp: CorpConfig, lang: 'zh' | 'en', several: boolean): string {
  const file = corp.file ?? t(NO_FILE, lang);
  const title = several ? `${corp.corpId ?? '-'}  ${file}` : file;
  const rows = corp.values.map((v) => [v.key, v.value, t(SOURCE_LABEL[v.source], lang)]);
  const problems = corp.problems.map((p) => `${p.severity === 'error' ? '❌' : '⚠'} ${p.message}\n`).join('');
  return `${title}\n${renderTable(HEADER.map((h) => t(h, lang)), rows)}\n${problems}`;
}

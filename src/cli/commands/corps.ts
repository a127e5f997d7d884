import type { Command } from 'commander';
import { formatDuration } from '../../archive/status/render.ts';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { CorpOverview } from '../../services/types/corps.ts';
import { formatTime } from '../../util/time.ts';
import { action } from '../context.ts';
import { printJson, renderTable } from '../output.ts';

/**
 * `wecom-archive corps`: the configured corps (or `--corp`'s): credentials configured, last sync,
 * archive position and lag. Reads only: on a deployment with nothing synced yet it says "never".
 */

const TEXT = {
  corp: { zh: '企业', en: 'Corp' },
  credentials: { zh: '凭据', en: 'Credentials' },
  lastSync: { zh: '上次同步', en: 'Last sync' },
  archive: { zh: '存档 seq', en: 'Archive seq' },
  messages: { zh: '消息数', en: 'Messages' },
  lag: { zh: '最新消息距今', en: 'Lag' },
  never: { zh: '从未', en: 'never' },
  none: { zh: '无', en: 'none' },
} satisfies Record<string, Text>;

/** Short: the table must fit 120 columns with every credential configured. */
const CREDENTIAL: Record<string, Text> = {
  app: { zh: '应用', en: 'app' },
  contacts: { zh: '通讯录', en: 'contacts' },
  customer: { zh: '客户', en: 'customer' },
  archive: { zh: '存档', en: 'archive' },
};

const RUN_STATUS: Record<string, Text> = {
  running: { zh: '进行中', en: 'running' },
  succeeded: { zh: '成功', en: 'succeeded' },
  partial: { zh: '部分成功', en: 'partial' },
  failed: { zh: '失败', en: 'failed' },
};

function row(corp: CorpOverview, lang: Lang): string[] {
  const never = t(TEXT.never, lang);
  const sync = corp.lastSync
    ? `${formatTime(corp.lastSync.finishedAt ?? corp.lastSync.startedAt).slice(0, 16)} ${t(RUN_STATUS[corp.lastSync.status] ?? { zh: corp.lastSync.status, en: corp.lastSync.status }, lang)}`
    : never;
  return [
    corp.corpId,
    corp.credentials.map((kind) => t(CREDENTIAL[kind]!, lang)).join(lang === 'zh' ? '、' : '/') || t(TEXT.none, lang),
    sync,
    corp.archive.lastSeq ?? never,
    String(corp.archive.messages),
    corp.archive.lagMs === null ? never : formatDuration(corp.archive.lagMs),
  ];
}

export function registerCorps(program: Command): void {
  program
    .command('corps')
    .description('the configured corps: credentials, last sync, archive position and lag')
    .action(action(async (ctx) => {
      const rt = await ctx.runtime({ strict: false });
      const { listCorps } = await import('../../services/corps.ts');
      const report = await listCorps(rt, { corpId: ctx.corp });
      if (ctx.json) {
        printJson(report);
        return 0;
      }
      const headers = [TEXT.corp, TEXT.credentials, TEXT.lastSync, TEXT.archive, TEXT.messages, TEXT.lag].map((h) => t(h, ctx.lang));
      process.stdout.write(`${renderTable(headers, report.corps.map((corp) => row(corp, ctx.lang)))}\n`);
      return 0;
    }));
}

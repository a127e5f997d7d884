import type { Command } from 'commander';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import { UNKNOWN_TIME } from '../../archive/reading/time.ts';
import { READING_MAX_LIMIT, type SearchHitItem } from '../../services/types/reading.ts';
import { action } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printJson, renderTable } from '../output.ts';
import { wrapToFit, type WrapColumn } from '../wrap.ts';

interface SearchOptions {
  from?: string;
  to?: string;
  employee?: string;
  customer?: string;
  conversation?: string;
  type?: string;
  limit?: string;
}

const TEXT = {
  head: {
    corp: { zh: '企业', en: 'Corp' }, time: { zh: '时间', en: 'Time' }, conversation: { zh: '会话', en: 'Conversation' },
    sender: { zh: '发送者', en: 'Sender' }, type: { zh: '类型', en: 'Type' }, text: { zh: '内容', en: 'Text' },
  },
  count: { zh: '共 {count} 条结果', en: '{count} hit(s)' },
  truncated: { zh: '显示前 {count} 条，还有更多；用 --limit 查看更多，或用 --from/--to 缩小范围', en: 'Showing the first {count}; there are more: raise --limit, or narrow with --from/--to' },
  scan: {
    zh: '提示：少于 3 个字的搜索无法使用全文索引，会逐条扫描，可能较慢',
    en: 'Note: searches shorter than 3 characters cannot use the full-text index and scan every message, which may be slow',
  },
} satisfies Record<string, Text | Record<string, Text>>;

/**
 * `wecom-archive search <text>`: messages containing the text (file names and forwarded chat
 * histories included), newest first, with time (Asia/Shanghai), conversation, sender and a snippet
 * wrapped to fit the terminal.
 */
export function registerSearch(program: Command): void {
  program
    .command('search <text>')
    .description('search archived messages (every word, in any order: Chinese substrings, file names, forwarded chats), newest first')
    .option('--from <time>', 'from this time (2026-11-20, 2026-11-20 14:00; China time)')
    .option('--to <time>', 'until this time (a date includes its whole day)')
    .option('--employee <userid|name>', 'messages this employee sent or received')
    .option('--customer <external_userid|name>', 'messages this customer sent or received')
    .option('--conversation <id>', 'only this conversation (ids from `conversations`)')
    .option('--type <types>', 'message types, comma-separated (text,file,chatrecord,switch…)')
    .option('--limit <n>', 'at most n hits (default 50)')
    .action(action(async (ctx, text: string, opts: SearchOptions) => {
      const { searchMessages } = await import('../../services/reading.ts');
      const limit = intOption('--limit', opts.limit, READING_MAX_LIMIT);
      const rt = await ctx.runtime();
      const result = await searchMessages(rt, {
        text, from: opts.from, to: opts.to, employee: opts.employee, customer: opts.customer, conversation: opts.conversation,
        types: opts.type, limit, corp: ctx.corp, lang: ctx.lang,
      });
      if (ctx.json) {
        printJson(result);
        return 0;
      }
      if (result.hits.length) process.stdout.write(`${table(result.hits, rt.corps(ctx.corp).length > 1, ctx.lang)}\n`);
      ctx.info(result.truncated ? TEXT.truncated : TEXT.count, { count: result.hits.length });
      if (!result.indexed) ctx.info(TEXT.scan);
      return 0;
    }));
}

/** Time, corp and type are never cut; the conversation, sender and snippet wrap to fit 120 columns, the snippet taking the room left. */
function table(hits: SearchHitItem[], withCorp: boolean, lang: Lang): string {
  const h = TEXT.head;
  const columns: Array<WrapColumn & { head: Text; cell: (hit: SearchHitItem) => string }> = [
    ...(withCorp ? [{ head: h.corp, keep: true, cell: (hit: SearchHitItem) => hit.corpId }] : []),
    { head: h.time, keep: true, cell: (hit) => hit.timeText ?? t(UNKNOWN_TIME, lang) },
    { head: h.conversation, max: 24, cell: (hit) => hit.conversation.title },
    { head: h.sender, max: 16, cell: (hit) => hit.sender?.label ?? '' },
    { head: h.type, keep: true, cell: (hit) => hit.typeLabel },
    { head: h.text, cell: (hit) => hit.snippet },
  ];
  const headers = columns.map((c) => t(c.head, lang));
  const cells = hits.map((hit) => columns.map((c) => c.cell(hit)));
  return renderTable(headers, wrapToFit(headers, cells, columns));
}

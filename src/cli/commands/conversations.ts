import type { Command } from 'commander';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import { UNKNOWN_TIME } from '../../archive/reading/time.ts';
import { READING_MAX_LIMIT, type ConversationItem } from '../../services/types/reading.ts';
import { action } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printJson, renderTable } from '../output.ts';
import { wrapToFit, type WrapColumn } from '../wrap.ts';

interface ConversationsOptions {
  employee?: string;
  customer?: string;
  type?: string;
  search?: string;
  limit?: string;
}

const TEXT = {
  head: {
    corp: { zh: '企业', en: 'Corp' }, last: { zh: '最后消息', en: 'Last message' }, kind: { zh: '类型', en: 'Kind' },
    title: { zh: '名称', en: 'Name' }, id: { zh: 'ID', en: 'Id' },
  },
  kind: { single: { zh: '单聊', en: 'single' }, group: { zh: '群聊', en: 'group' }, system: { zh: '系统', en: 'system' } },
  count: { zh: '共 {count} 个会话；查看：wecom-archive conversation "<ID>"（ID 含 |，须加引号）', en: '{count} conversation(s); read one with: wecom-archive conversation "<id>" (quoted: ids hold a |)' },
  truncated: {
    zh: '显示前 {shown} 个，共 {total} 个，用 --limit 查看更多；查看：wecom-archive conversation "<ID>"（ID 含 |，须加引号）',
    en: 'Showing the first {shown} of {total}: raise --limit to see more; read one with: wecom-archive conversation "<id>" (quoted: ids hold a |)',
  },
} satisfies Record<string, Text | Record<string, Text>>;

/** `wecom-archive conversations`: archived conversations, most recently active first, with names. */
export function registerConversations(program: Command): void {
  program
    .command('conversations')
    .description('list archived conversations with names and last message time, most recent first')
    .option('--employee <userid|name>', 'conversations this employee took part in (and their system log)')
    .option('--customer <external_userid|name>', 'conversations this customer took part in')
    .option('--type <kind>', 'single (1:1), group, or system (a member\'s company switches)')
    .option('--search <text>', 'group name, id, or the name of someone in a 1:1 chat contains the text')
    .option('--limit <n>', 'at most n conversations (default 50)')
    .action(action(async (ctx, opts: ConversationsOptions) => {
      const { listConversations } = await import('../../services/reading.ts');
      const limit = intOption('--limit', opts.limit, READING_MAX_LIMIT);
      const rt = await ctx.runtime();
      const result = await listConversations(rt, {
        corp: ctx.corp, employee: opts.employee, customer: opts.customer, kind: opts.type, search: opts.search, limit, lang: ctx.lang,
      });
      if (ctx.json) {
        printJson(result);
        return 0;
      }
      const { conversations } = result;
      // A corp column only when the rows may come from more than one corp.
      const withCorp = rt.corps(ctx.corp).length > 1;
      if (conversations.length) process.stdout.write(`${table(conversations, withCorp, ctx.lang)}\n`);
      if (result.truncated) ctx.info(TEXT.truncated, { shown: conversations.length, total: result.total });
      else ctx.info(TEXT.count, { count: conversations.length });
      return 0;
    }));
}

function table(rows: ConversationItem[], withCorp: boolean, lang: Lang): string {
  const h = TEXT.head;
  const columns: Array<WrapColumn & { head: Text; cell: (c: ConversationItem) => string }> = [
    ...(withCorp ? [{ head: h.corp, keep: true, cell: (c: ConversationItem) => c.corpId }] : []),
    { head: h.last, keep: true, cell: (c) => c.lastTime ?? t(UNKNOWN_TIME, lang) },
    { head: h.kind, keep: true, cell: (c) => t(TEXT.kind[c.kind], lang) },
    { head: h.title, cell: (c) => c.title },
    // The id is what `conversation <id>` takes: never cut.
    { head: h.id, keep: true, cell: (c) => c.id },
  ];
  const headers = columns.map((c) => t(c.head, lang));
  const cells = rows.map((row) => columns.map((c) => c.cell(row)));
  return renderTable(headers, wrapToFit(headers, cells, columns));
}

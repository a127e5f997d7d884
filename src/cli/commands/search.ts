import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { t } from '../../i18n/index.ts';
import { action } from '../context.ts';
import { intOption, MAX_LIMIT } from '../int-option.ts';
import { printJson, renderTable } from '../output.ts';

interface SearchOptions {
  from?: string;
  to?: string;
  employee?: string;
  customer?: string;
  conversation?: string;
  type?: string;
  limit?: string;
}

/**
 * `wecom-archive search <text>`: messages containing the text (file names and forwarded chat
 * histories included), newest first, with time (Asia/Shanghai), conversation, sender and a snippet.
 */
export function registerSearch(program: Command): void {
  program
    .command('search <text>')
    .description('search archived messages (Chinese substrings, file names, forwarded chats), newest first')
    .option('--from <time>', 'from this time (2026-11-20, 2026-11-20 14:00; China time)')
    .option('--to <time>', 'until this time (a date includes its whole day)')
    .option('--employee <userid|name>', 'messages this employee sent or received')
    .option('--customer <external_userid|name>', 'messages this customer sent or received')
    .option('--conversation <id>', 'only this conversation (ids from `conversations`)')
    .option('--type <types>', 'message types, comma-separated (text,file,chatrecord…)')
    .option('--limit <n>', 'at most n hits (default 50)')
    .action(action(async (ctx, text: string, opts: SearchOptions) => {
      const {
        conversationTitle, formatTime, openArchive, parseMsgtypes, parseTimeRange, partyLabel, resolvePerson,
        searchArchive, typeLabel,
      } = await import('../../archive/reading/index.ts');
      const range = parseTimeRange(opts.from, opts.to);
      const msgtypes = parseMsgtypes(opts.type);
      const limit = intOption('--limit', opts.limit, MAX_LIMIT) ?? 50;
      const { store, corpId } = await openArchive(await loadConfig({ configFile: ctx.configFile }));
      try {
        const employee = opts.employee === undefined ? undefined : await resolvePerson(store.db, corpId, 'employee', opts.employee);
        const customer = opts.customer === undefined ? undefined : await resolvePerson(store.db, corpId, 'customer', opts.customer);
        const { hits, indexed } = await searchArchive(store.db, corpId, {
          text, ...range, employee, customer, conversationId: opts.conversation, msgtypes, limit,
        });
        if (ctx.json) {
          printJson({
            ok: true, indexed,
            hits: hits.map((hit) => ({
              ...hit, timeText: hit.time === null ? null : formatTime(hit.time),
              conversation: { ...hit.conversation, title: conversationTitle(hit.conversation, ctx.lang) },
              sender: hit.sender && { ...hit.sender, label: partyLabel(hit.sender, ctx.lang) },
            })),
          });
          return 0;
        }
        const head = ctx.lang === 'zh' ? ['时间', '会话', '发送者', '类型', '内容'] : ['Time', 'Conversation', 'Sender', 'Type', 'Text'];
        if (hits.length) {
          process.stdout.write(`${renderTable(head, hits.map((hit) => [
            hit.time === null ? '' : formatTime(hit.time), conversationTitle(hit.conversation, ctx.lang),
            hit.sender ? partyLabel(hit.sender, ctx.lang) : '', typeLabel(hit.msgtype ?? '', ctx.lang), hit.snippet,
          ]))}\n`);
        }
        ctx.info({ zh: '共 {count} 条结果{more}', en: '{count} hit(s){more}' }, {
          count: hits.length, more: hits.length === limit ? t({ zh: '（可能还有更多，用 --limit 调大）', en: ' (there may be more: raise --limit)' }, ctx.lang) : '',
        });
        if (!indexed) ctx.info({ zh: '提示：少于 3 个字的搜索无法使用全文索引，会逐条扫描，可能较慢', en: 'Note: searches shorter than 3 characters cannot use the full-text index and scan every message, which may be slow' });
        return 0;
      } finally {
        await store.close();
      }
    }));
}

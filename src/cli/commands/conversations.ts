import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { CONVERSATION_KINDS, type ConversationKind } from '../../store/messages.table.ts';
import { UserError } from '../../util/errors.ts';
import { action } from '../context.ts';
import { intOption, MAX_LIMIT } from '../int-option.ts';
import { printJson, renderTable } from '../output.ts';

interface ConversationsOptions {
  employee?: string;
  customer?: string;
  type?: string;
  search?: string;
  limit?: string;
}

/** `wecom-archive conversations`: archived conversations, most recently active first, with names. */
export function registerConversations(program: Command): void {
  program
    .command('conversations')
    .description('list archived conversations with names and last message time, most recent first')
    .option('--employee <userid|name>', 'conversations this employee took part in')
    .option('--customer <external_userid|name>', 'conversations this customer took part in')
    .option('--type <kind>', 'single (1:1) or group')
    .option('--search <text>', 'group name, id, or the name of someone in a 1:1 chat contains the text')
    .option('--limit <n>', 'at most n conversations (default 50)')
    .action(action(async (ctx, opts: ConversationsOptions) => {
      const { conversationTitle, formatTime, listConversations, openArchive, resolvePerson } = await import('../../archive/reading/index.ts');
      const kind = parseKind(opts.type);
      const limit = intOption('--limit', opts.limit, MAX_LIMIT) ?? 50;
      const { store, corpId } = await openArchive(await loadConfig({ configFile: ctx.configFile }));
      try {
        const employee = opts.employee === undefined ? undefined : await resolvePerson(store.db, corpId, 'employee', opts.employee);
        const customer = opts.customer === undefined ? undefined : await resolvePerson(store.db, corpId, 'customer', opts.customer);
        const list = await listConversations(store.db, corpId, { employee, customer, kind, search: opts.search, limit });
        if (ctx.json) {
          printJson({
            ok: true,
            conversations: list.map((c) => ({ ...c, title: conversationTitle(c, ctx.lang), lastTime: c.lastMsgtime === null ? null : formatTime(c.lastMsgtime) })),
          });
          return 0;
        }
        const head = ctx.lang === 'zh' ? ['最后消息', '类型', '名称', 'ID'] : ['Last message', 'Kind', 'Name', 'Id'];
        const kindText = (k: ConversationKind) => (ctx.lang === 'zh' ? (k === 'single' ? '单聊' : '群聊') : k);
        if (list.length) {
          process.stdout.write(`${renderTable(head, list.map((c) => [
            c.lastMsgtime === null ? '' : formatTime(c.lastMsgtime), kindText(c.kind), conversationTitle(c, ctx.lang), c.id,
          ]))}\n`);
        }
        ctx.info({ zh: '共 {count} 个会话；查看：wecom-archive conversation <ID>', en: '{count} conversation(s); read one with: wecom-archive conversation <id>' }, { count: list.length });
        return 0;
      } finally {
        await store.close();
      }
    }));
}

function parseKind(given: string | undefined): ConversationKind | undefined {
  if (given === undefined) return undefined;
  if ((CONVERSATION_KINDS as readonly string[]).includes(given)) return given as ConversationKind;
  throw new UserError('archive_bad_kind', {
    what: { zh: '--type 只能是 single 或 group：{value}', en: '--type must be single or group: {value}' },
    vars: { value: given },
  });
}

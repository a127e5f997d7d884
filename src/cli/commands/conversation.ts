import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { action } from '../context.ts';
import { intOption, MAX_LIMIT } from '../int-option.ts';
import { printJson } from '../output.ts';

/**
 * `wecom-archive conversation <id>`: one conversation's messages in order, one line each, in China
 * time, with names, recalls marked, files with their download state and forwarded chats indented.
 */
export function registerConversation(program: Command): void {
  program
    .command('conversation <id>')
    .description('read one conversation: messages in order, names, recalls, files, nested chat histories')
    .option('--from <time>', 'from this time (China time); with it, the first --limit messages from there')
    .option('--to <time>', 'until this time (a date includes its whole day)')
    .option('--limit <n>', 'at most n messages (default 100: the latest, unless --from is given)')
    .action(action(async (ctx, id: string, opts: { from?: string; to?: string; limit?: string }) => {
      const {
        conversationTitle, formatTime, openArchive, parseTimeRange, partyLabel, readConversation, renderConversation, renderMessage,
      } = await import('../../archive/reading/index.ts');
      const range = parseTimeRange(opts.from, opts.to);
      const limit = intOption('--limit', opts.limit, MAX_LIMIT) ?? 100;
      const { store, corpId } = await openArchive(await loadConfig({ configFile: ctx.configFile }));
      try {
        const view = await readConversation(store.db, corpId, id, { ...range, limit });
        if (!ctx.json) {
          process.stdout.write(`${renderConversation(view, ctx.lang)}\n`);
          return 0;
        }
        const group = view.conversation.kind === 'group';
        printJson({
          ok: true,
          conversation: { ...view.conversation, title: conversationTitle(view.conversation, ctx.lang) },
          messages: view.messages.map((m) => ({
            ...m,
            timeText: m.time === null ? null : formatTime(m.time),
            sender: m.sender && { ...m.sender, label: partyLabel(m.sender, ctx.lang) },
            lines: renderMessage(m, ctx.lang, group),
          })),
        });
        return 0;
      } finally {
        await store.close();
      }
    }));
}

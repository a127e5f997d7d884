import type { Command } from 'commander';
import type { Text } from '../../i18n/index.ts';
import { READING_MAX_LIMIT, type ConversationResult } from '../../services/types/reading.ts';
import { action, type CliContext } from '../context.ts';
import { intOption } from '../int-option.ts';
import { printJson } from '../output.ts';

const TEXT = {
  earlier: {
    zh: '显示最近 {shown} 条，共 {total} 条；更早的消息：加 --to "{edge}"（含该时刻），或调大 --limit',
    en: 'Showing the latest {shown} of {total}; for earlier messages add --to "{edge}" (inclusive), or raise --limit',
  },
  later: {
    zh: '显示前 {shown} 条，共 {total} 条；之后的消息：改用 --from "{edge}"（含该时刻），或调大 --limit',
    en: 'Showing the first {shown} of {total}; for later messages use --from "{edge}" (inclusive), or raise --limit',
  },
} satisfies Record<string, Text>;

/**
 * `wecom-archive conversation <id>`: one conversation's messages in order, one line each, in China
 * time, with names, recalls marked, files with their download state and forwarded chats indented.
 * A page that leaves messages out says so, and how to see them.
 */
export function registerConversation(program: Command): void {
  program
    .command('conversation <id>')
    .description('read one conversation: messages in order, names, recalls, files, nested chat histories')
    .option('--from <time>', 'from this time (China time); with it, the first --limit messages from there')
    .option('--to <time>', 'until this time (a date includes its whole day)')
    .option('--limit <n>', 'at most n messages (default 100: the latest, unless --from is given)')
    .action(action(async (ctx, id: string, opts: { from?: string; to?: string; limit?: string }) => {
      const [{ readConversation }, { renderPage }] = await Promise.all([
        import('../../services/reading.ts'), import('../../archive/reading/render.ts'),
      ]);
      const limit = intOption('--limit', opts.limit, READING_MAX_LIMIT);
      const rt = await ctx.runtime();
      const result = await readConversation(rt, { id, corp: ctx.corp, from: opts.from, to: opts.to, limit, lang: ctx.lang });
      if (ctx.json) {
        printJson(result);
        return 0;
      }
      const pages = result.messages.map((message) => message.lines);
      process.stdout.write(`${renderPage(result.conversation, pages, ctx.lang, rt.corps(ctx.corp).length > 1)}\n`);
      if (result.truncated) announce(result, ctx);
      return 0;
    }));
}

/** Where the page was cut, and the option that continues from there. */
function announce(result: ConversationResult, ctx: CliContext): void {
  const earlier = result.direction === 'earlier';
  const edgeMessage = earlier ? result.messages[0] : result.messages[result.messages.length - 1];
  ctx.info(earlier ? TEXT.earlier : TEXT.later, { shown: result.messages.length, total: result.total, edge: edgeMessage?.timeText ?? '' });
}

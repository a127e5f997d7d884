import type { Command } from 'commander';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { EventRow } from '../../services/types/events.ts';
import { UserError } from '../../util/errors.ts';
import { formatTime } from '../../util/time.ts';
import { action } from '../context.ts';
import { intOption } from '../int-option.ts';
import { announceTruncation, printJson, renderTable, TABLE_WIDTH } from '../output.ts';

/**
 * `events`: the callback inbox. Lists events (newest first, `--status parked` for the parked ones),
 * shows one with its payload, and replays failed or parked ones (back to pending, applied by the
 * next inbox run).
 */

const STATUSES = ['pending', 'applied', 'failed', 'parked', 'ignored'] as const;

const TEXT = {
  id: { zh: '编号', en: 'id' },
  corp: { zh: '企业', en: 'corp' },
  received: { zh: '收到时间', en: 'received' },
  event: { zh: '事件', en: 'event' },
  status: { zh: '状态', en: 'status' },
  effect: { zh: '结果', en: 'effect' },
  error: { zh: '错误', en: 'error' },
  field: { zh: '字段', en: 'field' },
  value: { zh: '值', en: 'value' },
  none: { zh: '没有回调事件', en: 'No callback events' },
  replayed: { zh: '已放回待处理队列：{ids}', en: 'Back in the queue: {ids}' },
  nothing: { zh: '没有可重放的事件（只有 failed 或 parked 的事件可以重放）', en: 'Nothing to replay (only failed or parked events can be)' },
} satisfies Record<string, Text>;

const STATUS: Record<string, Text> = {
  pending: { zh: '待处理', en: 'pending' },
  applied: { zh: '已应用', en: 'applied' },
  failed: { zh: '失败待重试', en: 'failed, will retry' },
  parked: { zh: '已搁置', en: 'parked' },
  ignored: { zh: '已忽略', en: 'ignored' },
};

function effectText(e: EventRow): string {
  const { entity, record, actor, change } = e.effect;
  return [change, entity && record ? `${entity} ${record}` : entity, actor ? `← ${actor}` : null].filter(Boolean).join(' ');
}

function status(value: string, lang: Lang): string {
  return STATUS[value] ? t(STATUS[value], lang) : value;
}

function badStatus(value: string): UserError {
  return new UserError('cli_bad_status', {
    what: { zh: '状态“{value}”无效', en: 'Unknown status "{value}"' },
    fix: { zh: '可用：{list}', en: 'Use one of: {list}' },
    vars: { value, list: STATUSES.join(', ') },
  });
}

export function registerEvents(program: Command): void {
  const events = program.command('events')
    .description('callback events received (the inbox): list, show, replay')
    .option('--status <status>', 'only events with this status: pending, applied, failed, parked, ignored')
    .option('--limit <n>', 'show at most n events', '50')
    .option('--before <id>', 'only events older than this id (the next page)')
    .action(action(async (ctx, options: { status?: string; limit: string; before?: string }) => {
      if (options.status !== undefined && !(STATUSES as readonly string[]).includes(options.status)) throw badStatus(options.status);
      const rt = await ctx.runtime();
      const { listEvents } = await import('../../services/events.ts');
      const result = await listEvents(rt, {
        corpId: ctx.corp, status: options.status as (typeof STATUSES)[number] | undefined,
        limit: intOption('--limit', options.limit, 1000), before: intOption('--before', options.before),
      });
      if (ctx.json) return printJson(result);
      if (result.events.length === 0) return void process.stdout.write(`${t(TEXT.none, ctx.lang)}\n`);
      const headers = [TEXT.id, TEXT.corp, TEXT.received, TEXT.event, TEXT.status, TEXT.effect, TEXT.error].map((h) => t(h, ctx.lang));
      const rows = result.events.map((e) => [e.id, e.corpId, formatTime(e.receivedAt).slice(0, 19), e.eventKind, status(e.status, ctx.lang), effectText(e), e.lastError]);
      process.stdout.write(`${renderTable(headers, rows, { maxWidth: TABLE_WIDTH, keep: [true, true, true, true] })}\n`);
      if (result.truncated) announceTruncation(result.events.length, ctx.lang);
    }));

  events.command('show')
    .description('one event with its decrypted payload')
    .argument('<id>', 'the event id')
    .action(action(async (ctx, id: string) => {
      const rt = await ctx.runtime();
      const { showEvent } = await import('../../services/events.ts');
      const detail = await showEvent(rt, intOption('<id>', id));
      if (ctx.json) return printJson(detail);
      const fields: Array<[Text, string | number | null]> = [
        [TEXT.id, detail.id], [TEXT.corp, detail.corpId], [TEXT.received, formatTime(detail.receivedAt)], [TEXT.event, `${detail.eventKind} (${detail.kind})`],
        [TEXT.status, `${status(detail.status, ctx.lang)}${detail.attempts ? ` ×${detail.attempts}` : ''}`], [TEXT.effect, effectText(detail)], [TEXT.error, detail.lastError],
      ];
      process.stdout.write(`${renderTable([t(TEXT.field, ctx.lang), t(TEXT.value, ctx.lang)], fields.map(([k, v]) => [t(k, ctx.lang), v]), { maxWidth: TABLE_WIDTH, keep: [true] })}\n`);
      process.stdout.write(`${detail.payload}\n`);
    }));

  events.command('replay')
    .description('put failed or parked events back in the queue')
    .argument('[ids...]', 'the event ids')
    .option('--parked', 'every parked event (of --corp, or of every corp)')
    .action(action(async (ctx, ids: string[], options: { parked?: boolean }) => {
      const rt = await ctx.runtime();
      const { replayEvents } = await import('../../services/events.ts');
      const result = await replayEvents(rt, options.parked ? { parked: true, corpId: ctx.corp } : { ids: ids.map((id) => intOption('<ids>', id)) });
      if (ctx.json) return printJson(result);
      process.stdout.write(`${result.replayed.length ? t(TEXT.replayed, ctx.lang, { ids: result.replayed.join(', ') }) : t(TEXT.nothing, ctx.lang)}\n`);
    }));
}

import type { Command } from 'commander';
import { UserError } from '../../../util/errors.ts';
import type { ChainReport } from '../../../archive/chain/verify.ts';
import { loadConfig } from '../../../config/load.ts';
import { t, type Lang, type Text } from '../../../i18n/index.ts';
import { action } from '../../context.ts';
import { printJson } from '../../output.ts';

/**
 * `wecom-archive archive verify`: recomputes each corp's hash chain from the stored envelopes and
 * reports the first break (seq, msgid, expected vs stored) or OK with the count and head hash.
 * Exit 1 on a break. Needs neither the SDK nor the keys: the chain covers the envelopes.
 */

const TEXT = {
  ok: { zh: '✔ {corp}：哈希链完整，{count} 条消息，链头 {head}', en: '✔ {corp}: hash chain intact, {count} message(s), head {head}' },
  broken: {
    zh: '✖ {corp}：哈希链在 seq {seq}（msgid {msgid}）处断开：{field} 应为 {expected}，存储值为 {stored}',
    en: '✖ {corp}: hash chain broken at seq {seq} (msgid {msgid}): {field} should be {expected}, stored {stored}',
  },
  brokenWhy: {
    zh: '  该行（或其前一行）的信封字段或哈希在入库后被修改、删除或插入；此前 {count} 条校验通过。',
    en: '  This row (or the one before it) had its envelope or hash changed, removed or inserted after ingest; the {count} before it verify.',
  },
  empty: { zh: '存档中还没有消息（先运行 `wecom-archive archive pull`）。', en: 'No messages in the archive yet (run `wecom-archive archive pull` first).' },
} satisfies Record<string, Text>;

function render(report: ChainReport, lang: Lang): string {
  const corp = report.corpId;
  if (report.ok) return t(TEXT.ok, lang, { corp, count: report.checked, head: report.headHash });
  const b = report.firstBreak!;
  return [
    t(TEXT.broken, lang, { corp, seq: b.seq.toString(), msgid: b.msgid, field: b.field, expected: b.expected, stored: b.stored ?? 'null' }),
    t(TEXT.brokenWhy, lang, { count: report.checked - 1 }),
  ].join('\n');
}

export function registerArchiveVerify(archive: Command): void {
  archive
    .command('verify')
    .description('recompute the hash chain over the stored envelopes; report the first break (exit 1) or OK with the head hash')
    .option('--corp <corpid>', 'only this corp (default: every corp in the store)')
    .action(action(async (ctx, flags: { corp?: string }) => {
      const config = await loadConfig({ configFile: ctx.configFile, strict: false });
      const [{ verifyChain }, { openStoreFor }, { archiveCorps }] = await Promise.all([
        import('../../../archive/chain/verify.ts'), import('../../../archive/ingest/session.ts'), import('../../../archive/status/status.ts'),
      ]);
      const store = await openStoreFor(config);
      try {
        const known = await archiveCorps(store.db);
        if (flags.corp && !known.includes(flags.corp)) {
          throw new UserError('archive_unknown_corp', {
            what: { zh: '存档中没有企业 {corp}', en: 'No corp {corp} in the archive' },
            fix: { zh: '已存档的企业：{known}', en: 'Corps in the archive: {known}' },
            vars: { corp: flags.corp, known: known.join(', ') || '-' },
          });
        }
        const corps = flags.corp ? [flags.corp] : known;
        const reports: ChainReport[] = [];
        for (const corp of corps) reports.push(await verifyChain(store.db, corp));
        const ok = reports.every((r) => r.ok);
        if (ctx.json) printJson({ ok, corps: reports });
        else if (reports.length === 0) process.stdout.write(`${t(TEXT.empty, ctx.lang)}\n`);
        else process.stdout.write(`${reports.map((r) => render(r, ctx.lang)).join('\n')}\n`);
        return ok ? 0 : 1;
      } finally {
        await store.close();
      }
    }));
}

import type { Command } from 'commander';
import type { DeepReport } from '../../../archive/chain/deep-verify.ts';
import type { ChainReport } from '../../../archive/chain/verify.ts';
import type { SessionOptions } from '../../../archive/ingest/session.ts';
import { describeProblem, loadConfig } from '../../../config/load.ts';
import type { Config } from '../../../config/types.ts';
import { t, type Lang, type Text } from '../../../i18n/index.ts';
import type { Store } from '../../../store/index.ts';
import { UserError } from '../../../util/errors.ts';
import { action, type CliContext } from '../../context.ts';
import { printJson } from '../../output.ts';
import { addSdkOptions, sessionOptions, type SdkFlags } from './pull.ts';

/**
 * `wecom-archive archive verify`: recomputes each corp's hash chain from the stored envelopes and
 * reports the first break (seq, msgid, expected vs stored) or OK with the count and head hash.
 * Exit 1 on a break. Needs neither the SDK nor the keys: the chain covers the envelopes.
 * `--deep` also decrypts every decrypted message again (keys and SDK needed, like a pull) and
 * compares its stored columns: exit 1 on a mismatch, 2 when some could not be decrypted again.
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

const UNKNOWN_CORP = {
  what: { zh: '存档中没有企业 {corp}', en: 'No corp {corp} in the archive' },
  why: { zh: '该企业的消息从未拉取到这个存储中（或企业 ID 拼写有误）', en: 'No message of this corp was ever pulled into this store (or the corp id is misspelt)' },
  fix: { zh: '已存档的企业：{known}；去掉 --corp 即校验全部', en: 'Corps in the archive: {known}; leave out --corp to check them all' },
} satisfies Record<string, Text>;

const DEEP_OTHER_CORP = {
  what: { zh: '--deep 只能校验配置中的企业 {configured}，不能校验 {corp}', en: '--deep can only check the configured corp {configured}, not {corp}' },
  why: { zh: '重新解密需要该企业的私钥和会话存档 Secret', en: "Decrypting again needs that corp's private keys and chat-archive secret" },
  fix: { zh: '使用该企业的配置文件（--config）运行，或去掉 --deep 只校验哈希链', en: "Run with that corp's config (--config), or drop --deep to check the hash chain only" },
} satisfies Record<string, Text>;

/** At most one progress line per this interval, and the last one (a million messages is a thousand pages). */
const PROGRESS_INTERVAL_MS = 5_000;

interface VerifyFlags extends SdkFlags {
  corp?: string;
  deep?: boolean;
}

function render(report: ChainReport, lang: Lang): string {
  const corp = report.corpId;
  if (report.ok) return t(TEXT.ok, lang, { corp, count: report.checked, head: report.headHash });
  const b = report.firstBreak!;
  return [
    t(TEXT.broken, lang, { corp, seq: b.seq.toString(), msgid: b.msgid, field: b.field, expected: b.expected, stored: b.stored ?? 'null' }),
    t(TEXT.brokenWhy, lang, { count: report.checked - 1 }),
  ].join('\n');
}

function unknownCorp(corp: string, known: string[]): UserError {
  return new UserError('archive_unknown_corp', { ...UNKNOWN_CORP, vars: { corp, known: known.join(', ') || '-' } });
}

/** The corps to check: `--corp`, else every corp in the store; with --deep only the configured one has the keys. */
function corpsToCheck(known: string[], requested: string | undefined, configured: string | undefined): string[] {
  if (configured !== undefined && requested !== undefined && requested !== configured) {
    throw new UserError('archive_verify_deep_corp', { ...DEEP_OTHER_CORP, vars: { configured, corp: requested } });
  }
  const wanted = requested ?? configured;
  if (wanted === undefined) return known;
  if (!known.includes(wanted)) {
    if (requested === undefined && known.length === 0) return [];
    throw unknownCorp(wanted, known);
  }
  return [wanted];
}

type Progress = { done: number; total: number };

function progressPrinter(line: (progress: Progress) => string): (progress: Progress) => void {
  let printedAt = 0;
  return (progress) => {
    const now = Date.now();
    if (now - printedAt < PROGRESS_INTERVAL_MS && progress.done < progress.total) return;
    printedAt = now;
    process.stderr.write(`${line(progress)}\n`);
  };
}

/** Decrypts the corp's messages again through a pool of its own (no lease: this only reads). */
async function runDeep(ctx: CliContext, config: Config, store: Store, corpId: string, options: SessionOptions): Promise<DeepReport> {
  const [{ openDecryptPool }, { deepVerify }, { renderDeepProgress }] = await Promise.all([
    import('../../../archive/ingest/session.ts'), import('../../../archive/chain/deep-verify.ts'), import('../../../archive/chain/deep-texts.ts'),
  ]);
  const { pool, warnings } = await openDecryptPool(config, options);
  for (const warning of warnings) process.stderr.write(`⚠ ${describeProblem(warning, ctx.lang)}\n`);
  try {
    const onPage = progressPrinter((progress) => renderDeepProgress(corpId, progress, ctx.lang));
    return await deepVerify(store.db, corpId, pool, { onPage });
  } finally {
    await pool.close();
  }
}

async function print(ctx: CliContext, reports: ChainReport[], deep: DeepReport | undefined, ok: boolean): Promise<void> {
  if (ctx.json) {
    printJson({ ok, corps: reports.map((r) => (deep && r.corpId === deep.corpId ? { ...r, deep } : r)) });
    return;
  }
  if (reports.length === 0) {
    process.stdout.write(`${t(TEXT.empty, ctx.lang)}\n`);
    return;
  }
  const lines = reports.map((r) => render(r, ctx.lang));
  if (deep) lines.push(...(await import('../../../archive/chain/deep-texts.ts')).renderDeep(deep, ctx.lang));
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerArchiveVerify(archive: Command): void {
  addSdkOptions(archive
    .command('verify')
    .description('recompute the hash chain over the stored envelopes; report the first break (exit 1) or OK with the head hash')
    .option('--corp <corpid>', 'only this corp (default: every corp in the store)')
    .option('--deep', 'also decrypt every decrypted message again (keys and SDK needed) and compare its stored columns and media rows'))
    .action(action(async (ctx, flags: VerifyFlags) => {
      // --deep needs the archive settings a pull needs: a broken config stops here, as for pull.
      const config = await loadConfig({ configFile: ctx.configFile, strict: Boolean(flags.deep) });
      const [{ verifyChain }, { archiveSettings, openStoreFor }, { archiveCorps }] = await Promise.all([
        import('../../../archive/chain/verify.ts'), import('../../../archive/ingest/session.ts'), import('../../../archive/status/status.ts'),
      ]);
      const options = flags.deep ? sessionOptions(flags) : undefined;
      const configured = flags.deep ? archiveSettings(config).corpId : undefined;
      const store = await openStoreFor(config);
      try {
        const corps = corpsToCheck(await archiveCorps(store.db), flags.corp, configured);
        const reports: ChainReport[] = [];
        for (const corp of corps) reports.push(await verifyChain(store.db, corp));
        const deep = options && corps[0] !== undefined ? await runDeep(ctx, config, store, corps[0], options) : undefined;
        const tampered = reports.some((r) => !r.ok) || (deep?.mismatchCount ?? 0) > 0;
        // Messages that could not be decrypted again (a key not configured, an SDK failure) are not
        // evidence of tampering, but the check is incomplete: a set-up problem, exit 2.
        const incomplete = deep !== undefined && !deep.ok;
        await print(ctx, reports, deep, !tampered && !incomplete);
        return tampered ? 1 : incomplete ? 2 : 0;
      } finally {
        await store.close();
      }
    }));
}

import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { SdkStall } from '../sdk/protocol.ts';
import type { PageProgress, PullSummary } from './puller.ts';
import type { RetrySummary } from './retry.ts';
import type { StatusCounts } from './write-page.ts';

/** What the archive tells people while it pulls and retries (the CLI prints these; so may the UI). */
export const INGEST_TEXT = {
  page: {
    zh: '第 {page} 页 seq {first}–{last}：新存 {stored} 条（{statuses}），重复 {duplicates} 条；本次累计 {total} 条',
    en: 'page {page} seq {first}–{last}: {stored} new ({statuses}), {duplicates} duplicate(s); {total} so far',
  },
  statuses: {
    zh: '已解密 {decrypted}，隔离 {quarantined}，缺密钥 {missing_key}，失败 {failed}',
    en: '{decrypted} decrypted, {quarantined} quarantined, {missing_key} missing key, {failed} failed',
  },
  keyRetry: {
    zh: '已用新配置的私钥重试 {attempted} 条缺密钥消息：{statuses}',
    en: 'Retried {attempted} message(s) that lacked their key: {statuses}',
  },
  pulled: {
    zh: '✔ 会话存档已拉取至 seq {cursor}{caughtUp}：新存 {stored} 条（{statuses}），重复 {duplicates} 条，{pages} 页，用时 {seconds} 秒',
    en: '✔ Archive pulled up to seq {cursor}{caughtUp}: {stored} new ({statuses}), {duplicates} duplicate(s), {pages} page(s), {seconds} s',
  },
  caughtUp: { zh: '（已是最新）', en: ' (caught up)' },
  quarantinedHint: {
    zh: '⚠ {count} 条消息使 SDK 进程反复崩溃或卡死，已加密保存并隔离；`wecom-archive archive status` 查看，`wecom-archive archive retry` 重试。',
    en: '⚠ {count} message(s) crashed or hung the SDK process repeatedly and are stored encrypted, quarantined; see `wecom-archive archive status`, retry with `wecom-archive archive retry`.',
  },
  missingKeyHint: {
    zh: '⚠ {count} 条消息缺少对应版本的私钥，已加密保存；配置 ARCHIVE_PRIVATE_KEY_<版本> 后，下次拉取或 `wecom-archive archive retry` 会自动解密。',
    en: '⚠ {count} message(s) have no private key of their version and are stored encrypted; configure ARCHIVE_PRIVATE_KEY_<ver> and the next pull or `wecom-archive archive retry` decrypts them.',
  },
  failedHint: {
    zh: '⚠ {count} 条消息解密返回错误码，已加密保存；`wecom-archive archive status` 查看错误码。',
    en: '⚠ {count} message(s) failed to decrypt with an error code and are stored encrypted; `wecom-archive archive status` shows the codes.',
  },
  retried: {
    zh: '✔ 已重试 {attempted} 条消息：{statuses}',
    en: '✔ Retried {attempted} message(s): {statuses}',
  },
  stillQuarantined: {
    zh: '⚠ {count} 条消息仍使 SDK 崩溃或卡死，保持隔离（可在升级 SDK 后再次重试）。',
    en: '⚠ {count} message(s) still crash or hang the SDK and stay quarantined (retry again after upgrading the SDK).',
  },
  stopping: { zh: '收到停止信号：写完当前页后退出…', en: 'Stop requested: finishing the current page…' },
  watchCycle: { zh: '{time} 拉取完成：新存 {stored} 条；{interval} 秒后再次拉取', en: '{time} pull done: {stored} new; next pull in {interval} s' },
  watchError: { zh: '{time} 拉取失败：{message}；{interval} 秒后重试', en: '{time} pull failed: {message}; retrying in {interval} s' },
  watchStopped: { zh: '✔ 已停止持续拉取：共新存 {stored} 条，{cycles} 轮', en: '✔ Watch stopped: {stored} new message(s) in {cycles} cycle(s)' },
} satisfies Record<string, Text>;

function statuses(counts: StatusCounts, lang: Lang): string {
  return t(INGEST_TEXT.statuses, lang, { ...counts });
}

export function renderPage(p: PageProgress, lang: Lang): string {
  return t(INGEST_TEXT.page, lang, {
    page: p.page, first: p.firstSeq.toString(), last: p.lastSeq.toString(), stored: p.stored, duplicates: p.duplicates,
    total: p.totalStored, statuses: statuses(p.byStatus, lang),
  });
}

const STALL_TEXT = {
  retry: { zh: 'seq {seq}：SDK 已 {seconds} 秒未应答，将重试，之后隔离', en: 'seq {seq}: the SDK has not answered for {seconds} s, retrying, then quarantining' },
  quarantine: { zh: 'seq {seq}：SDK 仍 {seconds} 秒未应答，已隔离该消息', en: 'seq {seq}: the SDK still has not answered for {seconds} s; the message is quarantined' },
  batch: {
    zh: 'seq {first}–{last}（{count} 条）：SDK 已 {seconds} 秒未应答，将逐条重试以找出卡住的消息',
    en: 'seq {first}–{last} ({count} messages): the SDK has not answered for {seconds} s, retrying them one at a time to find the stuck one',
  },
} satisfies Record<string, Text>;

/** A decrypt call past its deadline: which message (or batch) and what happens next. */
export function renderStall(stall: SdkStall, lang: Lang): string {
  const seconds = stall.seconds;
  if (stall.seqs.length === 1) return t(STALL_TEXT[stall.next], lang, { seq: stall.seqs[0]!.toString(), seconds });
  const sorted = [...stall.seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const first = sorted[0]?.toString() ?? '?';
  return t(STALL_TEXT.batch, lang, { first, last: sorted.at(-1)?.toString() ?? '?', count: stall.seqs.length, seconds });
}

export function renderKeyRetry(r: RetrySummary, lang: Lang): string {
  return t(INGEST_TEXT.keyRetry, lang, { attempted: r.attempted, statuses: statuses(r.byStatus, lang) });
}

export function renderRetry(r: RetrySummary, lang: Lang): string {
  return t(INGEST_TEXT.retried, lang, { attempted: r.attempted, statuses: statuses(r.byStatus, lang) });
}

/** The closing lines of a pull: what was stored, then a hint per kind of message left encrypted. */
export function renderPullSummary(s: PullSummary, lang: Lang): string[] {
  const lines = [t(INGEST_TEXT.pulled, lang, {
    cursor: s.cursor.toString(), caughtUp: s.caughtUp ? t(INGEST_TEXT.caughtUp, lang) : '', stored: s.stored,
    statuses: statuses(s.byStatus, lang), duplicates: s.duplicates, pages: s.pages, seconds: (s.durationMs / 1000).toFixed(1),
  })];
  return [...lines, ...encryptedHints(s.byStatus, lang)];
}

export function encryptedHints(counts: StatusCounts, lang: Lang): string[] {
  const hints: string[] = [];
  if (counts.quarantined > 0) hints.push(t(INGEST_TEXT.quarantinedHint, lang, { count: counts.quarantined }));
  if (counts.missing_key > 0) hints.push(t(INGEST_TEXT.missingKeyHint, lang, { count: counts.missing_key }));
  if (counts.failed > 0) hints.push(t(INGEST_TEXT.failedHint, lang, { count: counts.failed }));
  return hints;
}

import { t, type Lang, type Text } from '../../i18n/index.ts';
import { formatTime } from '../../util/time.ts';
import type { ArchiveStatus } from './status.ts';

/** `archive status` for people: one block per corp. */

const TEXT = {
  head: { zh: '企业 {corp}', en: 'Corp {corp}' },
  held: { zh: '  已存消息：{messages} 条（seq {first}–{last}，游标 {cursor}）', en: '  Messages held: {messages} (seq {first}–{last}, cursor {cursor})' },
  none: { zh: '  已存消息：0 条（尚未拉取）', en: '  Messages held: 0 (nothing pulled yet)' },
  statuses: {
    zh: '  状态：已解密 {decrypted}，隔离 {quarantined}，缺密钥 {missing_key}，失败 {failed}',
    en: '  Status: {decrypted} decrypted, {quarantined} quarantined, {missing_key} missing key, {failed} failed',
  },
  lag: { zh: '  最新消息：{newest}（落后 {lag}）', en: '  Newest message: {newest} ({lag} behind)' },
  window: { zh: '  5 天窗口：未拉取的消息最早 {left} 后开始过期', en: '  5-day window: unpulled messages start expiring in {left} at the earliest' },
  expired: { zh: '  5 天窗口：⚠ 已超出 {left}，未拉取的消息可能已经过期丢失', en: '  5-day window: ⚠ exceeded by {left}: unpulled messages may already be lost' },
  lastPull: { zh: '  上次拉取：{time}{caughtUp}', en: '  Last pull: {time}{caughtUp}' },
  caughtUp: { zh: '（已是最新）', en: ' (caught up)' },
  never: { zh: '  上次拉取：从未', en: '  Last pull: never' },
  verified: { zh: '  上次校验：{time}，哈希链完整（{checked} 条）{deep}', en: '  Last verify: {time}, hash chain intact ({checked} messages){deep}' },
  broken: { zh: '  上次校验：{time}，⚠ 哈希链在 seq {seq} 处断开：运行 archive verify 查看详情', en: '  Last verify: {time}, ⚠ hash chain broken at seq {seq}: run archive verify for the details' },
  deepBroken: { zh: '  上次校验：{time}，⚠ 重新解密的内容与存储不一致：运行 archive verify --deep 查看详情', en: '  Last verify: {time}, ⚠ messages decrypted again differ from the stored ones: run archive verify --deep for the details' },
  deepOk: { zh: '，重新解密一致', en: ', decrypted again alike' },
  neverVerified: { zh: '  上次校验：从未（运行 archive verify）', en: '  Last verify: never (run archive verify)' },
  missingKey: { zh: '  缺少私钥的版本：{versions}（配置 ARCHIVE_PRIVATE_KEY_<版本> 后运行 archive retry）', en: '  Key versions missing: {versions} (configure ARCHIVE_PRIVATE_KEY_<ver>, then run archive retry)' },
  quarantined: { zh: '  隔离：seq {seq} msgid {msgid}（{error}，尝试 {attempts} 轮）', en: '  Quarantined: seq {seq} msgid {msgid} ({error}, {attempts} attempt round(s))' },
  failed: { zh: '  解密失败：seq {seq} msgid {msgid}（{error}）', en: '  Failed: seq {seq} msgid {msgid} ({error})' },
  media: {
    zh: '  媒体：已下载 {downloaded}，待下载 {pending}，失败 {failed}，已过期 {expired}，缺失 {missing}，md5 不符 {md5_mismatch}',
    en: '  Media: {downloaded} downloaded, {pending} pending, {failed} failed, {expired} expired, {missing} missing, {md5_mismatch} md5 mismatch',
  },
} satisfies Record<string, Text>;

/** `3d 4h`, `5h 12m`, `40s`. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
}

export function renderStatus(status: ArchiveStatus, lang: Lang): string {
  const lines = [t(TEXT.head, lang, { corp: status.corpId })];
  if (status.seqRange) {
    lines.push(t(TEXT.held, lang, {
      messages: status.messages, first: status.seqRange.first.toString(), last: status.seqRange.last.toString(),
      cursor: status.cursor?.toString() ?? '-',
    }));
    lines.push(t(TEXT.statuses, lang, { ...status.byStatus }));
  } else {
    lines.push(t(TEXT.none, lang));
  }
  if (status.newestMsgtime !== null && status.lagMs !== null) {
    lines.push(t(TEXT.lag, lang, { newest: formatTime(status.newestMsgtime), lag: formatDuration(status.lagMs) }));
  }
  if (status.expiresInMs !== null) {
    lines.push(t(status.expiresInMs >= 0 ? TEXT.window : TEXT.expired, lang, { left: formatDuration(status.expiresInMs) }));
  }
  lines.push(status.lastPull
    ? t(TEXT.lastPull, lang, { time: formatTime(status.lastPull.finishedAt), caughtUp: status.lastPull.caughtUp ? t(TEXT.caughtUp, lang) : '' })
    : t(TEXT.never, lang));
  lines.push(verifyLine(status.lastVerify, lang));
  lines.push(t(TEXT.media, lang, { ...status.media }));
  if (status.missingKeyVersions.length > 0) lines.push(t(TEXT.missingKey, lang, { versions: status.missingKeyVersions.join(', ') }));
  for (const q of status.quarantined) {
    lines.push(t(TEXT.quarantined, lang, { seq: q.seq.toString(), msgid: q.msgid, error: q.lastError ?? '?', attempts: q.attempts }));
  }
  for (const f of status.failed) lines.push(t(TEXT.failed, lang, { seq: f.seq.toString(), msgid: f.msgid, error: f.error ?? '?' }));
  return lines.join('\n');
}

function verifyLine(last: ArchiveStatus['lastVerify'], lang: Lang): string {
  if (!last) return t(TEXT.neverVerified, lang);
  const time = formatTime(last.at);
  if (last.brokenAtSeq !== null) return t(TEXT.broken, lang, { time, seq: last.brokenAtSeq });
  if (!last.ok) return t(TEXT.deepBroken, lang, { time });
  return t(TEXT.verified, lang, { time, checked: last.checked, deep: last.deepOk ? t(TEXT.deepOk, lang) : '' });
}

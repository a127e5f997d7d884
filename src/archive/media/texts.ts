import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { MediaItemEvent, MediaSummary } from './queue.ts';

/** What the media queue tells people (the CLI prints these; so may the UI). sdkfileids never appear. */
export const MEDIA_TEXT = {
  done: {
    zh: '✔ 媒体下载完成：新下载 {downloaded} 个（其中 {deduplicated} 个与已存文件相同，只存一份），{bytes}，新占用 {storedBytes}；续传 {resumed} 个；用时 {seconds} 秒',
    en: '✔ Media downloaded: {downloaded} file(s) ({deduplicated} identical to files already stored, kept once), {bytes}, {storedBytes} new on disk; {resumed} resumed; {seconds} s',
  },
  nothing: { zh: '✔ 没有待下载的媒体。', en: '✔ No media waiting to be downloaded.' },
  requeued: { zh: '已把 {count} 个失败的媒体重新加入队列。', en: 'Put {count} failed item(s) back in the queue.' },
  expired: {
    zh: '⚠ {count} 个媒体已过期（10010：企业微信只保留最近 5 天的媒体），无法再下载。请缩短拉取间隔（如 `wecom-archive archive watch`）。',
    en: '⚠ {count} item(s) expired (10010: WeCom keeps media for 5 days only) and can no longer be downloaded. Pull more often (e.g. `wecom-archive archive watch`).',
  },
  missing: {
    zh: '⚠ {count} 个媒体的 sdkfileid 不被企业微信识别（10005），已标记为 missing。',
    en: "⚠ {count} item(s) have an sdkfileid WeCom does not recognise (10005), marked missing.",
  },
  md5: {
    zh: '⚠ {count} 个媒体多次下载后 md5 仍与消息声明的不一致，文件已保存并标记为 md5_mismatch（重新下载了 {retries} 次）。`--retry-failed` 可再试。',
    en: '⚠ {count} item(s) never matched the md5 their message declares, even after {retries} fresh download(s); the bytes are kept, marked md5_mismatch. Try again with `--retry-failed`.',
  },
  failed: {
    zh: '⚠ {count} 个媒体多次失败，已标记为 failed；`wecom-archive archive media --retry-failed` 可重试。',
    en: '⚠ {count} item(s) failed repeatedly and are marked failed; retry with `wecom-archive archive media --retry-failed`.',
  },
  retryLater: {
    zh: '{count} 个媒体本次下载失败，下次运行时继续（已下载的部分会保留）。',
    en: '{count} item(s) failed this time and will be continued next run (what arrived is kept).',
  },
  pending: { zh: '仍有 {count} 个媒体待下载。', en: '{count} item(s) are still waiting to be downloaded.' },
  aborted: { zh: '已按要求停止；未完成的下载下次运行时续传。', en: 'Stopped as asked; unfinished downloads continue next run.' },
  failing: {
    zh: '⚠ 连续多个媒体下载失败（网络或 SDK 问题），本次先停止；稍后重试。',
    en: '⚠ Several downloads in a row failed (network or SDK trouble); stopped for now, try again later.',
  },
  problem: { zh: '  {outcome}：消息 {msgid}{path}（{type}）{error}', en: '  {outcome}: message {msgid}{path} ({type}){error}' },
  stopping: { zh: '收到停止信号：保存当前分片后退出…', en: 'Stop requested: saving the current chunks…' },
} satisfies Record<string, Text>;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

const OUTCOME: Record<MediaItemEvent['outcome'], Text> = {
  downloaded: { zh: '已下载', en: 'downloaded' },
  deduplicated: { zh: '已下载（重复内容）', en: 'downloaded (same content stored)' },
  md5_mismatch: { zh: 'md5 不符', en: 'md5 mismatch' },
  expired: { zh: '已过期', en: 'expired' },
  missing: { zh: '企业微信无此文件', en: 'unknown to WeCom' },
  failed: { zh: '失败', en: 'failed' },
  retry_later: { zh: '稍后重试', en: 'retry later' },
};

/** One item as a line; the technical detail only where the outcome alone does not explain it. */
export function renderProblem(event: MediaItemEvent, lang: Lang): string {
  const explained = event.outcome === 'expired' || event.outcome === 'missing';
  return t(MEDIA_TEXT.problem, lang, {
    outcome: t(OUTCOME[event.outcome], lang), msgid: event.msgid, path: event.itemPath ? ` ${event.itemPath}` : '', type: event.mediaType ?? '?',
    error: explained || !event.error ? '' : `: ${event.error}`,
  });
}

/** The summary as lines: totals first, then each kind of problem with what to do about it. */
export function renderMediaSummary(s: MediaSummary, lang: Lang): string[] {
  const lines: string[] = [];
  if (s.requeued > 0) lines.push(t(MEDIA_TEXT.requeued, lang, { count: s.requeued }));
  const handled = s.downloaded + s.md5Mismatches + s.expired + s.missing + s.failed + s.retryLater;
  if (handled === 0 && s.pending === 0) lines.push(t(MEDIA_TEXT.nothing, lang));
  else {
    lines.push(t(MEDIA_TEXT.done, lang, {
      downloaded: s.downloaded, deduplicated: s.deduplicated, bytes: formatBytes(s.bytes), storedBytes: formatBytes(s.storedBytes),
      resumed: s.resumed, seconds: (s.durationMs / 1000).toFixed(1),
    }));
  }
  if (s.expired > 0) lines.push(t(MEDIA_TEXT.expired, lang, { count: s.expired }));
  if (s.missing > 0) lines.push(t(MEDIA_TEXT.missing, lang, { count: s.missing }));
  if (s.md5Mismatches > 0) lines.push(t(MEDIA_TEXT.md5, lang, { count: s.md5Mismatches, retries: s.md5Retries }));
  if (s.failed > 0) lines.push(t(MEDIA_TEXT.failed, lang, { count: s.failed }));
  if (s.retryLater > 0) lines.push(t(MEDIA_TEXT.retryLater, lang, { count: s.retryLater }));
  for (const problem of s.problems) lines.push(renderProblem(problem, lang));
  if (s.stopped === 'aborted') lines.push(t(MEDIA_TEXT.aborted, lang));
  if (s.stopped === 'failing') lines.push(t(MEDIA_TEXT.failing, lang));
  if (s.pending > 0) lines.push(t(MEDIA_TEXT.pending, lang, { count: s.pending }));
  return lines;
}

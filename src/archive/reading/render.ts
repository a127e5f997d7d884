import { t, type Lang, type Text } from '../../i18n/index.ts';
import { msgTypeSpec } from '../msgtypes.ts';
import type { ContentView, MediaState, MediaView } from './content.ts';
import type { ConversationView, MessageView } from './conversation.ts';
import { conversationTitle } from './conversations.ts';
import { partyLabel } from './names.ts';
import { formatClock, formatTime } from './time.ts';

/**
 * A conversation as lines people read, one per message:
 *   2026-11-20 14:03:05 张三 → 客户李四: 您好
 *   2026-11-20 14:03:40 客户李四 → 张三: [图片 12 KB，已下载] 「已撤回 14:04:10」
 *   2026-11-20 14:04:10 客户李四 撤回了一条消息（14:03:40 的消息）
 * Group messages name only the sender (the header names the group); nested items follow indented.
 */

const STATE: Record<MediaState, Text> = {
  pending: { zh: '待下载', en: 'pending' },
  downloaded: { zh: '已下载', en: 'downloaded' },
  failed: { zh: '下载失败', en: 'download failed' },
  expired: { zh: '已过期未下载', en: 'expired' },
  missing: { zh: '企业微信无此文件', en: 'unknown to WeCom' },
  md5_mismatch: { zh: '已下载但 MD5 不符', en: 'downloaded, md5 mismatch' },
  not_queued: { zh: '未下载', en: 'not downloaded' },
};

const TEXT = {
  recalled: { zh: '「已撤回 {time}」', en: '(recalled {time})' },
  recallLine: { zh: '撤回了一条消息（{time} 的消息{text}）', en: 'recalled a message (sent {time}{text})' },
  recallUnknown: { zh: '撤回了一条消息（原消息不在存档中）', en: 'recalled a message (the original is not in the archive)' },
  notDecrypted: { zh: '[未解密：{status}]', en: '[not decrypted: {status}]' },
  header: { zh: '会话：{title}（{id}）', en: 'Conversation: {title} ({id})' },
  empty: { zh: '（这段时间没有消息）', en: '(no messages in this range)' },
} satisfies Record<string, Text>;

export function renderConversation(view: ConversationView, lang: Lang): string {
  const lines = [t(TEXT.header, lang, { title: conversationTitle(view.conversation, lang), id: view.conversation.id })];
  if (view.messages.length === 0) lines.push(t(TEXT.empty, lang));
  const group = view.conversation.kind === 'group';
  for (const message of view.messages) lines.push(...renderMessage(message, lang, group));
  return lines.join('\n');
}

export function renderMessage(message: MessageView, lang: Lang, group: boolean): string[] {
  const time = message.time === null ? '????-??-?? ??:??:??' : formatTime(message.time);
  const sender = message.sender ? partyLabel(message.sender, lang) : '?';
  if (message.recalls) {
    const { found, time: original, text } = message.recalls;
    const said = text ? `${lang === 'zh' ? '：' : ': '}${oneLine(text, 30)}` : '';
    const body = found
      ? t(TEXT.recallLine, lang, { time: original === null ? '?' : formatClock(original), text: said })
      : t(TEXT.recallUnknown, lang);
    return [`${time} ${sender} ${body}`];
  }
  const to = group || message.receivers.length === 0 ? '' : ` → ${message.receivers.map((r) => partyLabel(r, lang)).join('、')}`;
  let body = message.status === 'decrypted' ? contentText(message.content, lang) : t(TEXT.notDecrypted, lang, { status: message.status });
  if (message.recalled) body += ` ${t(TEXT.recalled, lang, { time: message.recalled.time === null ? '?' : formatTime(message.recalled.time) })}`;
  return [`${time} ${sender}${to}: ${body}`, ...nestedLines(message.content.items, lang, 1)];
}

/** One line for a piece of content: its text, or `[图片 12 KB，已下载]` with what it says beside it. */
export function contentText(content: ContentView, lang: Lang): string {
  if (content.msgtype === 'text' || content.msgtype === 'markdown') return oneLine(content.text);
  const parts = [typeLabel(content.msgtype, lang)];
  if (content.media) parts.push(...mediaDetail(content.media, lang));
  const text = content.text ? ` ${oneLine(content.text)}` : '';
  return `[${parts.join(' ')}]${text}`;
}

function mediaDetail(media: MediaView, lang: Lang): string[] {
  const detail: string[] = [];
  if (media.filename) detail.push(media.filename);
  const size = media.size === null ? '' : formatSize(media.size);
  const state = t(STATE[media.status], lang);
  detail.push(lang === 'zh' ? [size, state].filter(Boolean).join('，') : [size, state].filter(Boolean).join(', '));
  return detail;
}

function nestedLines(items: ContentView[], lang: Lang, depth: number): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const time = item.time === null ? '' : `${formatTime(item.time)} `;
    lines.push(`${'    '.repeat(depth)}└ ${time}${contentText(item, lang)}`, ...nestedLines(item.items, lang, depth + 1));
  }
  return lines;
}

export function typeLabel(msgtype: string, lang: Lang): string {
  const spec = msgTypeSpec(msgtype);
  return spec ? t(spec.label, lang) : msgtype || '?';
}

/** 12 KB, 1.2 MB: binary units, as file managers show them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value)} ${units[unit]}`;
}

export function oneLine(text: string, max = 500): string {
  const flat = text.replace(/\s*\n\s*/g, ' / ').trim();
  return [...flat].length > max ? `${[...flat].slice(0, max).join('')}…` : flat;
}

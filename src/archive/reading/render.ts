import { t, type Lang, type Text } from '../../i18n/index.ts';
import { msgTypeSpec } from '../msgtypes.ts';
import type { CallView, ContentView, MediaState, MediaView } from './content.ts';
import type { ConversationView, MessageView } from './conversation.ts';
import { conversationTitle, type ConversationSummary } from './conversations.ts';
import { partyLabel } from './names.ts';
import { formatClock, formatTime, UNKNOWN_TIME } from './time.ts';
import { terminalText } from '../../util/safe-text.ts';

/**
 * A conversation as lines people read, one per message:
 *   2026-11-20 14:03:05 张三 → 客户李四: 您好
 *   2026-11-20 14:03:40 客户李四 → 张三: [图片 12 KB，已下载] 「已撤回 14:04:10」
 *   2026-11-20 14:04:10 客户李四 撤回了一条消息（14:03:40 的消息）
 *   2026-11-20 14:05:00 张三 → 客户李四: [语音通话 3分20秒]
 *   2026-11-20 18:00:00 张三 切换了企业                      (in 张三's system conversation)
 * Group messages name only the sender (the header names the group); nested items follow indented.
 * A message without a time (msgtime 0) says so instead of showing 1970.
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
  corpHeader: { zh: '会话：{title}（{id}，企业 {corp}）', en: 'Conversation: {title} ({id}, corp {corp})' },
  empty: { zh: '（这段时间没有消息）', en: '(no messages in this range)' },
  card: { zh: '名片', en: 'Contact card' },
} satisfies Record<string, Text>;

/** What a switch entry says (its member is the sender): the line's text and a search hit's snippet. */
export const SWITCHED: Text = { zh: '切换了企业（企业微信切换到另一家企业）', en: 'switched to another company in WeCom' };

/** voiptext `invitetype` (doc 91774): 1 one-to-one video, 2 one-to-one voice, 3 group video, 4 group voice. */
const CALL_KINDS: Record<number, Text> = {
  1: { zh: '视频通话', en: 'Video call' },
  2: { zh: '语音通话', en: 'Voice call' },
  3: { zh: '多人视频通话', en: 'Group video call' },
  4: { zh: '多人语音通话', en: 'Group voice call' },
};

/** `2026-11-20 14:03:05`, or 时间未知 for a message WeCom gave no time. */
export function timeLabel(ms: number | null, lang: Lang): string {
  return ms === null ? t(UNKNOWN_TIME, lang) : formatTime(ms);
}

export function renderConversation(view: ConversationView, lang: Lang): string {
  const group = view.conversation.kind === 'group';
  return renderPage(view.conversation, view.messages.map((message) => renderMessage(message, lang, group)), lang);
}

/** A header naming the conversation (and its corp, when several are configured), then each message's lines. */
export function renderPage(conversation: ConversationSummary, messages: string[][], lang: Lang, showCorp = false): string {
  const vars = { title: conversationTitle(conversation, lang), id: conversation.id, corp: conversation.corpId };
  const lines = [t(showCorp ? TEXT.corpHeader : TEXT.header, lang, vars)];
  if (messages.length === 0) lines.push(t(TEXT.empty, lang));
  for (const message of messages) lines.push(...message);
  // Names and messages come from WeCom: nothing in them may act on the reader's terminal.
  return lines.map(terminalText).join('\n');
}

export function renderMessage(message: MessageView, lang: Lang, group: boolean): string[] {
  const time = timeLabel(message.time, lang);
  const sender = message.sender ? partyLabel(message.sender, lang) : '?';
  if (message.msgtype === 'switch' && message.status === 'decrypted') return [`${time} ${sender} ${t(SWITCHED, lang)}`];
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
  if (message.recalled) body += ` ${t(TEXT.recalled, lang, { time: timeLabel(message.recalled.time, lang) })}`;
  return [`${time} ${sender}${to}: ${body}`, ...nestedLines(message.content.items, lang, 1)];
}

/** One line for a piece of content: its text, or `[图片 12 KB，已下载]` with what it says beside it. */
export function contentText(content: ContentView, lang: Lang): string {
  if (content.msgtype === 'text' || content.msgtype === 'markdown') return oneLine(content.text);
  if (content.call) return `[${callText(content.call, lang)}]`;
  const parts = [content.card ? t(TEXT.card, lang) : typeLabel(content.msgtype, lang)];
  if (content.card) parts.push(cardHolder(content.card, lang));
  if (content.media) parts.push(...mediaDetail(content.media, lang));
  const text = content.text ? ` ${oneLine(content.text)}` : '';
  return `[${parts.join(' ')}]${text}`;
}

/** 语音通话 3分20秒 / Voice call 3 min 20 s; an unknown invitetype keeps the type's own label. */
function callText(call: CallView, lang: Lang): string {
  const kind = call.invitetype !== null && CALL_KINDS[call.invitetype] ? t(CALL_KINDS[call.invitetype]!, lang) : typeLabel('voiptext', lang);
  return call.seconds === null ? kind : `${kind} ${formatCallLength(call.seconds, lang)}`;
}

/** 1小时2分5秒 / 1 h 2 min 5 s: the parts that are not zero (0秒 for a call that never connected). */
function formatCallLength(totalSeconds: number, lang: Lang): string {
  const total = Math.max(0, Math.round(totalSeconds));
  const parts: Array<[number, string, string]> = [
    [Math.floor(total / 3600), '小时', 'h'], [Math.floor((total % 3600) / 60), '分', 'min'], [total % 60, '秒', 's'],
  ];
  const shown = parts.filter(([n]) => n > 0);
  const used = shown.length ? shown : [parts[2]!];
  return lang === 'zh' ? used.map(([n, zh]) => `${n}${zh}`).join('') : used.map(([n, , en]) => `${n} ${en}`).join(' ');
}

/** 张三（zhangsan）, 客户陈先生（wmCust1） / 陈先生 (customer wmCust1); the id alone when the directory does not know it. */
function cardHolder(card: NonNullable<ContentView['card']>, lang: Lang): string {
  if (!card.name) return card.id;
  if (lang === 'zh') return `${partyLabel(card, lang)}（${card.id}）`;
  return `${card.name} (${card.kind === 'employee' ? '' : `${card.kind} `}${card.id})`;
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

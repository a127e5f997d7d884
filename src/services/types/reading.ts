import type { ContentView } from '../../archive/reading/content.ts';
import type { ReadingKind } from '../../archive/reading/conversations.ts';
import type { PartyName, RoomName } from '../../archive/reading/names.ts';
import type { MessageStatus } from '../../store/messages.table.ts';

/**
 * Reading the archive: `conversations`, `conversation <id>`, `search <text>`. Times are UTC ms with
 * China-time text beside them; a time WeCom did not give (msgtime 0) is null, its text null too.
 * Labels and titles are in the language asked for (the names themselves are as the directory has them).
 */

/** The most rows one reading call returns (`--limit`): no call reads the whole archive at once. */
export const READING_MAX_LIMIT = 10_000;

/** A person as a line shows them: `label` is 张三, 客户陈先生, 机器人日报助手 (zh) or 陈先生 (customer) (en). */
export interface PartyLabel extends PartyName {
  label: string;
}

export interface ConversationItem {
  corpId: string;
  /** What `conversation <id>` takes: a roomid, `a|b` for a chat without a room, `system:<userid>` for a member's switch entries. */
  id: string;
  kind: ReadingKind;
  /** 华东客户交流群, 张三 ↔ 客户陈先生, 系统记录：张三. */
  title: string;
  participants: PartyName[];
  room: RoomName | null;
  lastMsgtime: number | null;
  lastTime: string | null;
}

export interface ConversationsResult {
  ok: true;
  conversations: ConversationItem[];
  /** Conversations were left out by the limit. */
  truncated: boolean;
  /** How many match, every corp in scope together (equals the list's length when not truncated). */
  total: number;
}

export interface MessageItem {
  msgid: string;
  /** WeCom's seq (uint64) as decimal text. */
  seq: string;
  time: number | null;
  timeText: string | null;
  status: MessageStatus;
  action: string | null;
  msgtype: string | null;
  sender: PartyLabel | null;
  receivers: PartyName[];
  content: ContentView;
  recalled: { msgid: string; time: number | null } | null;
  recalls: { msgid: string; found: boolean; time: number | null; text: string | null } | null;
  /** The message as the table prints it (nested items on their own lines). */
  lines: string[];
}

export interface ConversationResult {
  ok: true;
  conversation: ConversationItem;
  messages: MessageItem[];
  /**
   * The range holds messages the page leaves out: earlier ones (the page is the latest `limit`),
   * or later ones when `from` was given (the page is the first `limit` from there).
   */
  truncated: boolean;
  /** Messages in the range (from/to); the page shows `messages.length` of them. */
  total: number;
  /** Which end was cut: `earlier` (no `from`), `later`, or `both` (a page in the middle, by cursor). */
  direction: 'earlier' | 'later' | 'both';
  /** The msgids to page on from here (`before=` / `after=`); null where the range holds nothing more. */
  cursors: { before: string | null; after: string | null };
}

export interface SearchHitItem {
  corpId: string;
  msgid: string;
  seq: string;
  time: number | null;
  timeText: string | null;
  msgtype: string | null;
  /** The type as people call it (文本, 文件, 切换企业…). */
  typeLabel: string;
  conversation: ConversationItem;
  sender: PartyLabel | null;
  /** The text around the first match, the match in 【】. */
  snippet: string;
}

export interface SearchResult {
  ok: true;
  hits: SearchHitItem[];
  /** More messages match than the limit let through. */
  truncated: boolean;
  /** The query was long enough for the full-text index (shorter ones scan every message). */
  indexed: boolean;
}

import type { Text } from '../i18n/index.ts';

/**
 * Every chat-archive message type (shared/reference/archive-sdk.md §4.2), declared once. The parser
 * (src/archive/parser) and the sandbox's generator (src/sandbox/archive) both derive from this table:
 * where a payload sits, which of its fields people search by, which carry downloadable media, and
 * which nest other messages. A type WeCom lists without a published layout is kept with
 * `documented: false` so it is recognised but its fields are never trusted.
 */

/** A downloadable file inside a payload; `sdkfileid` is always the field that names it. */
export interface MediaFields {
  /** Field holding the byte size; absent where WeCom sends none (meeting_voice_call). */
  size?: string;
  /** `md5sum` where WeCom sends one (it may still be empty, §1.4). */
  md5?: 'md5sum';
  filename?: string;
  /** Field holding the extension, where the payload names one (file: `fileext`). */
  extField?: string;
  /** The extension WeCom's files of this type have when the payload says nothing (§1.4). */
  ext: string;
  /** emotion: `type` 1 is a gif, 2 a png. */
  extByField?: { field: string; values: Readonly<Record<string, string>> };
}

export interface MsgTypeSpec {
  /** The `msgtype` value (`switch` is an action without msgtype; it is listed so it is handled once). */
  name: string;
  /** Key of the payload object in the message; null when the fields are top level (switch). */
  payloadKey: string | null;
  /** The `action` WeCom sends with this type. */
  action: 'send' | 'recall' | 'switch';
  label: Text;
  /**
   * Text-bearing fields, as paths inside the payload: `title`, `item[].title` (every element's
   * title), `voteitem[]` (every element). File names are listed too: people search by them.
   */
  text: readonly string[];
  media?: MediaFields;
  /** Items whose `content` is a JSON string of another type's payload (§4.2 "nested"). */
  nests?: 'chatrecord' | 'mixed';
  /** How a chatrecord item of this type is named (`ChatRecordText`). */
  chatrecordItem?: string;
  /** Fields WeCom puts at the top level beside the payload (voiceid, voipid). */
  topLevel?: readonly string[];
  /** vote: silenceper models the fields at the top level, fudiwei under `vote`; both are read (§4.2). */
  alsoTopLevel?: boolean;
  /** False: listed by WeCom without a layout; the fields here are third-party guesses (§4.2 last row). */
  documented: boolean;
  /**
   * Scalar fields a reader shows beside the text (coordinates, amounts, times, a link's address),
   * as they are: the web UI draws its bubbles from them. Never a secret (sdkfileid is never listed).
   */
  facts?: readonly string[];
}

export const MSGTYPES = [
  { name: 'text', payloadKey: 'text', action: 'send', label: { zh: '文本', en: 'Text' },
    text: ['content'], chatrecordItem: 'ChatRecordText', documented: true },
  { name: 'image', payloadKey: 'image', action: 'send', label: { zh: '图片', en: 'Image' },
    text: [], media: { size: 'filesize', md5: 'md5sum', ext: 'jpg' }, chatrecordItem: 'ChatRecordImage', documented: true },
  { name: 'revoke', payloadKey: 'revoke', action: 'recall', label: { zh: '撤回', en: 'Recall' },
    text: [], documented: true },
  { name: 'agree', payloadKey: 'agree', action: 'send', label: { zh: '同意存档', en: 'Consent given' },
    text: [], documented: true },
  { name: 'disagree', payloadKey: 'disagree', action: 'send', label: { zh: '不同意存档', en: 'Consent refused' },
    text: [], documented: true },
  { name: 'voice', payloadKey: 'voice', action: 'send', label: { zh: '语音', en: 'Voice' },
    text: [], media: { size: 'voice_size', md5: 'md5sum', ext: 'amr' }, chatrecordItem: 'ChatRecordVoice', facts: ['play_length'], documented: true },
  { name: 'video', payloadKey: 'video', action: 'send', label: { zh: '视频', en: 'Video' },
    text: [], media: { size: 'filesize', md5: 'md5sum', ext: 'mp4' }, chatrecordItem: 'ChatRecordVideo', facts: ['play_length'], documented: true },
  { name: 'card', payloadKey: 'card', action: 'send', label: { zh: '名片', en: 'Contact card' },
    text: ['corpname'], chatrecordItem: 'ChatRecordCard', documented: true },
  { name: 'location', payloadKey: 'location', action: 'send', label: { zh: '位置', en: 'Location' },
    text: ['title', 'address'], chatrecordItem: 'ChatRecordLocation', facts: ['latitude', 'longitude', 'zoom'], documented: true },
  { name: 'emotion', payloadKey: 'emotion', action: 'send', label: { zh: '表情', en: 'Sticker' },
    text: [], media: { size: 'imagesize', md5: 'md5sum', ext: 'gif', extByField: { field: 'type', values: { 1: 'gif', 2: 'png' } } },
    chatrecordItem: 'ChatRecordEmotion', facts: ['width', 'height'], documented: true },
  { name: 'file', payloadKey: 'file', action: 'send', label: { zh: '文件', en: 'File' },
    text: ['filename'], media: { size: 'filesize', md5: 'md5sum', filename: 'filename', extField: 'fileext', ext: 'bin' },
    chatrecordItem: 'ChatRecordFile', documented: true },
  { name: 'link', payloadKey: 'link', action: 'send', label: { zh: '链接', en: 'Link' },
    text: ['title', 'description'], chatrecordItem: 'ChatRecordLink', facts: ['link_url'], documented: true },
  { name: 'weapp', payloadKey: 'weapp', action: 'send', label: { zh: '小程序', en: 'Mini program' },
    text: ['title', 'description', 'displayname'], chatrecordItem: 'ChatRecordWeapp', documented: true },
  { name: 'chatrecord', payloadKey: 'chatrecord', action: 'send', label: { zh: '聊天记录', en: 'Chat history' },
    text: ['title'], nests: 'chatrecord', documented: true },
  { name: 'todo', payloadKey: 'todo', action: 'send', label: { zh: '待办', en: 'To-do' },
    text: ['title', 'content'], documented: true },
  { name: 'vote', payloadKey: 'vote', action: 'send', label: { zh: '投票', en: 'Vote' },
    text: ['votetitle', 'voteitem[]'], alsoTopLevel: true, facts: ['votetype'], documented: true },
  { name: 'collect', payloadKey: 'collect', action: 'send', label: { zh: '填表', en: 'Form' },
    text: ['room_name', 'creator', 'title', 'details[].ques'], facts: ['create_time'], documented: true },
  { name: 'redpacket', payloadKey: 'redpacket', action: 'send', label: { zh: '红包', en: 'Red packet' },
    text: ['wish'], facts: ['type', 'totalcnt', 'totalamount'], documented: true },
  { name: 'meeting', payloadKey: 'meeting', action: 'send', label: { zh: '会议邀请', en: 'Meeting invitation' },
    text: ['topic', 'address', 'remarks'], facts: ['starttime', 'endtime', 'meetingtype', 'status'], documented: true },
  { name: 'docmsg', payloadKey: 'doc', action: 'send', label: { zh: '在线文档', en: 'Online document' },
    text: ['title'], facts: ['link_url', 'doc_creator'], documented: true },
  { name: 'markdown', payloadKey: 'info', action: 'send', label: { zh: 'Markdown', en: 'Markdown' },
    text: ['content'], documented: true },
  { name: 'news', payloadKey: 'info', action: 'send', label: { zh: '图文', en: 'News' },
    text: ['item[].title', 'item[].description'], documented: true },
  { name: 'calendar', payloadKey: 'calendar', action: 'send', label: { zh: '日程', en: 'Calendar event' },
    text: ['title', 'creatorname', 'attendeename[]', 'place', 'remarks'], facts: ['starttime', 'endtime'], documented: true },
  { name: 'mixed', payloadKey: 'mixed', action: 'send', label: { zh: '图文混排', en: 'Mixed content' },
    text: [], nests: 'mixed', chatrecordItem: 'ChatRecordMixed', documented: true },
  { name: 'meeting_voice_call', payloadKey: 'meeting_voice_call', action: 'send', label: { zh: '音频存档', en: 'Call recording' },
    text: ['demofiledata[].filename'], media: { ext: 'mp3' }, topLevel: ['voiceid'], facts: ['endtime'], documented: true },
  { name: 'voip_doc_share', payloadKey: 'voip_doc_share', action: 'send', label: { zh: '音频共享文档', en: 'Document shared in a call' },
    text: ['filename'], media: { size: 'filesize', md5: 'md5sum', filename: 'filename', ext: 'bin' },
    topLevel: ['voipid'], documented: true },
  { name: 'external_redpacket', payloadKey: 'redpacket', action: 'send', label: { zh: '互通红包', en: 'Red packet (WeChat)' },
    text: ['wish'], facts: ['type', 'totalcnt', 'totalamount'], documented: true },
  { name: 'sphfeed', payloadKey: 'sphfeed', action: 'send', label: { zh: '视频号', en: 'Channels post' },
    text: ['sph_name', 'feed_desc'], facts: ['feed_type'], documented: true },
  { name: 'voiptext', payloadKey: 'info', action: 'send', label: { zh: '音视频通话', en: 'Audio/video call' },
    text: [], documented: true },
  { name: 'qydiskfile', payloadKey: 'info', action: 'send', label: { zh: '微盘文件', en: 'WeDrive file' },
    text: ['filename'], documented: true },
  { name: 'meeting_notification', payloadKey: 'meeting_notification', action: 'send',
    label: { zh: '会议控制消息', en: 'Meeting control' }, text: ['content'], documented: false },
  { name: 'solitaire', payloadKey: 'solitaire', action: 'send', label: { zh: '接龙', en: 'Sign-up chain' },
    text: ['title', 'details[].content'], documented: false },
  { name: 'note', payloadKey: 'info', action: 'send', label: { zh: '笔记', en: 'Note' },
    text: ['items[].content'], documented: false },
  { name: 'switch', payloadKey: null, action: 'switch', label: { zh: '切换企业', en: 'Switched company' },
    text: [], documented: true },
] as const satisfies readonly MsgTypeSpec[];

export type MsgTypeName = (typeof MSGTYPES)[number]['name'];

const byName = new Map<string, MsgTypeSpec>(MSGTYPES.map((spec) => [spec.name, spec]));
const byChatrecordItem = new Map<string, MsgTypeSpec>();
for (const spec of MSGTYPES as readonly MsgTypeSpec[]) {
  if (spec.chatrecordItem) byChatrecordItem.set(spec.chatrecordItem, spec);
}

export function msgTypeSpec(name: string): MsgTypeSpec | undefined {
  return byName.get(name);
}

/** The type a nested item stands for: chatrecord items say `ChatRecordImage`, mixed items `image`. */
export function nestedItemSpec(itemType: string): MsgTypeSpec | undefined {
  return byChatrecordItem.get(itemType) ?? byName.get(itemType);
}

/** Types whose own payload carries a downloadable file. */
export const MEDIA_MSGTYPES: readonly MsgTypeName[] = MSGTYPES.filter((spec) => 'media' in spec).map((spec) => spec.name);

/** The field that names a file for GetMediaData, wherever media sits (§2.5: a secret). */
export const SDKFILEID_FIELD = 'sdkfileid';

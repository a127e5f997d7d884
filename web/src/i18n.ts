/**
 * Every string the UI shows, in one catalogue: Chinese by default, English by the toggle (kept in
 * localStorage). Times are shown in the corp's local time, China time unless told otherwise.
 */
export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'wecom-archive.lang';
export const TIME_ZONE = 'Asia/Shanghai';

export const CATALOGUE = {
  appName: { zh: '会话存档', en: 'Chat archive' },
  langToggle: { zh: 'English', en: '中文' },
  langToggleLabel: { zh: '切换到英文', en: 'Switch to Chinese' },
  navBrowse: { zh: '会话', en: 'Conversations' },
  navSearch: { zh: '搜索', en: 'Search' },
  navHealth: { zh: '运行状况', en: 'Health' },
  navAudit: { zh: '审计日志', en: 'Audit log' },
  mainNav: { zh: '主导航', en: 'Main navigation' },
  logout: { zh: '退出登录', en: 'Log out' },
  signedInAs: { zh: '{name}（{role}）', en: '{name} ({role})' },
  roleAdmin: { zh: '管理员', en: 'admin' },
  roleAuditor: { zh: '审计员', en: 'auditor' },
  roleManager: { zh: '经理', en: 'manager' },
  roleViewer: { zh: '查看者', en: 'viewer' },
  apiClient: { zh: '以 API 令牌访问', en: 'Using an API token' },
  loading: { zh: '加载中…', en: 'Loading…' },
  loadingMore: { zh: '正在加载更多…', en: 'Loading more…' },
  retry: { zh: '重试', en: 'Retry' },
  empty: { zh: '没有内容', en: 'Nothing here' },
  truncated: { zh: '仅显示前 {count} 条', en: 'Showing the first {count}' },
  notAvailable: { zh: '此服务器尚未提供', en: 'Not provided by this server yet' },
  errorTitle: { zh: '出错了', en: 'Something went wrong' },
  networkError: { zh: '无法连接服务器', en: 'Cannot reach the server' },
  forbidden: { zh: '无权访问', en: 'Not allowed' },
  notFoundPage: { zh: '没有这个页面', en: 'No such page' },
  backHome: { zh: '返回会话', en: 'Back to conversations' },

  loginTitle: { zh: '登录', en: 'Log in' },
  loginName: { zh: '用户名', en: 'User name' },
  loginPassword: { zh: '密码', en: 'Password' },
  loginSubmit: { zh: '登录', en: 'Log in' },
  loginBusy: { zh: '正在登录…', en: 'Logging in…' },
  loginHint: { zh: '所有查看、搜索和下载都会记入审计日志。', en: 'Every view, search and download is written to the audit log.' },

  purposeTitle: { zh: '说明查看目的', en: 'State your purpose' },
  purposeIntro: {
    zh: '查看消息内容前，请说明目的。目的会记入审计日志，与每次查看一起保存。',
    en: 'Before any message content is shown, state why you need it. It is written to the audit log with every view.',
  },
  purposeText: { zh: '目的（自由填写）', en: 'Purpose (free text)' },
  purposeCase: { zh: '或案件编号', en: 'Or a case reference' },
  purposeCasePlaceholder: { zh: '如 CASE-2026-014', en: 'e.g. CASE-2026-014' },
  purposeScope: { zh: '适用范围', en: 'Applies to' },
  purposeScopeSession: { zh: '本次登录', en: 'This session' },
  purposeScopeConversation: { zh: '仅此会话', en: 'This conversation only' },
  purposeSubmit: { zh: '确认并查看', en: 'Confirm and view' },
  purposeMissing: { zh: '请填写目的或案件编号', en: 'Give a purpose or a case reference' },
  purposeCurrent: { zh: '当前目的：{text}', en: 'Purpose: {text}' },
  purposeChange: { zh: '更改', en: 'Change' },
  purposeCasePrefix: { zh: '案件 {ref}', en: 'Case {ref}' },

  byEmployee: { zh: '按员工', en: 'By employee' },
  byCustomer: { zh: '按客户', en: 'By customer' },
  byGroup: { zh: '按群聊', en: 'By group' },
  browseMode: { zh: '浏览方式', en: 'Browse' },
  filterPlaceholder: { zh: '按名称或 ID 筛选', en: 'Filter by name or id' },
  filterLabel: { zh: '筛选', en: 'Filter' },
  employees: { zh: '员工', en: 'Employees' },
  customers: { zh: '客户', en: 'Customers' },
  groups: { zh: '群聊', en: 'Groups' },
  colleagues: { zh: '同事', en: 'Colleagues' },
  systemLog: { zh: '系统记录', en: 'System log' },
  conversations: { zh: '会话', en: 'Conversations' },
  pickLeft: { zh: '在左侧选择一位员工、客户或群聊', en: 'Pick an employee, customer or group on the left' },
  pickConversation: { zh: '选择一个会话', en: 'Pick a conversation' },
  messageCount: { zh: '共 {count} 条消息', en: '{count} messages' },
  openProfile: { zh: '查看资料', en: 'Profile' },
  followedBy: { zh: '跟进人：{names}', en: 'Followed by: {names}' },
  members: { zh: '成员', en: 'Members' },
  kindCustomer: { zh: '客户', en: 'customer' },
  kindEmployee: { zh: '员工', en: 'employee' },
  messages: { zh: '消息', en: 'Messages' },
  startOfConversation: { zh: '会话开始', en: 'Start of the conversation' },
  endOfConversation: { zh: '已是最新', en: 'Latest message' },
  jumpLatest: { zh: '跳到最新', en: 'Jump to latest' },

  searchTitle: { zh: '搜索消息', en: 'Search messages' },
  searchText: { zh: '搜索内容', en: 'Text to find' },
  searchFrom: { zh: '开始日期', en: 'From' },
  searchTo: { zh: '结束日期', en: 'To' },
  searchEmployee: { zh: '员工（ID 或姓名）', en: 'Employee (id or name)' },
  searchCustomer: { zh: '客户（ID 或名称）', en: 'Customer (id or name)' },
  searchGroup: { zh: '群聊（会话 ID）', en: 'Group (conversation id)' },
  searchTypes: { zh: '消息类型', en: 'Message types' },
  searchSubmit: { zh: '搜索', en: 'Search' },
  searchHits: { zh: '{count} 条结果', en: '{count} results' },
  searchMore: { zh: '结果较多，仅显示前 {count} 条；请缩小范围', en: 'More match; showing the first {count}. Narrow the search' },
  searchNotIndexed: { zh: '搜索词较短，逐条扫描', en: 'Short query: every message was scanned' },
  searchNone: { zh: '没有找到匹配的消息', en: 'No message matches' },
  searchIn: { zh: '在 {title}', en: 'in {title}' },

  customerTitle: { zh: '客户资料', en: 'Customer' },
  profile: { zh: '资料', en: 'Profile' },
  followers: { zh: '跟进员工', en: 'Followers' },
  remark: { zh: '备注', en: 'Remark' },
  description: { zh: '描述', en: 'Description' },
  tags: { zh: '标签', en: 'Tags' },
  addedAt: { zh: '添加时间', en: 'Added' },
  consentHistory: { zh: '存档同意记录', en: 'Consent history' },
  consentAgree: { zh: '同意', en: 'Agreed' },
  consentDisagree: { zh: '拒绝', en: 'Refused' },
  consentDefault: { zh: '默认同意', en: 'Agreed by default' },
  noConsent: { zh: '没有同意记录', en: 'No consent record' },
  corpName: { zh: '企业', en: 'Company' },
  position: { zh: '职务', en: 'Position' },
  customerType: { zh: '类型', en: 'Type' },
  typeWechat: { zh: '微信用户', en: 'WeChat user' },
  typeWecom: { zh: '企业微信用户', en: 'WeCom user' },
  gender: { zh: '性别', en: 'Gender' },
  genderMale: { zh: '男', en: 'Male' },
  genderFemale: { zh: '女', en: 'Female' },
  genderUnknown: { zh: '未知', en: 'Unknown' },
  firstSeen: { zh: '首次同步', en: 'First synced' },
  deleted: { zh: '已删除', en: 'Deleted' },
  hiddenFields: { zh: '企业微信未提供：{fields}', en: 'Withheld by WeCom: {fields}' },

  employeeTitle: { zh: '员工', en: 'Employee' },
  department: { zh: '部门', en: 'Department' },
  status: { zh: '状态', en: 'Status' },
  statusActive: { zh: '在职', en: 'Active' },
  statusDisabled: { zh: '已禁用', en: 'Disabled' },
  statusInactive: { zh: '未激活', en: 'Not activated' },
  statusLeft: { zh: '已离职', en: 'Left' },
  email: { zh: '邮箱', en: 'Email' },
  mobile: { zh: '手机', en: 'Mobile' },
  theirCustomers: { zh: '跟进的客户', en: 'Their customers' },
  theirGroups: { zh: '所在客户群', en: 'Their customer groups' },
  notFound: { zh: '没有找到', en: 'Not found' },

  healthTitle: { zh: '运行状况', en: 'Health' },
  corp: { zh: '企业', en: 'Corp' },
  lastSync: { zh: '最近同步', en: 'Last sync' },
  neverSynced: { zh: '从未同步', en: 'Never synced' },
  archiveLag: { zh: '存档延迟', en: 'Archive lag' },
  lastPull: { zh: '最近拉取', en: 'Last pull' },
  archivedMessages: { zh: '已存档消息', en: 'Archived messages' },
  coverage: { zh: '存档覆盖', en: 'Coverage' },
  callbackInbox: { zh: '回调收件箱', en: 'Callback inbox' },
  parkedEvents: { zh: '搁置的事件', en: 'Parked events' },
  lastVerify: { zh: '最近校验', en: 'Last verify' },
  verifyOk: { zh: '哈希链完整', en: 'Chain intact' },
  verifyBroken: { zh: '哈希链异常', en: 'Chain broken' },
  mediaPending: { zh: '待下载媒体', en: 'Media pending' },
  verifyNow: { zh: '立即校验哈希链', en: 'Verify the hash chain now' },
  verifyChecked: { zh: '已校验 {count} 条', en: '{count} checked' },
  quarantined: { zh: '隔离的消息', en: 'Quarantined messages' },
  expiresIn: { zh: '未拉取消息过期前剩余', en: 'Until unpulled messages expire' },

  auditTitle: { zh: '审计日志', en: 'Audit log' },
  auditActor: { zh: '操作人', en: 'Actor' },
  auditAction: { zh: '操作', en: 'Action' },
  auditFrom: { zh: '开始日期', en: 'From' },
  auditTo: { zh: '结束日期', en: 'To' },
  auditResult: { zh: '结果', en: 'Result' },
  auditTarget: { zh: '对象', en: 'Target' },
  auditPurpose: { zh: '目的', en: 'Purpose' },
  auditAt: { zh: '时间', en: 'Time' },
  auditIp: { zh: 'IP', en: 'IP' },
  auditFilter: { zh: '筛选', en: 'Filter' },
  any: { zh: '全部', en: 'Any' },

  recalled: { zh: '已撤回', en: 'Recalled' },
  recalledAt: { zh: '于 {time} 撤回', en: 'recalled at {time}' },
  recallOf: { zh: '撤回了一条消息', en: 'recalled a message' },
  recallOfMissing: { zh: '撤回了一条未存档的消息', en: 'recalled a message that is not in the archive' },
  consentAgreeLine: { zh: '{who} 同意了会话存档', en: '{who} agreed to the chat archive' },
  consentDisagreeLine: { zh: '{who} 不同意会话存档', en: '{who} refused the chat archive' },
  switchLine: { zh: '{who} 切换了企业', en: '{who} switched company' },
  undecryptable: { zh: '无法解密（{status}）', en: 'Could not be decrypted ({status})' },
  unknownType: { zh: '未知类型 {type}', en: 'Unknown type {type}' },
  someone: { zh: '对方', en: 'Someone' },
  to: { zh: '发给 {names}', en: 'to {names}' },

  mediaPendingState: { zh: '媒体尚未下载', en: 'Media not downloaded yet' },
  mediaNotQueued: { zh: '媒体未下载', en: 'Media not downloaded' },
  mediaExpired: { zh: '媒体已过期（企业微信已不再保存）', en: 'Media expired (WeCom no longer has it)' },
  mediaMissing: { zh: '企业微信找不到此媒体', en: 'WeCom does not know this media' },
  mediaFailed: { zh: '媒体下载失败', en: 'Media download failed' },
  mediaMd5: { zh: '媒体校验不符（仍可下载）', en: 'Media checksum mismatch (still downloadable)' },
  mediaLoadError: { zh: '无法加载媒体：{detail}', en: 'Could not load the media: {detail}' },
  download: { zh: '下载', en: 'Download' },
  downloadNamed: { zh: '下载 {name}', en: 'Download {name}' },
  imageAlt: { zh: '图片', en: 'Image' },
  zoomIn: { zh: '放大查看', en: 'Zoom in' },
  closeZoom: { zh: '关闭', en: 'Close' },
  play: { zh: '播放', en: 'Play' },
  pause: { zh: '暂停', en: 'Pause' },
  seek: { zh: '播放进度', en: 'Playback position' },
  voiceSeconds: { zh: '{seconds} 秒', en: '{seconds} s' },
  voiceLabel: { zh: '语音', en: 'Voice' },
  voiceDecoding: { zh: '正在解码语音…', en: 'Decoding the voice message…' },
  voiceUnsupported: { zh: '无法在浏览器中播放的语音格式（{codec}）', en: 'A voice format the browser cannot play ({codec})' },
  voiceDecodeFailed: { zh: '语音解码失败', en: 'The voice message could not be decoded' },
  voiceLoad: { zh: '加载语音', en: 'Load voice' },
  videoLoad: { zh: '加载视频', en: 'Load video' },
  expand: { zh: '展开', en: 'Expand' },
  collapse: { zh: '收起', en: 'Collapse' },
  items: { zh: '{count} 条', en: '{count} items' },
  linkUnsafe: { zh: '（非 http/https 链接，不可点击）', en: '(not an http/https link: not clickable)' },
  coordinates: { zh: '坐标 {lat}, {lng}', en: 'Coordinates {lat}, {lng}' },
  redpacketAmount: { zh: '{amount} 元，{count} 个', en: '¥{amount}, {count} packets' },
  redpacketLucky: { zh: '拼手气红包', en: 'Lucky red packet' },
  redpacketNormal: { zh: '普通红包', en: 'Red packet' },
  redpacketIncentive: { zh: '激励红包', en: 'Incentive red packet' },
  timeRange: { zh: '{start} 至 {end}', en: '{start} to {end}' },
  meetingInvite: { zh: '会议邀请', en: 'Meeting invitation' },
  meetingReply: { zh: '会议回复', en: 'Meeting reply' },
  voteStart: { zh: '发起投票', en: 'Started a vote' },
  voteJoin: { zh: '参与投票', en: 'Voted' },
  callLength: { zh: '通话时长 {length}', en: 'Call length {length}' },
  callVoice: { zh: '语音通话', en: 'Voice call' },
  callVideo: { zh: '视频通话', en: 'Video call' },
  callUnknown: { zh: '通话', en: 'Call' },
  cardOf: { zh: '{name} 的名片', en: 'Card of {name}' },
  docBy: { zh: '创建人 {who}', en: 'created by {who}' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type TextKey = keyof typeof CATALOGUE;

function initialLang(): Lang {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    // Storage refused (privacy mode): Chinese.
  }
  return 'zh';
}

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not kept: the toggle still works for this page.
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener(next);
}

export function onLang(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A catalogue string with `{name}` placeholders filled. Values are text: the UI renders them as text nodes. */
export function t(key: TextKey, vars: Record<string, string | number> = {}): string {
  const template: string = CATALOGUE[key][current];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(withTime: boolean): Intl.DateTimeFormat {
  const key = `${withTime}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat('en-CA', {
      timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    formatters.set(key, made);
  }
  return made;
}

/** `2026-11-20 14:03:05`, in the corp's time zone; '' for no time. */
export function formatTime(ms: number | null | undefined, withTime = true): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return '';
  const parts = Object.fromEntries(formatter(withTime).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return withTime ? `${date} ${parts.hour}:${parts.minute}:${parts.second}` : date;
}

/** 3 s, 4 min 5 s, 2 h 3 min: a lag or a length. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  const zh = current === 'zh';
  if (s < 60) return zh ? `${s} 秒` : `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return zh ? `${m} 分 ${s % 60} 秒` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return zh ? `${h} 小时 ${m % 60} 分` : `${h} h ${m % 60} min`;
  return zh ? `${Math.floor(h / 24)} 天` : `${Math.floor(h / 24)} days`;
}

export function formatBytes(size: number | null | undefined): string {
  if (size === null || size === undefined) return '';
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** A catalogue string with placeholders filled by elements (a name in its own <bdi>), as children. */
export function tParts<T>(key: TextKey, vars: Record<string, T>): Array<string | T> {
  const template: string = CATALOGUE[key][current];
  return template.split(/(\{\w+\})/).filter(Boolean).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    return name !== undefined && name in vars ? vars[name]! : part;
  });
}

/**
 * The Chinese of the CLI's help. Command files declare their help in English (commander's own
 * language); this table gives the Chinese, keyed by command path ('' is the program, 'archive pull')
 * and by long option flag or argument name, and `localizeHelp` (help-localize.ts) applies it to the
 * built tree. A test walks the tree and fails on any command, option or argument without Chinese,
 * so a new command cannot ship English-only help.
 *
 * Descriptions that several commands share word for word are translated once, keyed by the English
 * itself: if a command's English changes, the shared Chinese no longer applies and the test says so.
 */

export interface CommandHelp {
  description?: string;
  /** By long flag (`--limit`) or, for a flag without one, the short flag. */
  options?: Record<string, string>;
  /** By argument name (`endpoint`). */
  arguments?: Record<string, string>;
}

/**
 * Commands that localize their own help at registration (their descriptions are already Chinese
 * under zh): the table leaves them alone, the test still checks they are Chinese.
 */
export const SELF_LOCALIZED = new Set(['sandbox']);

export const COMMAND_HELP_ZH: Record<string, CommandHelp> = {
  '': {
    description: '企业微信会话存档、通讯录与客户，保存在你自己的数据库中',
    options: {
      '--config': '配置文件（KEY=VALUE 行），或 *.env 文件所在的文件夹（每个企业一个）；可多次给出；给出时不读取 ./wecom.env',
      '--corp': '要操作的企业（仅在配置了多个企业时需要）；列表和搜索只看该企业',
      '--lang': '输出语言：zh（默认）或 en；也可设置 WECOM_ARCHIVE_LANG',
      '--json': '机器可读的输出（JSON）',
    },
  },
  init: {
    description: '写出新的配置文件（权限 0600）：交互填写，或用 --set KEY=VALUE 直接给出',
    options: {
      '--output': '写入的文件（默认 ./wecom.env）',
      '--set': '不经询问直接设置一个键（可多次）；给出 --set 时不再提问',
      '--force': '覆盖已存在的文件',
    },
  },
  config: { description: '查看配置' },
  'config show': { description: '显示生效的配置及每个值的来源（Secret 已脱敏）' },
  doctor: {
    description: '检查每个 Secret、权限、企业可信 IP 和代理；每项失败都给出原因和处理方法',
    options: { '--store': '只检查存储：SQLite quick_check（或 PostgreSQL 连接与结构版本）、剩余空间、哈希链、最近一次备份' },
  },
  backup: {
    description: '在拉取和同步运行时一致地备份存储：数据库、其引用的媒体文件，以及记录链头和 sha256 的清单',
    arguments: { dir: '写入备份的空文件夹或新文件夹' },
    options: { '--include-secrets': '同时复制配置文件和密钥文件（权限 0600）' },
  },
  restore: {
    description: '先按清单核对每个文件，再把备份恢复到空的 DATA_DIR',
    arguments: { dir: '`backup` 写出的文件夹' },
  },
  corps: { description: '已配置的企业：Secret、上次同步、存档位置和落后时间' },
  sync: {
    description: '把每个企业的通讯录、客户和客户群复制到数据库（中断后可续传）',
    arguments: { scope: 'directory（通讯录）| customers（客户）| groups（客户群）| all（全部）' },
    options: { '--rows-per-commit': '每 n 条记录至少提交一次（越小崩溃时损失越少；越大在 SQLite 上越快）' },
  },
  employees: {
    description: '列出成员（通讯录中的员工）',
    options: { '--department': '该部门及其下级部门的成员', '--tag': '带有该成员标签的成员' },
  },
  departments: {
    description: '以树形列出部门（按层级缩进，按企业微信中的顺序）',
    options: { '--department': '该部门及其下级部门' },
  },
  customers: {
    description: '列出客户（外部联系人），或显示一位客户及其跟进成员、备注、标签和存档同意情况',
    arguments: { external_userid: '显示该客户（完整 ID）' },
    options: {
      '--follow-user': '该成员跟进的客户',
      '--department': '由该部门（含下级）成员跟进的客户',
      '--tag': '带有该企业标签的客户',
    },
  },
  groups: {
    description: '列出客户群，或显示一个客户群及其成员',
    arguments: { chat_id: '显示该客户群（完整 ID）' },
    options: { '--follow-user': '该成员是群主或在群中的客户群' },
  },
  events: {
    description: '收到的回调事件（收件箱）：列出、查看、重放',
    options: {
      '--status': '只列出该状态的事件：pending（待处理）、applied（已应用）、failed（失败待重试）、parked（已搁置）、ignored（已忽略）',
      '--limit': '最多显示 n 个事件',
      '--before': '只列出编号小于此值的事件（下一页）',
    },
  },
  'events show': { description: '显示一个事件及其解密后的内容', arguments: { id: '事件编号' } },
  'events replay': {
    description: '把失败或已搁置的事件放回待处理队列',
    arguments: { ids: '事件编号' },
    options: { '--parked': '所有已搁置的事件（--corp 指定的企业，或所有企业）' },
  },
  archive: { description: '会话内容存档：密钥、拉取、校验' },
  'archive keygen': {
    description: '为会话存档生成新的 RSA-2048 密钥对，并说明公钥上传到哪里',
    options: {
      '--data-dir': '私钥保存在 <dir>/keys 下（默认 DATA_DIR）',
      '--ver': '保存为该 publickey_ver（默认比已配置或已保存的最大版本大 1）',
    },
  },
  'archive pull': {
    description: '拉取每个企业的会话存档直到追上：解密、解析并保存每条消息（Ctrl+C 在当前页结束后停止）',
    options: {
      '--page-size': '每次 GetChatData 拉取的消息数，最多 1000',
      '--max-pages': '拉取这么多页后停止，即使尚未追上',
      '--no-media': '拉取后不下载媒体文件（之后运行 `archive media`）',
    },
  },
  worker: {
    description: '在 PostgreSQL 上运行后台任务（同步、会话存档、回调事件），直到 SIGTERM；可同时运行多个',
    options: { '--once': '把到期的任务各运行一次（回调事件、各企业的存档拉取、到期的同步）后退出' },
  },
  'archive watch': {
    description: '每隔 --interval 秒持续拉取每个企业的会话存档，直到 Ctrl+C / SIGTERM',
    options: { '--interval': '追上之后两次拉取之间的间隔', '--no-media': '每次拉取后不下载媒体文件' },
  },
  'archive status': { description: '各企业保存的消息数（按状态）；落后企业微信多少及 5 天窗口；上次拉取；隔离的消息' },
  'archive verify': {
    description: '对每个企业保存的原始信封重新计算哈希链；报告第一个断点（退出码 1），或报告正常及链头哈希',
    options: {
      '--deep': '把每条已解密的消息再解密一次（需要密钥和 SDK），比对保存的字段和媒体记录',
    },
  },
  'archive retry': {
    description: '从保存的原始信封重新解密仍为密文的消息（缺少密钥、解密失败、已隔离）',
    options: { '--status': '重试哪些：missing_key、failed、quarantined（逗号分隔）' },
  },
  'archive media': {
    description: '下载已保存消息的媒体（图片、语音、视频、文件）：可续传、经校验、相同内容只存一份',
    options: {
      '--retry-failed': '先把标记为 failed 或 md5_mismatch 的项重新放回队列',
      '--concurrency': '同时下载的项数',
    },
  },
  'archive coverage': {
    description: '哪些人在存档范围内、哪些不在，拒绝存档的客户，群和机器人的名称（从企业微信刷新）',
    options: {
      '--no-refresh': '显示上次刷新保存的结果，不调用企业微信',
      '--full': '重新查询每个群和机器人的名称，并重新读取每条同意消息',
      '--all': '列出全部拒绝存档的客户和未命名的群（终端默认每类只显示前 20 个）',
    },
  },
  search: {
    description: '搜索存档消息（空格分开的词须都出现，顺序不限；中文子串、文件名、转发的聊天记录），最新的在前',
    arguments: { text: '要搜索的文字' },
    options: {
      '--from': '从该时间起（2026-11-20、2026-11-20 14:00；北京时间）',
      '--employee': '该成员发出或收到的消息',
      '--customer': '该客户发出或收到的消息',
      '--conversation': '只搜索该会话（ID 见 `conversations`）',
      '--type': '消息类型，逗号分隔（text,file,chatrecord,switch…）',
      '--limit': '最多 n 条结果（默认 50）',
    },
  },
  conversations: {
    description: '列出存档的会话及名称和最后消息时间，最近的在前',
    options: {
      '--employee': '该成员参与的会话（及其系统记录）',
      '--customer': '该客户参与的会话',
      '--type': 'single（单聊）、group（群聊）或 system（成员的切换企业记录）',
      '--search': '群名、ID 或单聊中某人的名字包含该文字',
      '--limit': '最多 n 个会话（默认 50）',
    },
  },
  conversation: {
    description: '阅读一个会话：按顺序的消息、名称、撤回、文件、嵌套的聊天记录',
    arguments: { id: '会话 ID（见 `conversations`）' },
    options: {
      '--from': '从该时间起（北京时间）；给出时显示从该时间起的前 --limit 条',
      '--limit': '最多 n 条消息（默认 100：最新的，除非给出 --from）',
    },
  },
  serve: {
    description: '通过 HTTP 提供 REST API，直到收到 SIGTERM/SIGINT（SERVER_HOST、SERVER_PORT）',
    options: {
      '--host': '监听该地址（默认 SERVER_HOST，未设置时 127.0.0.1）',
      '--port': '监听该端口（默认 SERVER_PORT，未设置时 8080；0 表示任选空闲端口）',
      '--with-jobs': '同时在本进程中运行后台任务（SQLite 时默认如此）',
    },
  },
  tokens: { description: '管理 REST API 的 API 令牌（只保存哈希）' },
  'tokens create': {
    description: '创建一个 API 令牌并只打印这一次；授权的企业用 --corp（多个用逗号分隔）',
    options: {
      '--name': '使用者或用途（tokens list 中显示）',
      '--role': 'admin、auditor、manager 或 viewer（默认 auditor）',
      '--department': '授权的部门子树，在每个授权企业中（可重复；manager 至少一个）',
    },
  },
  'tokens list': { description: '列出 API 令牌（从不显示令牌本身）' },
  'tokens revoke': {
    description: '按 ID 撤销一个 API 令牌；名称唯一对应一个有效令牌时也可按名称',
    arguments: { 'id-or-name': '令牌的 ID 或名称（见 tokens list）' },
  },
  users: { description: '管理网页界面的用户（密码以 argon2id 哈希保存）' },
  'users add': {
    description: '添加用户；密码从标准输入读取；授权的企业用 --corp（多个用逗号分隔，不给则为全部企业）',
    arguments: { name: '登录名' },
    options: {
      '--password-stdin': '从标准输入读取密码（必需）',
      '--role': 'admin、auditor、manager 或 viewer',
      '--department': '授权的部门子树，在每个授权企业中（可重复；manager 至少一个）',
    },
  },
  'users list': { description: '列出用户（从不显示密码）' },
  'users disable': { description: '停用用户并结束其所有会话', arguments: { name: '登录名' } },
  'users passwd': {
    description: '设置用户密码（从标准输入读取）并结束其所有会话',
    arguments: { name: '登录名' },
    options: { '--password-stdin': '从标准输入读取密码（必需）' },
  },
  'users role': {
    description: '修改用户的角色和范围并结束其所有会话；授权的企业用 --corp（多个用逗号分隔）',
    arguments: { name: '登录名' },
    options: {
      '--role': 'admin、auditor、manager 或 viewer',
      '--department': '授权的部门子树，在每个授权企业中（可重复；manager 至少一个）',
    },
  },
  audit: {
    description: '按条件列出审计日志，最新的在前',
    options: {
      '--actor': 'user:<用户名>、token:<名称> 或 operator',
      '--action': 'login、conversation.view、search、media.open、export、user.*、token.* 等',
      '--result': 'ok、denied、failed、locked、purpose_required 等',
      '--target': '操作的对象',
      '--from': '从该时间起（中国时间，2026-11-20 或 2026-11-20 14:00）',
      '--to': '到该时间为止（只给日期时包括当天全天）',
      '--before': '只列出序号小于此值的记录',
      '--limit': '最多列出的条数（默认 100）',
    },
  },
  'audit verify': { description: '校验审计日志的哈希链（断开时退出码为 1）' },
  call: {
    description: '用正确的 access_token 调用目录中的任意企业微信接口；打印应答（Secret 已脱敏）',
    arguments: { endpoint: '目录名（user.get）或路径（user/get）' },
    options: {
      '--param': '一个参数；key:=json 表示 JSON 值（可多次）',
      '--body': '以一个 JSON 对象给出参数',
      '--credential': '使用该 Secret 的 access_token：app、contacts、customer、archive',
    },
  },
};

/** Descriptions several commands share word for word, keyed by the English. */
export const SHARED_HELP_ZH: Record<string, string> = {
  'display help for command': '显示命令帮助',
  'only records containing this text': '只显示包含该文字的记录',
  'also records WeCom no longer lists (kept, marked deleted)': '也显示企业微信已不再列出的记录（保留并标记为已删除）',
  'at most n records (default: all)': '最多 n 条记录（默认全部）',
  'CSV (UTF-8 with BOM, opens in Excel)': 'CSV（带 BOM 的 UTF-8，可用 Excel 打开）',
  'deadline of one SDK call; a process that hangs past it is killed and the call retried':
    '单次 SDK 调用的时限；超时挂起的进程被结束并重试该调用',
  'decrypting SDK processes per corp (default: one per core)': '每个企业解密用的 SDK 进程数（默认每个 CPU 核一个）',
  'until this time (a date includes its whole day)': '到该时间为止（只写日期时包含当天全天）',
};

/** Commander's section titles (and the one call's help adds), in Chinese. */
export const HELP_TITLES_ZH: Record<string, string> = {
  'Usage:': '用法：',
  'Arguments:': '参数：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Global Options:': '全局选项：',
  // The list `call --help` adds after commander's sections.
  'Endpoints:': '接口：',
};

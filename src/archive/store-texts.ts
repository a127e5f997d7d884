import type { Text } from '../i18n/index.ts';

/** What doctor's store checks say (store-checks.ts). */
export const STORE_TEXT = {
  none: { zh: '还没有数据库（{location}）：尚未同步或拉取', en: 'No database yet ({location}): nothing synced or pulled' },
  opened: { zh: '{location} 可以打开', en: '{location} opens' },
  openReadOnly: { zh: '{location} 以只读方式打开（只读副本：可读取和校验，不能写入）', en: '{location} opened read-only (a read-only copy: it can be read and verified, not written)' },
  failed: { zh: '检查存储时出错：{reason}', en: 'Checking the store failed: {reason}' },
  quickCheckOk: { zh: 'SQLite quick_check 通过：每一页都可读且结构正确', en: 'SQLite quick_check passed: every page reads and is well formed' },
  quickCheckFailed: { zh: '数据库已损坏：SQLite quick_check 发现 {found}', en: 'The database is damaged: SQLite quick_check found {found}' },
  damagedFix: {
    zh: '不要再写入它。从备份恢复（`wecom-archive restore <备份目录>` 到空的 DATA_DIR），再运行 archive pull 补齐企业微信仍保留的消息。',
    en: 'Stop writing to it. Restore from a backup (`wecom-archive restore <backup dir>` into an empty DATA_DIR), then run archive pull to fetch what WeCom still holds.',
  },
  pgReachable: { zh: 'PostgreSQL {location} 可以连接（页面完整性由服务器自身检查）', en: 'PostgreSQL {location} answers (the server checks its own pages)' },
  migrationsOk: { zh: '结构是最新版本', en: 'The schema is up to date' },
  migrationsPending: { zh: '有 {n} 个结构升级尚未执行（doctor 不会执行）', en: '{n} schema migrations have not run yet (doctor does not run them)' },
  migrationsFix: { zh: '下一次写入命令（sync、archive pull）会执行它们；只读副本保持原样。', en: 'The next writing command (sync, archive pull) runs them; a read-only copy stays as it is.' },
  spaceOk: { zh: '{path} 所在磁盘剩余 {free}，按每天约 {perDay} 的增长可用约 {days} 天', en: '{free} free on the disk of {path}: about {days} days at about {perDay} a day' },
  spaceLow: { zh: '{path} 所在磁盘只剩 {free}，按每天约 {perDay} 的增长只够约 {days} 天', en: 'Only {free} free on the disk of {path}: about {days} days at about {perDay} a day' },
  spaceFix: { zh: '释放空间或把 DATA_DIR 移到更大的磁盘；磁盘满时拉取会停止（已提交的内容保留），企业微信只保留消息 5 天。', en: 'Free space or move DATA_DIR to a larger disk: a full disk stops the pull (what was committed is kept), and WeCom keeps messages only 5 days.' },
  spaceUnknown: { zh: '无法读取 {path} 所在磁盘的剩余空间', en: 'Cannot read the free space of the disk holding {path}' },
  chainOk: { zh: '企业 {corp}：{n} 条消息的哈希链完整，链头 seq {seq}', en: 'Corp {corp}: the hash chain of {n} messages is intact, head at seq {seq}' },
  headOk: { zh: '企业 {corp}：链头（seq {seq}）正确；完整校验用 doctor --store 或 archive verify', en: 'Corp {corp}: the chain head (seq {seq}) is correct; doctor --store or archive verify check the whole chain' },
  chainBroken: { zh: '企业 {corp}：哈希链在 seq {seq} 处断开（{field}）', en: 'Corp {corp}: the hash chain is broken at seq {seq} ({field})' },
  chainFix: { zh: '运行 `wecom-archive archive verify` 查看详情；存储内容被改动过，从备份恢复。', en: 'Run `wecom-archive archive verify` for the details; the stored data was changed: restore from a backup.' },
  backupPg: { zh: 'PostgreSQL：备份用 pg_dump（见 README「备份与故障」），doctor 无法看到', en: 'PostgreSQL: backups are pg_dump\'s (README, "Backups and failures"), which doctor cannot see' },
  backupNever: { zh: '从未用 `wecom-archive backup` 备份过（要求不超过 {days} 天）', en: 'Never backed up with `wecom-archive backup` (expected within {days} days)' },
  backupOld: { zh: '最近一次备份是 {age} 天前（{at}，{dir}），超过 {days} 天', en: 'The last backup is {age} days old ({at}, {dir}), more than {days} days' },
  backupOk: { zh: '最近一次备份：{at}（{dir}）', en: 'Last backup: {at} ({dir})' },
  backupFix: { zh: '运行 `wecom-archive backup <目录>`（可在拉取运行时进行）；期限由 BACKUP_MAX_AGE_DAYS 设置。', en: 'Run `wecom-archive backup <dir>` (it can run while pulls do); the age is set by BACKUP_MAX_AGE_DAYS.' },
} satisfies Record<string, Text>;

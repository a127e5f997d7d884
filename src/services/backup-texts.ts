import type { Text } from '../i18n/index.ts';

/** What `backup` and `restore` say (services/backup.ts). */
export const BACKUP_TEXT = {
  postgres: { zh: '`backup` 只备份 SQLite 存储；当前使用 PostgreSQL（DATABASE_URL）', en: '`backup` copies SQLite stores only; this deployment uses PostgreSQL (DATABASE_URL)' },
  restorePostgres: { zh: '`restore` 只恢复到 SQLite 存储；当前配置了 PostgreSQL（DATABASE_URL）', en: '`restore` restores into a SQLite store only; this deployment uses PostgreSQL (DATABASE_URL)' },
  postgresFix: {
    zh: '用 pg_dump -Fc 备份数据库、pg_restore 恢复，并同时复制 DATA_DIR/media 文件夹；步骤见 README 的「备份与故障」一节。',
    en: 'Back the database up with pg_dump -Fc and restore it with pg_restore, and copy the DATA_DIR/media folder with it; see "Backups and failures" in the README.',
  },
  noStore: { zh: '没有可备份的数据库：{path} 不存在', en: 'There is no database to back up: {path} does not exist' },
  targetNotEmpty: { zh: '备份目录 {path} 不是空的', en: 'The backup folder {path} is not empty' },
  dataDirNotEmpty: { zh: '数据目录 DATA_DIR（{path}）不是空的：restore 只写入空的数据目录', en: 'The data folder DATA_DIR ({path}) is not empty: restore writes only into an empty one' },
  emptyFix: {
    zh: '换一个不存在或空的文件夹（restore：把 DATA_DIR 指向一个新的空文件夹），不会覆盖任何已有数据。',
    en: 'Use a folder that does not exist or is empty (restore: point DATA_DIR at a new, empty folder); nothing existing is overwritten.',
  },
  noManifest: { zh: '{path} 不是 wecom-archive 的备份清单', en: '{path} is not a wecom-archive backup manifest' },
  noManifestFix: { zh: '指定 `wecom-archive backup` 生成的文件夹（其中有 manifest.json）。', en: 'Give the folder that `wecom-archive backup` wrote (it holds manifest.json).' },
  damaged: { zh: '备份已损坏：{path} 与清单不符', en: 'The backup is damaged: {path} does not match its manifest' },
  damagedWhy: { zh: '文件缺失，或其大小或 sha256 与 manifest.json 中记录的不同；未恢复任何内容', en: 'The file is missing, or its size or sha256 differs from manifest.json; nothing was restored' },
  damagedFix: { zh: '使用另一份备份；这份备份不可信。', en: 'Use another backup: this one cannot be trusted.' },
} satisfies Record<string, Text>;

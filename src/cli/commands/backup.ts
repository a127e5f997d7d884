import type { Command } from 'commander';
import { t, type Lang, type Text } from '../../i18n/index.ts';
import type { BackupReport, RestoreReport } from '../../services/backup.ts';
import { action } from '../context.ts';
import { printJson } from '../output.ts';

/**
 * `wecom-archive backup <dir>`: a consistent copy of the store (SQLite's online backup API, while
 * pulls and syncs run), the media it references, a manifest with each corp's chain head and every
 * file's sha256; config and keys only with --include-secrets. `restore <dir>`: into an empty DATA_DIR.
 */

const TEXT = {
  backedUp: { zh: '已备份到 {dir}：{files} 个文件，{bytes} 字节（媒体 {media} 个）', en: 'Backed up to {dir}: {files} files, {bytes} bytes ({media} media)' },
  restored: { zh: '已恢复到 {dir}：{files} 个文件', en: 'Restored into {dir}: {files} files' },
  head: { zh: '  企业 {corp}：{messages} 条消息，链头 seq {seq} {hash}，游标 {cursor}', en: '  Corp {corp}: {messages} messages, chain head seq {seq} {hash}, cursor {cursor}' },
  missing: { zh: '⚠ 数据库记录为已下载、但 DATA_DIR 中缺失的媒体 {n} 个：{paths}', en: '⚠ {n} media recorded as downloaded are missing from DATA_DIR: {paths}' },
  secrets: { zh: '  含密钥和配置（权限 0600）：{files}', en: '  Includes secrets and config (mode 0600): {files}' },
  secretsNotRestored: { zh: '  备份中的配置和密钥未自动恢复（它们不在 DATA_DIR 中），需要时手动复制：{files}', en: '  The backup\'s config and key files were not restored (they live outside DATA_DIR); copy them back if needed: {files}' },
  next: { zh: '  下一步：wecom-archive archive verify --deep，然后 archive pull 从备份的游标继续', en: '  Next: wecom-archive archive verify --deep, then archive pull continues from the backup\'s cursor' },
} satisfies Record<string, Text>;

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the store consistently while pulls and syncs run: the database, the media it references, and a manifest of chain heads and sha256s')
    .argument('<dir>', 'an empty or new folder to write the backup into')
    .option('--include-secrets', 'also copy the config and key files (mode 0600)')
    .action(action(async (ctx, dir: string, flags: { includeSecrets?: boolean }) => {
      const rt = await ctx.runtime();
      const { backupStore } = await import('../../services/backup.ts');
      const report = await backupStore(rt, { dir, includeSecrets: flags.includeSecrets });
      if (ctx.json) printJson(report);
      else process.stdout.write(`${renderBackup(report, ctx.lang).join('\n')}\n`);
    }));
  program
    .command('restore')
    .description('restore a backup into an empty DATA_DIR, after checking every file against its manifest')
    .argument('<dir>', 'the folder `backup` wrote')
    .action(action(async (ctx, dir: string) => {
      const rt = await ctx.runtime();
      const { restoreStore } = await import('../../services/backup.ts');
      const report = await restoreStore(rt, { dir });
      if (ctx.json) printJson(report);
      else process.stdout.write(`${renderRestore(report, ctx.lang).join('\n')}\n`);
    }));
}

function heads(corps: BackupReport['corps'], lang: Lang): string[] {
  return corps.map((c) => t(TEXT.head, lang, { corp: c.corpId, messages: c.messages, seq: c.headSeq ?? '-', hash: c.headHash?.slice(0, 16) ?? '-', cursor: c.cursor ?? '-' }));
}

function renderBackup(report: BackupReport, lang: Lang): string[] {
  const lines = [t(TEXT.backedUp, lang, { dir: report.dir, files: report.files, bytes: report.bytes, media: report.media }), ...heads(report.corps, lang)];
  if (report.secrets.length > 0) lines.push(t(TEXT.secrets, lang, { files: report.secrets.join(', ') }));
  if (report.missingMedia.length > 0) lines.push(t(TEXT.missing, lang, { n: report.missingMedia.length, paths: report.missingMedia.slice(0, 5).join(', ') }));
  return lines;
}

function renderRestore(report: RestoreReport, lang: Lang): string[] {
  const lines = [t(TEXT.restored, lang, { dir: report.dataDir, files: report.files }), ...heads(report.corps, lang)];
  if (report.secrets.length > 0) lines.push(t(TEXT.secretsNotRestored, lang, { files: report.secrets.join(', ') }));
  lines.push(t(TEXT.next, lang));
  return lines;
}

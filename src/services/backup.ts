import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { chainHeads, copySqlite, recordBackup, referencedMedia, type ChainHead } from '../store/backup.ts';
import { SQLITE_FILE_NAME } from '../store/location.ts';
import { UserError } from '../util/errors.ts';
import { BACKUP_TEXT as TEXT } from './backup-texts.ts';
import type { Runtime } from './runtime.ts';

/**
 * `backup <dir>` and `restore <dir>` (SQLite stores). A backup is a folder: the database copied with
 * SQLite's online backup API while pulls and syncs keep running, the media files that copy
 * references, the config and key files only when asked (mode 0600), and manifest.json with each
 * corp's chain head and cursor and the sha256 of every file. Restore checks every sha256 before it
 * writes anything, and writes only into an empty DATA_DIR. PostgreSQL: pg_dump/pg_restore plus the
 * media folder (README, "Backups and failures").
 */

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'wecom-archive/backup/v1';

export interface BackupFile {
  /** Relative to the backup folder, forward slashes. */
  path: string;
  size: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  database: string;
  corps: ChainHead[];
  includesSecrets: boolean;
  files: BackupFile[];
}

export interface BackupInput {
  dir: string;
  includeSecrets?: boolean;
  now?: () => number;
}

export interface BackupReport {
  ok: true;
  dir: string;
  corps: ChainHead[];
  files: number;
  bytes: number;
  media: number;
  /** Media the database records as downloaded but whose file is not in DATA_DIR (`archive media --retry-failed` cannot bring them back: they are listed). */
  missingMedia: string[];
  secrets: string[];
}

export async function backupStore(rt: Runtime, input: BackupInput): Promise<BackupReport> {
  const { dataDir, databaseUrl } = rt.deployment;
  if (databaseUrl) throw new UserError('backup_postgres', { what: TEXT.postgres, fix: TEXT.postgresFix });
  const source = join(dataDir, SQLITE_FILE_NAME);
  if (!existsSync(source)) throw new UserError('backup_no_store', { what: TEXT.noStore, vars: { path: source } });
  const dir = resolve(input.dir);
  await requireEmpty(dir, 'backup_dir_not_empty', TEXT.targetNotEmpty);
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const database = join(dir, SQLITE_FILE_NAME);
  await copySqlite(source, database);
  await chmod(database, 0o600);
  const missingMedia: string[] = [];
  let media = 0;
  for (const path of referencedMedia(database)) {
    const from = join(dataDir, ...path.split('/'));
    if (!existsSync(from)) {
      missingMedia.push(path);
      continue;
    }
    await copyInto(from, join(dir, ...path.split('/')));
    media += 1;
  }
  const secrets = input.includeSecrets ? await copySecrets(rt, dir) : [];
  const files = await Promise.all([SQLITE_FILE_NAME, ...(await listFiles(dir)).filter((f) => f !== SQLITE_FILE_NAME)].map((path) => describe(dir, path)));
  const corps = chainHeads(database);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT, createdAt: new Date((input.now ?? Date.now)()).toISOString(), database: SQLITE_FILE_NAME,
    corps, includesSecrets: Boolean(input.includeSecrets), files,
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  recordBackup(dataDir, { at: (input.now ?? Date.now)(), dir });
  return { ok: true, dir, corps, files: files.length, bytes: files.reduce((sum, f) => sum + f.size, 0), media, missingMedia, secrets };
}

export interface RestoreInput {
  dir: string;
}

export interface RestoreReport {
  ok: true;
  dataDir: string;
  corps: ChainHead[];
  files: number;
  /** Config and key files in the backup: not restored (they live outside DATA_DIR); copy them back by hand. */
  secrets: string[];
}

export async function restoreStore(rt: Runtime, input: RestoreInput): Promise<RestoreReport> {
  const { dataDir, databaseUrl } = rt.deployment;
  if (databaseUrl) throw new UserError('restore_postgres', { what: TEXT.restorePostgres, fix: TEXT.postgresFix });
  const dir = resolve(input.dir);
  const manifest = await readManifest(dir);
  // Every file is checked before anything is written: a damaged backup restores nothing.
  for (const file of manifest.files) {
    const found = await describe(dir, file.path).catch(() => undefined);
    if (!found || found.sha256 !== file.sha256 || found.size !== file.size) {
      throw new UserError('backup_damaged', { what: TEXT.damaged, why: TEXT.damagedWhy, fix: TEXT.damagedFix, vars: { path: join(dir, file.path) } });
    }
  }
  await requireEmpty(dataDir, 'restore_data_dir_not_empty', TEXT.dataDirNotEmpty);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secrets: string[] = [];
  for (const file of manifest.files) {
    if (file.path.startsWith('secrets/')) {
      secrets.push(join(dir, file.path));
      continue;
    }
    await copyInto(join(dir, ...file.path.split('/')), join(dataDir, ...file.path.split('/')));
  }
  const restored = chainHeads(join(dataDir, SQLITE_FILE_NAME));
  return { ok: true, dataDir, corps: restored, files: manifest.files.length - secrets.length, secrets };
}

async function readManifest(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch (err) {
    throw new UserError('backup_no_manifest', { what: TEXT.noManifest, fix: TEXT.noManifestFix, vars: { path: join(dir, MANIFEST_FILE) } }, { cause: err });
  }
  const safe = (path: unknown) => typeof path === 'string' && !path.split('/').includes('..') && !path.startsWith('/');
  if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.files) || !manifest.files.every((f) => safe(f.path))) {
    throw new UserError('backup_no_manifest', { what: TEXT.noManifest, fix: TEXT.noManifestFix, vars: { path: join(dir, MANIFEST_FILE) } });
  }
  return manifest;
}

async function requireEmpty(dir: string, code: string, what: typeof TEXT.targetNotEmpty): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (entries.length > 0) throw new UserError(code, { what, fix: TEXT.emptyFix, vars: { path: dir } });
}

async function copyInto(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true, mode: 0o700 });
  await copyFile(from, to);
  await chmod(to, 0o600);
}

/** The config files and the key files they name, under secrets/ (mode 0600). */
async function copySecrets(rt: Runtime, dir: string): Promise<string[]> {
  const copied: string[] = [];
  for (const config of rt.deployment.corps) {
    const files = [config.file, ...Object.values(config.archivePrivateKeys).filter((v) => !v.includes('-----BEGIN') && existsSync(v))];
    for (const file of files) {
      if (!file) continue;
      const target = join(dir, 'secrets', config.corpId ?? 'default', basename(file));
      if (copied.includes(target)) continue;
      await copyInto(file, target);
      copied.push(target);
    }
  }
  return copied;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/')).sort();
}

async function describe(dir: string, path: string): Promise<BackupFile> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(join(dir, ...path.split('/')))) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { path, size, sha256: hash.digest('hex') };
}

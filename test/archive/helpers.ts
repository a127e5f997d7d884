import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureStandinSdk } from '../../src/archive/sdk/standin-path.ts';
import { archiveExtension, type ArchiveExtensionFactory, type ArchiveExtensionOptions } from '../../src/sandbox/archive/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/database.ts';
import { BIN, cleanEnv, runCli, type CliResult } from '../helpers/cli.ts';
import type { TestDatabase } from '../helpers/databases.ts';

/**
 * The archive tests' world: the sandbox (in this process, fixed clock) with its archive, the config
 * it writes, and the real CLI in a child process pulling from it through the gcc-built stand-in SDK.
 */

/** The sandbox clock for every archive test: runs are identical whatever the day. */
export const SANDBOX_NOW = '2026-03-02T10:00:00.000Z';

export interface ArchiveWorld {
  sandbox: Sandbox;
  archive: ArchiveExtensionFactory;
  configFile: string;
  close(): Promise<void>;
}

export async function startArchiveWorld(options: ArchiveExtensionOptions = {}, seed = 7): Promise<ArchiveWorld> {
  ensureStandinSdk();
  const archive = archiveExtension(options);
  const sandbox = await startSandbox({ size: 'small', seed, now: new Date(SANDBOX_NOW), extensions: [archive] });
  const configFile = join(mkdtempSync(join(tmpdir(), 'wa-archive-test-')), 'wecom.env');
  await sandbox.writeConfig(configFile);
  return { sandbox, archive, configFile, close: () => sandbox.close() };
}

/** A copy of the config without the given keys (e.g. one ARCHIVE_PRIVATE_KEY_<ver>). */
export function configWithout(configFile: string, keys: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'wa-archive-config-'));
  const file = join(dir, 'wecom.env');
  const lines = readFileSync(configFile, 'utf8').split('\n').filter((line) => !keys.some((key) => line.startsWith(`${key}=`)));
  writeFileSync(file, lines.join('\n'), { mode: 0o600 });
  return file;
}

export function dbEnv(database: TestDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return { DATA_DIR: database.dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}), ...extra };
}

/**
 * `wecom-archive archive <args> --config FILE --json --lang en`, against this test's database. A pull
 * skips media (`--no-media`) unless `withMedia`: the media queue has its own tests (test/archive-media).
 */
export async function archiveCli(
  database: TestDatabase, configFile: string, args: string[], extraEnv: Record<string, string> = {}, withMedia = false,
): Promise<CliResult & { json: any }> {
  const media = args[0] === 'pull' && !withMedia ? ['--no-media'] : [];
  const run = await runCli(['--json', '--lang', 'en', 'archive', ...args, ...media, '--config', configFile], { env: dbEnv(database, extraEnv) });
  let json: any;
  try {
    json = JSON.parse(run.stdout);
  } catch {
    json = undefined;
  }
  return { ...run, json };
}

/** Starts `archive pull` and SIGKILLs it after `ms`: a crash at a random point of the pull. */
export function pullKilledAfter(database: TestDatabase, configFile: string, ms: number, args: string[] = []): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--json', 'archive', 'pull', '--no-media', ...args, '--config', configFile], {
      env: { ...cleanEnv(), ...dbEnv(database) }, stdio: ['ignore', 'ignore', 'ignore'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** The test's store as a command finds it; `migrate` for a test that writes first (a fresh database). */
export async function openDatabase(database: TestDatabase, migrate = false): Promise<Store> {
  return openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl, migrate });
}

/**
 * Everything the archive wrote, in a canonical order and without wall-clock times: two runs that
 * stored the same archive give equal dumps, whatever crashed in between.
 */
export async function canonicalDump(store: Store, corpId: string) {
  const db = store.db;
  const messages = await db.selectFrom('messages')
    .select(['msgid', 'seq', 'status', 'search_text', 'hash', 'prev_hash', 'msgtype', 'conversation_id', 'sender', 'receivers', 'msgtime', 'raw_json'])
    .where('corp_id', '=', corpId).execute();
  const media = await db.selectFrom('message_media').select(['msgid', 'item_path', 'media_type', 'sdkfileid', 'md5sum', 'size', 'status'])
    .where('corp_id', '=', corpId).execute();
  const conversations = await db.selectFrom('conversations').select(['conversation_id', 'kind', 'last_msgtime'])
    .where('corp_id', '=', corpId).execute();
  const attempts = await db.selectFrom('message_attempts').select(['msgid', 'seq', 'attempts', 'last_error', 'quarantined'])
    .where('corp_id', '=', corpId).execute();
  const cursor = await db.selectFrom('sync_cursors').select('cursor').where('corp_id', '=', corpId).where('stream', '=', 'archive/seq').executeTakeFirst();
  // Sorted here, by code unit: the databases' collations order text differently.
  const by = <T>(key: (row: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    messages: messages.map((m) => ({ ...m, seq: m.seq.toString().padStart(20, '0') })).sort(by((m) => m.seq)),
    media: media.sort(by((m) => `${m.msgid}\u0000${m.item_path}`)),
    conversations: conversations.sort(by((c) => c.conversation_id)),
    attempts: attempts.map((a) => ({ ...a, seq: a.seq.toString() })).sort(by((a) => a.msgid)),
    cursor: cursor?.cursor ?? null,
  };
}

export async function dumpOf(database: TestDatabase, corpId: string) {
  const store = await openDatabase(database);
  try {
    return await canonicalDump(store, corpId);
  } finally {
    await store.close();
  }
}

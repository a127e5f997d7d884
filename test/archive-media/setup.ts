import { mkdtempSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SdkPool } from '../../src/archive/sdk/pool.ts';
import { ensureStandinSdk } from '../../src/archive/sdk/standin-path.ts';
import { archiveExtension, type ArchiveExtensionFactory } from '../../src/sandbox/archive/index.ts';
import { CHUNK_BYTES } from '../../src/sandbox/archive/media.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts';
import { collectMedia, type SandboxMediaItem } from './helpers.ts';
import { startMediaProxy, type MediaProxy } from './media-proxy.ts';

/** One sandbox archive, a counting proxy in front of it and an SDK pool behind that, for a test file. */

export interface MediaWorld {
  sandbox: Sandbox;
  factory: ArchiveExtensionFactory;
  proxy: MediaProxy;
  pool: SdkPool;
  /** Media of the messages inside the 5-day window, and of those already out of it. */
  current: SandboxMediaItem[];
  expired: SandboxMediaItem[];
  close(): Promise<void>;
}

export async function startMediaWorld(): Promise<MediaWorld> {
  const libraryPath = ensureStandinSdk();
  const factory = archiveExtension({ messages: 1500 });
  const sandbox = await startSandbox({ extensions: [factory] });
  const proxy = await startMediaProxy(sandbox.url);
  const pool = await SdkPool.start({ libraryPath, corpId: sandbox.corpId, secret: sandbox.secrets.archive, apiBase: proxy.url, hosts: 1 });
  const archive = factory.instance!.archive;
  const { first, last } = archive.window();
  return {
    sandbox, factory, proxy, pool,
    current: collectMedia(archive, first, last),
    expired: collectMedia(archive, 0, first - 1),
    close: async () => {
      await pool.close();
      await proxy.close();
      await sandbox.close();
    },
  };
}

export const chunksOf = (item: SandboxMediaItem) => Math.max(1, Math.ceil(item.generated.size / CHUNK_BYTES));

/** One item of each (type, extension), top level and nested, the smallest of each: every kind, few bytes. */
export function everyKind(items: SandboxMediaItem[]): SandboxMediaItem[] {
  const smallest = new Map<string, SandboxMediaItem>();
  for (const item of items) {
    const key = `${item.ref.msgtype}/${item.generated.ext}/${item.ref.path ? 'nested' : 'top'}`;
    const seen = smallest.get(key);
    if (!seen || item.generated.size < seen.generated.size) smallest.set(key, item);
  }
  return [...smallest.values()];
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'wa-media-'));
}

/** Every file under a directory, recursively (relative paths). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

export const MIME_OF: Record<string, string> = {
  jpg: 'image/jpeg', gif: 'image/gif', png: 'image/png', amr: 'audio/amr', mp4: 'video/mp4', mp3: 'audio/mpeg',
  pdf: 'application/pdf', zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

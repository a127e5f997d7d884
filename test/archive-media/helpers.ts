import type { Kysely } from 'kysely';
import { parseMessage, type MediaRef } from '../../src/archive/parser/index.ts';
import type { SandboxArchive } from '../../src/sandbox/archive/archive.ts';
import type { GeneratedMedia } from '../../src/sandbox/archive/generator.ts';
import { mediaRepository, messagesRepository, syncStateRepository, type Database, type MediaInput } from '../../src/store/index.ts';

/** Media items of the sandbox archive as the product would queue them, with what the sandbox serves. */

export interface SandboxMediaItem {
  index: number;
  msgid: string;
  msgtype: string;
  /** What the parser found in the message (what the puller queues). */
  ref: MediaRef;
  /** What the sandbox generated for it. */
  generated: GeneratedMedia;
}

/** Every media item of messages [from, to], parsed from their plaintext as the puller would. */
export function collectMedia(archive: SandboxArchive, from: number, to: number): SandboxMediaItem[] {
  const items: SandboxMediaItem[] = [];
  for (let index = from; index <= to; index++) {
    const message = archive.generator.message(index);
    if (message.media.length === 0) continue;
    const parsed = parseMessage(message.plaintext, { seq: message.seq, msgid: message.msgid });
    if (parsed.media.length !== message.media.length) throw new Error(`message ${index}: parser found ${parsed.media.length} files, sandbox made ${message.media.length}`);
    parsed.media.forEach((ref, k) => items.push({ index, msgid: message.msgid, msgtype: message.msgtype, ref, generated: message.media[k] }));
  }
  return items;
}

/** The bytes the sandbox serves for an item, straight from its media library. */
export function servedBytes(archive: SandboxArchive, item: SandboxMediaItem): Buffer {
  const { ordinal, msgtype, ext, sizeHint } = item.generated;
  return archive.generator.media.bytes({ index: item.index, ordinal, msgtype, ext, sizeHint });
}

export function toMediaInput(item: SandboxMediaItem): MediaInput {
  const { ref } = item;
  return { msgid: item.msgid, item_path: ref.path, media_type: ref.msgtype, sdkfileid: ref.sdkfileid, md5sum: ref.md5sum, size: ref.size, filename: ref.filename };
}

/** Stores the items' messages (envelope placeholders) and queues their media as the puller does. */
export async function seedMedia(db: Kysely<Database>, corpId: string, items: SandboxMediaItem[], inputs: MediaInput[] = items.map(toMediaInput)): Promise<void> {
  await syncStateRepository.ensureCorp(db, corpId);
  const messages = new Map(items.map((item) => [item.msgid, item]));
  await messagesRepository.insertMessages(db, corpId, [...messages.values()].map((item) => ({
    seq: BigInt(item.index + 1), msgid: item.msgid, encrypt_random_key: '-', encrypt_chat_msg: '-', status: 'decrypted' as const, msgtype: item.msgtype,
  })));
  await mediaRepository.enqueueMedia(db, corpId, inputs);
}

/** The first item matching, or an error naming what the sandbox did not produce. */
export function pick(items: SandboxMediaItem[], what: string, test: (item: SandboxMediaItem) => boolean): SandboxMediaItem {
  const found = items.find(test);
  if (!found) throw new Error(`the sandbox archive has no ${what}`);
  return found;
}

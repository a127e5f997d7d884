import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MediaBlobs } from '../../src/archive/media/blobs.ts';
import type { Store } from '../../src/store/database.ts';
import { ingest } from '../archive-reading/seed.ts';

/**
 * What the sandbox does not make on its own, added to the synced store for the walk: a voice message
 * in AMR-WB (which the browser's decoder cannot read: it must fall back to a labelled download), and
 * a customer whose name, remark and tag are hostile strings.
 */
export const WIDEBAND_VOICE = { msgid: 'wideband-voice-1', conversationId: 'longuser|wmLongCustomer01' };
export const HOSTILE_NAME = '<img src=x onerror=alert(20)>\u202Eevil';

export async function addWidebandVoice(store: Store, corpId: string, dataDir: string): Promise<void> {
  const bytes = Buffer.concat([Buffer.from('#!AMR-WB\n', 'latin1'), Buffer.alloc(61 * 50, 0x04)]);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const storedPath = MediaBlobs.relativePath(sha256);
  const file = new MediaBlobs(dataDir).absolutePath(storedPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  await ingest(store.db, corpId, [{
    msgid: WIDEBAND_VOICE.msgid, action: 'send', from: 'wmLongCustomer01', tolist: ['longuser'], roomid: '',
    msgtime: Date.parse('2026-11-25T09:00:00+08:00'), msgtype: 'voice',
    voice: { sdkfileid: 'wideband-file', md5sum: '', voice_size: bytes.length, play_length: 1 },
  }]);
  await store.db.updateTable('message_media')
    .set({ status: 'downloaded', stored_path: storedPath, sha256, mime: 'audio/amr-wb', size: bytes.length })
    .where('corp_id', '=', corpId).where('msgid', '=', WIDEBAND_VOICE.msgid).execute();
}

/** The first customer with a follower gets a hostile name, remark and tag name; returns its id. */
export async function makeHostileCustomer(store: Store, corpId: string): Promise<string> {
  const follow = await store.db.selectFrom('follow_relations').select(['external_userid', 'userid']).where('corp_id', '=', corpId)
    .orderBy('external_userid').limit(1).executeTakeFirstOrThrow();
  await store.db.updateTable('customers').set({ name: HOSTILE_NAME, corp_name: '"><script>alert(21)</script>' })
    .where('corp_id', '=', corpId).where('external_userid', '=', follow.external_userid).execute();
  await store.db.updateTable('follow_relations').set({ remark: '<b onmouseover=alert(22)>remark</b>', description: 'A'.repeat(10_000) })
    .where('corp_id', '=', corpId).where('external_userid', '=', follow.external_userid).execute();
  await store.db.updateTable('follow_relation_tags').set({ tag_name: '<svg onload=alert(23)>' })
    .where('corp_id', '=', corpId).where('external_userid', '=', follow.external_userid).execute();
  return follow.external_userid;
}

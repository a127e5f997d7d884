import { describe, expect, it } from 'vitest';
import type { MediaInput } from '../../store/index.ts';
import type { PreparedMessage } from '../ingest/records.ts';
import { differingColumns, differingMedia, type StoredDecrypted, type StoredMedia } from './deep-compare.ts';

const fields: PreparedMessage['fields'] = {
  status: 'decrypted', action: 'send', msgtype: 'text', conversation_id: 'c1', sender: 'zhangsan', receivers: '["wmA"]',
  msgtime: 1_700_000_000_000, search_text: 'hello\u0000world', raw_json: '{"msgtype":"text"}',
};
// What the store holds after writing `fields`: search_text without its NUL (PostgreSQL text cannot hold one).
const stored: StoredDecrypted = {
  action: 'send', msgtype: 'text', conversation_id: 'c1', sender: 'zhangsan', receivers: '["wmA"]',
  msgtime: 1_700_000_000_000, search_text: 'helloworld', raw_json: '{"msgtype":"text"}',
};

describe('differingColumns', () => {
  it('finds nothing for a row as the store writes it', () => {
    expect(differingColumns(stored, fields)).toEqual([]);
  });

  it('names each changed column, null and empty included', () => {
    expect(differingColumns({ ...stored, msgtime: stored.msgtime! + 1, sender: null, raw_json: '' }, fields))
      .toEqual(['sender', 'msgtime', 'raw_json']);
  });

  it('treats a column the parser leaves unset as null', () => {
    const { search_text: _dropped, ...withoutText } = fields;
    expect(differingColumns({ ...stored, search_text: null }, withoutText)).toEqual([]);
    expect(differingColumns({ ...stored, search_text: 'added' }, withoutText)).toEqual(['search_text']);
  });
});

describe('differingMedia', () => {
  const item = (path: string, sdkfileid: string): MediaInput =>
    ({ msgid: 'm1', item_path: path, media_type: 'image', sdkfileid, md5sum: 'abc', size: 10, filename: null });
  const row = (m: MediaInput): StoredMedia =>
    ({ item_path: m.item_path ?? '', media_type: m.media_type ?? null, sdkfileid: m.sdkfileid, md5sum: m.md5sum ?? null, filename: m.filename ?? null });

  it('matches the rows the pull queued, whatever their order', () => {
    const expected = [item('', 'F1'), item('item[1]', 'F2')];
    expect(differingMedia([row(expected[1]!), row(expected[0]!)], expected)).toEqual([]);
  });

  it('names changed columns by item path, and missing or unexpected rows', () => {
    const expected = [item('', 'F1'), item('item[1]', 'F2')];
    const rows = [{ ...row(expected[0]!), sdkfileid: 'FORGED', md5sum: null }, row(item('item[9]', 'F9'))];
    expect(differingMedia(rows, expected)).toEqual([
      'message_media[].sdkfileid', 'message_media[].md5sum', 'message_media[item[1]]:missing', 'message_media[item[9]]:unexpected',
    ]);
  });
});

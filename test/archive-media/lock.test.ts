import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireQueueLock } from '../../src/archive/media/lock.ts';

// The media queue's lock is per corp: a watch of several corps downloads for each at once, while two
// queues of one corp (which would append to the same partial files) are still kept apart.

describe('media queue lock', () => {
  it('lets two corps run at once and refuses a second run of the same corp', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wa-media-lock-'));
    const a = await acquireQueueLock(dir, 'wwaaaaaaaaaaaaaaaa');
    const b = await acquireQueueLock(dir, 'wwbbbbbbbbbbbbbbbb');
    try {
      await expect(acquireQueueLock(dir, 'wwaaaaaaaaaaaaaaaa')).rejects.toMatchObject({ code: 'archive_media_busy' });
    } finally {
      await a.release();
      await b.release();
    }
    const again = await acquireQueueLock(dir, 'wwaaaaaaaaaaaaaaaa');
    await again.release();
  });
});

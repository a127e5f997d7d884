import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PartialFile } from '../../src/archive/media/partial.ts';
import { fillLeaving, mountTmpfs, requireMounts, unmountAll } from './mounts.ts';

// A media download meeting a full disk mid-chunk (a real tmpfs): the write that can take only part
// of the chunk must fail with ENOSPC, leaving the resume point at the last whole chunk, never record
// the chunk as written. Otherwise the file would be stored under the sha256 of the bytes received
// while holding other bytes.

afterAll(() => unmountAll());

describe.runIf(requireMounts())('a partial media file on a disk that fills up', () => {
  it('fails the chunk that does not fit with ENOSPC and resumes from the last whole one once there is room', async () => {
    const disk = mountTmpfs(2 * 1024 * 1024);
    const dir = join(disk.dir, '.partial');
    const first = randomBytes(16 * 1024);
    const second = randomBytes(256 * 1024);
    const filler = fillLeaving(disk.dir, 96 * 1024);

    const partial = await PartialFile.open(dir, 'k', 'file-1');
    await partial.append(first, 'next-1', false);
    await expect(partial.append(second, '', true)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(partial.offset).toBe(first.length);
    await partial.close();
    expect(JSON.parse(readFileSync(join(dir, 'k.json'), 'utf8'))).toMatchObject({ offset: first.length, indexbuf: 'next-1', finished: false });

    rmSync(filler);
    const resumed = await PartialFile.open(dir, 'k', 'file-1');
    expect([resumed.resumedFrom, resumed.indexbuf]).toEqual([first.length, 'next-1']);
    await resumed.append(second, '', true);
    await resumed.close();
    const whole = Buffer.concat([first, second]);
    expect(readFileSync(join(dir, 'k.part')).equals(whole)).toBe(true);
    expect(resumed.sha256Hex()).toBe(createHash('sha256').update(whole).digest('hex'));
  });
});

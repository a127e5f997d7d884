import { describe, expect, it } from 'vitest';
import { parseMsgtypes, resolvePerson } from '../../src/archive/reading/filters.ts';
import { formatSize } from '../../src/archive/reading/render.ts';
import { formatTime, parseTimeBound, parseTimeRange } from '../../src/archive/reading/time.ts';
import { describeStores } from '../helpers/databases.ts';
import { CORP, seedArchive } from './seed.ts';

describe('times are China time whatever the process zone', () => {
  it('formats and parses Asia/Shanghai', () => {
    expect(formatTime(Date.UTC(2026, 10, 20, 6, 3, 5))).toBe('2026-11-20 14:03:05');
    expect(formatTime(Date.UTC(2026, 10, 20, 16, 0, 0))).toBe('2026-11-21 00:00:00');
    expect(parseTimeBound('2026-11-20', 'start', '--from')).toBe(Date.UTC(2026, 10, 19, 16));
    expect(parseTimeBound('2026-11-20', 'end', '--to')).toBe(Date.UTC(2026, 10, 20, 16) - 1);
    expect(parseTimeBound('2026-11-20 14:03', 'end', '--to')).toBe(Date.UTC(2026, 10, 20, 6, 4) - 1);
    expect(parseTimeBound('2026-11-20T14:03:05', 'start', '--from')).toBe(Date.UTC(2026, 10, 20, 6, 3, 5));
    expect(parseTimeBound('2026-11-20T06:03:05Z', 'start', '--from')).toBe(Date.UTC(2026, 10, 20, 6, 3, 5));
  });

  it('refuses impossible dates and reversed ranges, saying how to write them', () => {
    for (const bad of ['2026-13-01', '2026-02-30', 'yesterday', '2026/11/20', '2026-11-20 25:00']) {
      expect(() => parseTimeBound(bad, 'start', '--from'), bad).toThrow(expect.objectContaining({ code: 'archive_bad_time' }));
    }
    expect(() => parseTimeRange('2026-11-21', '2026-11-20')).toThrow(expect.objectContaining({ code: 'archive_bad_range' }));
  });
});

describe('other inputs', () => {
  it('checks message types, limits and sizes', () => {
    expect(parseMsgtypes('text, file')).toEqual(['text', 'file']);
    expect(parseMsgtypes(undefined)).toBeUndefined();
    expect(() => parseMsgtypes('text,letter')).toThrow(expect.objectContaining({ code: 'archive_bad_msgtype', vars: expect.objectContaining({ types: 'letter' }) }));
    expect([formatSize(300), formatSize(12_288), formatSize(1_258_291), formatSize(52_428_800)]).toEqual(['300 B', '12 KB', '1.2 MB', '50 MB']);
  });
});

describeStores('people by id or name', (getStore) => {
  it('takes ids, unique names, unknown ids; refuses unknown and shared names', async () => {
    const { db } = getStore();
    await seedArchive(db);
    expect(await resolvePerson(db, CORP, 'employee', 'zhangsan')).toBe('zhangsan');
    expect(await resolvePerson(db, CORP, 'employee', '张三')).toBe('zhangsan');
    expect(await resolvePerson(db, CORP, 'customer', '陈先生')).toBe('wmCust1');
    expect(await resolvePerson(db, CORP, 'employee', 'departed_user')).toBe('departed_user');
    await expect(resolvePerson(db, CORP, 'employee', '无此人')).rejects.toMatchObject({ code: 'archive_unknown_person' });
    await db.updateTable('employees').set({ name: '张三' }).where('userid', '=', 'lisi').execute();
    await expect(resolvePerson(db, CORP, 'employee', '张三')).rejects.toMatchObject({ code: 'archive_ambiguous_person', vars: expect.objectContaining({ ids: 'lisi, zhangsan' }) });
  });
});

import { describe, expect, it } from 'vitest';
import { CallbackError } from './errors.ts';
import { checkTimestamp, MemoryNonceBook } from './replay.ts';

const NOW = 1_800_000_000_000;

describe('checkTimestamp', () => {
  it('takes a timestamp within the window either way and returns it in seconds', () => {
    expect(checkTimestamp('1800000000', NOW)).toBe(1_800_000_000);
    expect(checkTimestamp('1800000300', NOW)).toBe(1_800_000_300);
    expect(checkTimestamp('1799999700', NOW)).toBe(1_799_999_700);
  });

  it('refuses outside the window, and anything that is not seconds', () => {
    for (const bad of ['1800000301', '1799999699', '', '-1', '1e9', '18000000.5', ' 1800000000', '9'.repeat(13)]) {
      expect(() => checkTimestamp(bad, NOW), bad).toThrow(CallbackError);
    }
    expect(() => checkTimestamp('1800000301', NOW, 600)).not.toThrow();
  });
});

describe('MemoryNonceBook', () => {
  it('says seen the second time only', () => {
    const book = new MemoryNonceBook({ now: () => NOW });
    expect(book.seen('a', 1_800_000_000)).toBe(false);
    expect(book.seen('a', 1_800_000_000)).toBe(true);
    expect(book.seen('b', 1_800_000_000)).toBe(false);
  });

  it('forgets nonces older than two hours', () => {
    let now = NOW;
    const book = new MemoryNonceBook({ now: () => now });
    book.seen('a', NOW / 1000);
    now += 2 * 3600 * 1000 + 1000;
    expect(book.seen('a', now / 1000)).toBe(false);
    expect(book.size).toBe(1);
  });

  it('stays within its bound, dropping the oldest first', () => {
    const book = new MemoryNonceBook({ now: () => NOW, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) book.seen(`n${i}`, NOW / 1000);
    expect(book.size).toBe(100);
    expect(book.seen('n999', NOW / 1000)).toBe(true);
    expect(book.seen('n0', NOW / 1000)).toBe(false);
  });

});

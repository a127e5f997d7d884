import { describe, expect, it } from 'vitest';
import { ipAllowed, normalizeIp } from '../../src/sandbox/server/ip.ts';

describe('trusted IP matching', () => {
  it('matches single addresses and CIDR ranges', () => {
    expect(ipAllowed('203.0.113.40', [])).toBe(true);
    expect(ipAllowed('203.0.113.40', ['203.0.113.40'])).toBe(true);
    expect(ipAllowed('203.0.113.41', ['203.0.113.40'])).toBe(false);
    expect(ipAllowed('203.0.113.200', ['203.0.113.0/24'])).toBe(true);
    expect(ipAllowed('203.0.114.1', ['203.0.113.0/24'])).toBe(false);
    expect(ipAllowed('10.1.2.3', ['0.0.0.0/0'])).toBe(true);
    expect(ipAllowed('::1', ['127.0.0.1'])).toBe(false);
    expect(ipAllowed('::1', ['::1'])).toBe(true);
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });
});

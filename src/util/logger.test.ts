import { describe, expect, it } from 'vitest';
import type { JobLog } from '../jobs/log.ts';
import { createLogger } from './logger.ts';

describe('logger', () => {
  it('writes JSON lines with secrets redacted, in fields and messages', () => {
    const lines: string[] = [];
    const log = createLogger({ json: true, write: (line) => void lines.push(line) });
    const secret = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg';
    log.info({ corpId: 'ww1', secret, url: 'postgres://u:hunter22@db/x' }, `token=${secret}`);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 30, corpId: 'ww1' });
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).not.toContain('hunter22');
  });

  it('is what the background jobs log through', () => {
    const log: JobLog = createLogger({ json: true, write: () => {} });
    expect(typeof log.info).toBe('function');
  });

  it('writes plain lines on a terminal', () => {
    const lines: string[] = [];
    const log = createLogger({ json: false, write: (line) => void lines.push(line) });
    log.warn({ corpId: 'ww1', stored: 3 }, 'archive pulled');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d WARN archive pulled corpId=ww1 stored=3\n$/);
  });

  it("logs Fastify's request objects and cycles without recursing into them, the URL's secrets shortened", () => {
    const lines: string[] = [];
    const log = createLogger({ json: true, write: (line) => void lines.push(line) });
    class Request { method = 'GET'; url = '/callback/ww1/app?msg_signature=0123456789abcdef0123456789abcdef01234567&echostr=c2VjcmV0c2VjcmV0c2VjcmV0'; self = this; }
    const cycle: Record<string, unknown> = { name: 'a' };
    cycle.again = cycle;
    log.info({ req: new Request(), cycle }, 'incoming request');
    const entry = JSON.parse(lines[0]!);
    expect(entry.req).toEqual({ method: 'GET', url: expect.stringContaining('/callback/ww1/app?') });
    expect(lines[0]).not.toContain('0123456789abcdef0123456789abcdef01234567');
    expect(entry.cycle.name).toBe('a');
  });
});

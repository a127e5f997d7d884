import { expect, it } from 'vitest';
import { renderStall } from './texts.ts';

it('says which message the SDK is stuck on and what happens next, in both languages', () => {
  expect(renderStall({ seqs: [42n], seconds: 30, next: 'retry' }, 'zh')).toBe('seq 42：SDK 已 30 秒未应答，将重试，之后隔离');
  expect(renderStall({ seqs: [42n], seconds: 30, next: 'retry' }, 'en')).toBe('seq 42: the SDK has not answered for 30 s, retrying, then quarantining');
  expect(renderStall({ seqs: [42n], seconds: 30, next: 'quarantine' }, 'en')).toContain('quarantined');
  expect(renderStall({ seqs: [9n, 7n, 8n], seconds: 30, next: 'retry' }, 'en')).toBe('seq 7–9 (3 messages): the SDK has not answered for 30 s, retrying them one at a time to find the stuck one');
});

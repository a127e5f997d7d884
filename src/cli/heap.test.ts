import { describe, expect, it } from 'vitest';
import { isIngestCommand } from './heap.ts';

describe('isIngestCommand', () => {
  it('finds archive pull and archive watch behind any global options', () => {
    expect(isIngestCommand(['archive', 'pull'])).toBe(true);
    expect(isIngestCommand(['--json', '--lang', 'en', 'archive', 'pull', '--no-media', '--config', 'x.env'])).toBe(true);
    expect(isIngestCommand(['--config', 'archive', 'archive', 'watch'])).toBe(true);
    expect(isIngestCommand(['archive', '--json', 'watch', '--interval', '5'])).toBe(true);
  });

  it('leaves every other command alone', () => {
    expect(isIngestCommand(['archive', 'status'])).toBe(false);
    expect(isIngestCommand(['--config', 'pull', 'archive', 'verify'])).toBe(false);
    expect(isIngestCommand(['sync', 'all'])).toBe(false);
    expect(isIngestCommand(['pull'])).toBe(false);
    expect(isIngestCommand([])).toBe(false);
  });
});

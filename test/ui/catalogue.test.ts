import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../web/src/catalogue.ts';

/** The UI's one catalogue: every string in both languages, with the same placeholders in each. */
describe('the web UI catalogue', () => {
  it('gives every string in Chinese and English, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(CATALOGUE)) {
      expect(text.zh.trim(), key).not.toBe('');
      expect(text.en.trim(), key).not.toBe('');
      expect(placeholders(text.en), key).toEqual(placeholders(text.zh));
    }
  });

  it('is used: no string in it that the UI never shows', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const root = new URL('../../web/src/', import.meta.url);
    const files = readdirSync(root, { recursive: true }).map(String).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('catalogue.ts'));
    const source = files.map((f) => readFileSync(new URL(f, root), 'utf8')).join('\n');
    const unused = Object.keys(CATALOGUE).filter((key) => !new RegExp(`['"]${key}['"]`).test(source));
    expect(unused).toEqual([]);
  });
});

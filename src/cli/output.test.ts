import { describe, expect, it } from 'vitest';
import { displayWidth, fitColumns, renderTable } from './output.ts';

describe('tables that fit the terminal', () => {
  it('counts Chinese characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('华东区')).toBe(6);
    expect(displayWidth('\u001b[31m红\u001b[39m')).toBe(2);
  });

  it('keeps natural widths while the table fits, else cuts only the widest columns', () => {
    expect(fitColumns(['id', 'name'], [['1', '张三']], 120)).toEqual([4, 6]);
    const widths = fitColumns(['id', 'notice'], [['12', 'x'.repeat(300)]], 40);
    expect(widths[0]).toBe(4);
    expect(widths.reduce((a, b) => a + b, 0) + 3).toBeLessThanOrEqual(40);
  });

  it('renders a wide table within the width with an ellipsis, and leaves it whole without a width', () => {
    const long = '很长的群公告'.repeat(30);
    const rows = [['wrGroup1', long, 'zhangsan']];
    const fitted = renderTable(['chat_id', 'notice', 'owner'], rows, { maxWidth: 120 });
    for (const line of fitted.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(120);
    expect(fitted).toContain('…');
    expect(fitted).toContain('wrGroup1');
    expect(renderTable(['chat_id', 'notice', 'owner'], rows)).toContain(long);
  });
});

import { describe, expect, it } from 'vitest';
import { displayWidth, fitColumns, renderCsv, renderTable } from './output.ts';

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
    // An id the user copies is kept whole while the free text can give way.
    const id = 'wr2TMr0FLc7nMpZXE6tWBmhQ9b748AAA';
    const kept = fitColumns(['chat_id', 'name'], [[id, '很长的群名'.repeat(10)]], 60, [true, false]);
    expect(kept[0]).toBe(id.length + 2);
    expect(kept.reduce((a, b) => a + b, 0) + 3).toBeLessThanOrEqual(60);
    // When even that is not enough, the kept column is cut too rather than overflowing.
    const squeezed = fitColumns(['chat_id', 'name'], [[id, '很长的群名'.repeat(10)]], 30, [true, false]);
    expect(squeezed.reduce((a, b) => a + b, 0) + 3).toBeLessThanOrEqual(30);
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

describe('hostile names and messages', () => {
  it('prints no terminal escape or bidi override from a cell', () => {
    const table = renderTable(['name'], [['\u001b[2J\u001b]0;x\u0007evil\u202e']]);
    expect(table).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
    expect(table).toContain('\\x1b[2J');
  });

  it('neutralises spreadsheet formulas in CSV text cells, not in numbers', () => {
    const csv = renderCsv(['name', 'n'], [['=HYPERLINK("http://x","y")', -3], ['-2', 1], ['@SUM(A1)', 0], ['张三', 2]]);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",-3`);
    expect(lines[2]).toBe('-2,1');
    expect(lines[3]).toBe("'@SUM(A1),0");
    expect(lines[4]).toBe('张三,2');
  });
});

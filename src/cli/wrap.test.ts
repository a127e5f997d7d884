import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable } from './output.ts';
import { wrapText, wrapToFit } from './wrap.ts';

const widest = (text: string) => Math.max(...text.split('\n').map(displayWidth));

describe('wrapping table cells by terminal columns', () => {
  it('counts a Chinese character as two columns and breaks between characters', () => {
    expect(wrapText('您好，我是您的专属顾问', 10)).toBe('您好，我是\n您的专属顾\n问');
    expect(wrapText('abc def ghi', 7)).toBe('abc def\nghi');
    expect(wrapText('短', 10)).toBe('短');
  });

  it('keeps a search match on one line and never starts a line with closing punctuation', () => {
    expect(wrapText('内部讨论的【折扣方案】和附件', 14)).toBe('内部讨论的\n【折扣方案】和\n附件');
    expect(wrapText('一二三四五，六七', 10)).toBe('一二三四\n五，六七');
    // A match wider than the column is broken like any text rather than overflowing.
    expect(widest(wrapText(`【${'很长的命中'.repeat(5)}】`, 12))).toBeLessThanOrEqual(12);
  });

  it('fits a search table with a long Chinese snippet into 120 columns, the snippet whole', () => {
    const snippet = `…关于下个季度的续约安排，我们建议把【续签条款】放在第三页，并且补充违约责任、付款节点和验收标准，另外附件里的报价单也需要同步更新${'，请尽快确认'.repeat(4)}…`;
    const headers = ['时间', '会话', '发送者', '类型', '内容'];
    const row = ['2026-11-20 14:06:00', '华东区重点客户续约项目沟通群（第二期）', '客户陈先生', '聊天记录', snippet];
    const wrapped = wrapToFit(headers, [row], [{ keep: true }, { max: 24 }, { max: 16 }, { keep: true }, {}]);
    const table = renderTable(headers, wrapped);
    expect(Math.max(...table.split('\n').map(displayWidth))).toBeLessThanOrEqual(120);
    expect(displayWidth(table.split('\n')[0]!)).toBeGreaterThan(100);
    // Nothing is cut: the cells' lines put together are the text again.
    expect(wrapped[0]![4]!.replaceAll('\n', '')).toBe(snippet);
    expect(wrapped[0]![4]!.split('\n').some((line) => line.includes('【续签条款】'))).toBe(true);
    expect(wrapped[0]![0]).toBe(row[0]);
  });
});

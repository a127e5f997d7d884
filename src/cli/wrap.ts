import { displayWidth, fitColumns, TABLE_WIDTH } from './output.ts';

/**
 * Tables whose long cells wrap onto more lines instead of being cut with '…': a search snippet or a
 * conversation's title is what the reader came for, so all of it stays. Widths come from the same
 * fitting as every other table (output.ts), counted in terminal columns (a Chinese character is two).
 */

export interface WrapColumn {
  /** Cut (here: wrapped) only when the other columns cannot give way enough (ids, times). */
  keep?: boolean;
  /** Never wider than this, so that a long name elsewhere does not take the snippet's room. */
  max?: number;
}

/** Rows with every cell wrapped to the width its column gets in a TABLE_WIDTH table. */
export function wrapToFit(headers: string[], rows: string[][], columns: WrapColumn[]): string[][] {
  const natural = headers.map((header, i) => Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[i] ?? ''))));
  const capped = natural.map((w, i) => Math.min(w, Math.max(columns[i]?.max ?? w, displayWidth(headers[i]!))));
  // fitColumns fits cell texts: one row as wide as each capped column stands for them all.
  const widths = fitColumns(headers, [capped.map((w) => 'x'.repeat(w))], TABLE_WIDTH, columns.map((c) => Boolean(c.keep)));
  // Its widths include one space of padding on either side.
  return rows.map((row) => row.map((cell, i) => wrapText(cell, widths[i]! - 2)));
}

/** Never at the start of a line: the character before it moves down with it. */
const CLOSING = /^[，。；：、）」』】！？,.;:!?)]$/u;

/**
 * The text broken into lines of at most `width` columns, between characters (Chinese has no spaces
 * to break at), keeping a search match (`【…】`) on one line when it fits and never starting a line
 * with closing punctuation.
 */
export function wrapText(text: string, width: number): string {
  if (width < 1) return text;
  return text.split('\n').map((paragraph) => wrapLine(paragraph, width).join('\n')).join('\n');
}

function wrapLine(paragraph: string, width: number): string[] {
  const tokens: string[] = [];
  for (const token of paragraph.match(/【[^【】]*】|./gsu) ?? []) {
    if (displayWidth(token) > width) tokens.push(...token);
    else if (CLOSING.test(token) && tokens.length > 0 && displayWidth(tokens[tokens.length - 1]! + token) <= width) tokens[tokens.length - 1] += token;
    else tokens.push(token);
  }
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    if (line && displayWidth(line + token) > width) {
      lines.push(line.trimEnd());
      line = token.trimStart();
    } else {
      line += token;
    }
  }
  lines.push(line);
  return lines;
}

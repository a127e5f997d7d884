import Table from 'cli-table3';
import { t, type Lang, type Text } from '../i18n/index.ts';
import { terminalText } from '../util/safe-text.ts';

/** How a command prints records: a table for people, JSON or CSV for machines. */
export type OutputFormat = 'table' | 'json' | 'csv';

type Cell = string | number | null | undefined;

/** Tables are cut to fit a terminal this wide (cells shortened with an ellipsis; JSON and CSV never are). */
export const TABLE_WIDTH = 120;
/** No column is squeezed below this many characters: a header must stay recognisable. */
const MIN_COLUMN = 6;

const plain = !process.stdout.isTTY || Boolean(process.env.NO_COLOR);

const TEXT = {
  truncated: {
    zh: '只显示了前 {count} 条，还有更多；调大 --limit 查看更多',
    en: 'Showing the first {count} only; there are more: raise --limit to see them',
  },
} satisfies Record<string, Text>;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

/** bigint (archive seq, 64-bit ids) prints as a number-like string rather than throwing. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export interface TableOptions {
  /** Columns the table may take, borders included; cells are shortened with '…' to fit. */
  maxWidth?: number;
  /** Per column: shortened only when shortening the others is not enough (ids a user copies, times). */
  keep?: boolean[];
}

export function renderTable(headers: string[], rows: Cell[][], options: TableOptions = {}): string {
  // Cells hold names and messages from WeCom: nothing in them may act on the terminal.
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : terminalText(String(cell)))));
  const colWidths = options.maxWidth === undefined ? undefined : fitColumns(headers, cells, options.maxWidth, options.keep);
  const table = new Table({ head: headers, style: plain ? { head: [], border: [] } : undefined, ...(colWidths ? { colWidths } : {}) });
  for (const row of cells) table.push(row);
  return table.toString();
}

/**
 * Column widths (padding included) for a table no wider than `maxWidth`: columns keep their
 * natural width while the table fits; otherwise the widest are cut down to one common width, the
 * largest that fits, so narrow columns (counts, codes) are never shortened for a long one. Columns
 * marked `keep` are cut only when cutting the others to MIN_COLUMN is not enough.
 */
export function fitColumns(headers: string[], rows: string[][], maxWidth: number, keep: boolean[] = []): number[] {
  const natural = headers.map((header, i) => Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[i] ?? ''))));
  // Each column has one space of padding on either side, and there is one border more than columns.
  const budget = maxWidth - (headers.length + 1) - 2 * headers.length;
  /** The widest common cap for the columns `cut` selects, the others at `base` widths; undefined if none fits. */
  const fit = (base: number[], cut: (i: number) => boolean): number[] | undefined => {
    const capped = (cap: number) => base.map((w, i) => (cut(i) ? Math.min(w, cap) : w));
    const sum = (cap: number) => capped(cap).reduce((a, b) => a + b, 0);
    let low = MIN_COLUMN;
    let high = Math.max(MIN_COLUMN, ...base);
    if (sum(low) > budget) return undefined;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (sum(mid) <= budget) low = mid;
      else high = mid - 1;
    }
    return capped(low);
  };
  // First the free columns alone; then, with those at their minimum, the kept ones too.
  const squeezed = natural.map((w, i) => (keep[i] ? w : Math.min(w, MIN_COLUMN)));
  const widths = fit(natural, (i) => !keep[i]) ?? fit(squeezed, (i) => Boolean(keep[i])) ?? natural.map((w) => Math.min(w, MIN_COLUMN));
  return widths.map((w) => Math.max(1, w) + 2);
}

/** Terminal columns a text takes: East Asian wide and full-width characters (and emoji) take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text.replace(/\u001b\[[\d;]*m/g, '')) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x300 && code <= 0x36f) || code === 0x200b) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f)
    || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f)
    || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff)
    || (code >= 0x20000 && code <= 0x3fffd);
}

/**
 * RFC 4180 CSV with a BOM so Excel opens Chinese text correctly. A text cell that a spreadsheet would
 * run as a formula (=, +, -, @, tab or CR first: a customer can name themselves `=HYPERLINK(…)`)
 * gets a leading apostrophe, as OWASP advises; numbers are left alone.
 */
export function renderCsv(headers: string[], rows: Cell[][]): string {
  const cell = (value: Cell) => {
    let text = value === null || value === undefined ? '' : String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !Number.isFinite(Number(text))) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [headers, ...rows].map((row) => row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}


/**
 * A column of a list: its header for people (a Text), its name in CSV (the JSON field it shows),
 * the cell for a table, and, where the table's cell is dressed up (indented, labelled), the CSV's.
 */
export interface Column<T> {
  header: Text;
  field: string;
  value: (row: T) => Cell;
  csv?: (row: T) => Cell;
  /** A column for one format only (e.g. a path spelled out in CSV, shown by indentation in the table). */
  only?: 'table' | 'csv';
  /** Shortened in a table only as a last resort: ids a user copies into the next command, times. */
  keep?: boolean;
}

export interface ListOutput<T> {
  /** The array's name in the JSON object (`employees`, `customers`…). */
  name: string;
  rows: T[];
  truncated: boolean;
  columns: Array<Column<T>>;
  format: OutputFormat;
  lang: Lang;
}

/**
 * Prints a list the one way every list command does: `{ ok, <name>: [...], truncated }` for
 * `--json`, CSV with field names as headers, or a table that fits TABLE_WIDTH with headers in the
 * user's language; a cut list is announced on stderr (stdout stays the data).
 */
export function printList<T>(out: ListOutput<T>): void {
  if (out.format === 'json') return printJson({ ok: true, [out.name]: out.rows, truncated: out.truncated });
  const columns = out.columns.filter((c) => c.only === undefined || c.only === out.format);
  if (out.format === 'csv') {
    const rows = out.rows.map((row) => columns.map((c) => (c.csv ?? c.value)(row)));
    process.stdout.write(renderCsv(columns.map((c) => c.field), rows));
  } else {
    const rows = out.rows.map((row) => columns.map((c) => c.value(row)));
    const keep = columns.map((c) => Boolean(c.keep));
    process.stdout.write(`${renderTable(columns.map((c) => t(c.header, out.lang)), rows, { maxWidth: TABLE_WIDTH, keep })}\n`);
  }
  if (out.truncated) announceTruncation(out.rows.length, out.lang);
}

/** The stderr line that says `--limit` left rows out. */
export function announceTruncation(shown: number, lang: Lang): void {
  process.stderr.write(`${t(TEXT.truncated, lang, { count: shown })}\n`);
}

import Table from 'cli-table3';

/** How a command prints records: a table for people, JSON or CSV for machines. */
export type OutputFormat = 'table' | 'json' | 'csv';

const plain = !process.stdout.isTTY || Boolean(process.env.NO_COLOR);

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

/** bigint (archive seq, 64-bit ids) prints as a number-like string rather than throwing. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export function renderTable(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const table = new Table({ head: headers, style: plain ? { head: [], border: [] } : undefined });
  for (const row of rows) table.push(row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
  return table.toString();
}

/** RFC 4180 CSV with a BOM so Excel opens Chinese text correctly. */
export function renderCsv(headers: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cell = (value: string | number | null | undefined) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [headers, ...rows].map((row) => row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Prints records as the chosen format; `columns` maps a header to the record field shown. */
export function printRecords<T extends Record<string, unknown>>(
  records: T[],
  columns: Array<{ header: string; value: (record: T) => string | number | null | undefined }>,
  format: OutputFormat,
): void {
  if (format === 'json') return printJson(records);
  const headers = columns.map((column) => column.header);
  const rows = records.map((record) => columns.map((column) => column.value(record)));
  process.stdout.write(format === 'csv' ? renderCsv(headers, rows) : `${renderTable(headers, rows)}\n`);
}

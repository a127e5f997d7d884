/**
 * Reads the users' own file format as it is (shared/reference/user-guide-wecom-app-permissions.md):
 * `KEY=VALUE` lines, `#` comments on their own line or after a value, optional single or double
 * quotes, an optional `export ` prefix. Pure: text in, entries and problems out.
 */
export interface EnvEntry {
  key: string;
  value: string;
  line: number;
}

export interface EnvProblem {
  line: number;
  text: string;
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

export function parseEnvFile(text: string): { entries: EnvEntry[]; problems: EnvProblem[] } {
  const entries: EnvEntry[] = [];
  const problems: EnvProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const match = LINE.exec(raw);
    if (!match) {
      problems.push({ line: i + 1, text: trimmed });
      return;
    }
    const value = parseValue(match[2]);
    if (value === undefined) problems.push({ line: i + 1, text: trimmed });
    else entries.push({ key: match[1], value, line: i + 1 });
  });
  return { entries, problems };
}

/** A quoted value keeps everything inside its quotes; an unquoted one ends at ` #` (a comment). */
function parseValue(rest: string): string | undefined {
  const text = rest.trim();
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const end = closingQuote(text, quote);
    if (end < 0) return undefined;
    const after = text.slice(end + 1).trim();
    if (after && !after.startsWith('#')) return undefined;
    const inner = text.slice(1, end);
    return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : inner;
  }
  const comment = text.search(/\s#/);
  return (comment >= 0 ? text.slice(0, comment) : text).trim();
}

/** Where a quoted value ends: single quotes take everything literally; in double quotes `\"` does not end it. */
function closingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i += 1) {
    if (quote === '"' && text[i] === '\\') i += 1;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** Formats one line of the users' format, quoting only when needed. */
export function formatEnvLine(key: string, value: string, comment?: string): string {
  const needsQuotes = /[\s#"'\\]/.test(value) || value === '';
  const shown = needsQuotes ? `"${value.replace(/(["\\])/g, '\\$1').replace(/\n/g, '\\n')}"` : value;
  return comment ? `${key}=${shown}  # ${comment}` : `${key}=${shown}`;
}

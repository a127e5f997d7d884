import { t, type Lang, type Text } from '../../../i18n/index.ts';
import { CORP_STOPPED, INTERNAL_ERROR } from '../../../services/archive/per-corp.ts';
import { errorLines } from '../../context.ts';
import type { CorpError, CorpOutcome } from '../../../services/types/archive.ts';

/**
 * How the commands that cover several corps print them: a heading per corp when more than one is in
 * scope, progress lines prefixed with the corp, a failed corp explained like any error, and one exit
 * code: 0 when every corp succeeded, else the worst of theirs.
 */

const TEXT = {
  heading: { zh: '── 企业 {corp} ──', en: '── Corp {corp} ──' },
} satisfies Record<string, Text>;

/** A failure of set-up or of WeCom: 2, like every user error; a bug: 70; a corp left out by Ctrl+C: 0. */
export function errorExit(error: CorpError): number {
  if (error.code === INTERNAL_ERROR) return 70;
  return error.code === CORP_STOPPED ? 0 : 2;
}

export function worstExit(codes: number[]): number {
  return codes.reduce((worst, code) => Math.max(worst, code), 0);
}

/** The exit code of a per-corp result, `ofEntry` judging the corps that ran. */
export function perCorpExit<T>(corps: Array<CorpOutcome<T>>, ofEntry: (entry: CorpOutcome<T>) => number = () => 0): number {
  return worstExit(corps.map((c) => (c.error ? errorExit(c.error) : ofEntry(c))));
}

/** `[corp] ` before a progress line when several corps run at once, else nothing. */
export function corpTag(several: boolean, corpId: string): string {
  return several ? `[${corpId}] ` : '';
}

export function corpHeading(corpId: string, lang: Lang): string {
  return t(TEXT.heading, lang, { corp: corpId });
}


/**
 * Prints one block per corp (a heading first when several): a failed corp's error goes to stderr,
 * the others' lines (from `render`) to stdout.
 */
export function printPerCorp<T>(
  corps: Array<CorpOutcome<T>>, lang: Lang, render: (entry: Exclude<CorpOutcome<T>, { error: CorpError }>) => string[],
  several = corps.length > 1,
): void {
  for (const [i, corp] of corps.entries()) {
    const head = several ? [...(i > 0 ? [''] : []), corpHeading(corp.corpId, lang)] : [];
    if (corp.error) {
      // An error names no corp by itself: with several, say whose it is.
      if (several) process.stderr.write(`${corpHeading(corp.corpId, lang)}\n`);
      process.stderr.write(`${errorLines(corp.error, lang).join('\n')}\n`);
      continue;
    }
    const lines = [...head, ...render(corp as Exclude<CorpOutcome<T>, { error: CorpError }>)];
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  }
}

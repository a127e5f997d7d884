/**
 * Two languages, chosen once per process: Chinese by default, English with `--lang en` or
 * `WECOM_ARCHIVE_LANG=en`. The system LANG is deliberately ignored: our users' servers often run
 * with an English locale while the people reading the output read Chinese.
 */
export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** A user-facing text in both languages. Declared beside the code that shows it. */
export interface Text {
  zh: string;
  en: string;
}

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}

/** The value of `--lang X` or `--lang=X` in a command line, read before any parser runs. */
export function langFlag(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--lang');
  return index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith('--lang='))?.slice('--lang='.length);
}

/** `--lang` wins, then WECOM_ARCHIVE_LANG, then Chinese. */
export function resolveLang(flag?: string, env: NodeJS.ProcessEnv = process.env): Lang {
  if (isLang(flag)) return flag;
  const fromEnv = env.WECOM_ARCHIVE_LANG;
  return isLang(fromEnv) ? fromEnv : 'zh';
}

/** Picks the language and fills `{name}` placeholders. */
export function t(text: Text, lang: Lang, vars: Record<string, string | number> = {}): string {
  return text[lang].replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

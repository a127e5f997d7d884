import type { Text } from '../i18n/index.ts';
import { UserError } from '../util/errors.ts';

/**
 * Whole-number command options (`--limit`, `--timeout`, `--hosts`…), read the same way by every
 * command: digits only, from 1 up to the option's own bound, else one clear error naming the option.
 */

const TEXT = {
  what: { zh: '选项 {option} 的值“{value}”无效', en: 'Invalid value "{value}" for {option}' },
  why: { zh: '它须是 1 到 {max} 之间的整数', en: 'It must be a whole number from 1 to {max}' },
  whyUnbounded: { zh: '它须是正整数', en: 'It must be a positive whole number' },
  fix: { zh: '改成合适的整数后重新运行（wecom-archive <命令> --help 列出各选项及其默认值）', en: 'Give a suitable whole number and run the command again (wecom-archive <command> --help lists each option and its default)' },
} satisfies Record<string, Text>;

/** `value` as an integer in [1, max]; undefined when the option was not given. */
export function intOption(option: string, value: string, max?: number): number;
export function intOption(option: string, value: string | undefined, max?: number): number | undefined;
export function intOption(option: string, value: string | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(n) && n >= 1 && n <= max) return n;
  const bounded = max < Number.MAX_SAFE_INTEGER;
  throw new UserError('cli_bad_number', { what: TEXT.what, why: bounded ? TEXT.why : TEXT.whyUnbounded, fix: TEXT.fix, vars: { option, value, max } });
}

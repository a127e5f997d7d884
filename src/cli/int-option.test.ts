import { describe, expect, it } from 'vitest';
import { UserError } from '../util/errors.ts';
import { intOption } from './int-option.ts';

describe('intOption', () => {
  it('reads whole numbers from 1 to the bound, and leaves an absent option undefined', () => {
    expect(intOption('--limit', '1')).toBe(1);
    expect(intOption('--limit', '5000', 5000)).toBe(5000);
    expect(intOption('--limit', '007')).toBe(7);
    expect(intOption('--limit', undefined)).toBeUndefined();
  });

  it.each(['0', '-1', '1.5', '1e3', ' 2', 'ten', '', '5001', '99999999999999999999'])('refuses %j, naming the option, the value and the range', (value) => {
    let error: unknown;
    try {
      intOption('--limit', value, 5000);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    const { what, why, fix } = (error as UserError).describe('zh');
    expect((error as UserError).code).toBe('cli_bad_number');
    expect(what).toBe(`选项 --limit 的值“${value}”无效`);
    expect(why).toBe('它须是 1 到 5000 之间的整数');
    expect(fix).toContain('--help');
  });

  it('says "positive" when the option has no upper bound', () => {
    expect(() => intOption('--department', '0')).toThrow(UserError);
    try {
      intOption('--department', '0');
    } catch (err) {
      expect((err as UserError).describe('en').why).toBe('It must be a positive whole number');
    }
  });
});

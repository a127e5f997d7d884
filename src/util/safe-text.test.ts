import { expect, it } from 'vitest';
import { escapeStored, firstDifference, terminalText } from './safe-text.ts';

it('shows printable ASCII as it is and everything else escaped', () => {
  expect(escapeStored('ab12')).toBe('ab12');
  expect(escapeStored('a\u001b[2Jb\u0000\u0007\\')).toBe('a\\x1b[2Jb\\x00\\x07\\\\');
  expect(escapeStored('\u00ff\u202e哈')).toBe('\\xff\\u{202e}\\u{54c8}');
  expect(escapeStored('x'.repeat(5), 3)).toBe('xxx…(5)');
});

it('finds the first differing character', () => {
  expect(firstDifference('abcd', 'abXd')).toBe(2);
  expect(firstDifference('abc', 'abcd')).toBe(3);
  expect(firstDifference('abc', 'abc')).toBeUndefined();
});

it('keeps names and messages readable on a terminal but makes escapes, controls and bidi overrides inert', () => {
  expect(terminalText('张三 👨‍👩‍👧 <b>hi</b>')).toBe('张三 👨‍👩‍👧 <b>hi</b>');
  expect(terminalText('a\u001b]0;pwned\u0007b')).toBe('a\\x1b]0;pwned\\x07b');
  expect(terminalText('invoice\u202egpj.exe')).toBe('invoice\\u{202e}gpj.exe');
  expect(terminalText('\u2067x\u2069\u009b')).toBe('\\u{2067}x\\u{2069}\\x9b');
  expect(terminalText('a\tb\nc')).toBe('a b\nc');
});

/**
 * Strings that attack whatever renders them, planted in the sandbox's company and archive so that
 * every face (CLI, API, web UI) is tested against them on every run: markup and script, event
 * handlers, `javascript:` links, terminal escapes, bidirectional overrides, zero-width characters,
 * very long lines and long emoji sequences. Real WeCom names and messages can hold any of these.
 *
 * They are chosen by index (every `every`-th record), never by drawing from a record's random
 * stream, so each record's other fields stay what they were.
 */

export const HOSTILE_NAMES = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(document.cookie)</script>',
  '客户\u202eexe.txt',
  '张\u200b三\u200d\u200c',
  '\u001b[31m红色\u001b[0m\u001b]0;pwned\u0007',
  '👨‍👩‍👧‍👦🏳️‍🌈👩🏽‍💻🇨🇳',
  '=HYPERLINK("http://evil.example","点我")',
  '{{constructor.constructor("alert(1)")()}}',
] as const;

export const HOSTILE_MESSAGES = [
  '<script>alert("xss")</script>您好',
  '<a href="javascript:alert(1)">点击领取</a> javascript:alert(2)',
  '<svg onload=alert(1)><iframe src="http://evil.example"></iframe>',
  '报价单\u202ecod.exe 请查收',
  '\u2067مرحبا\u2069 与 \u200f混排\u200e 文字',
  '零\u200b宽\u200c字\u200d符\ufeff',
  '\u001b[2J\u001b[H清屏\u001b]8;;http://evil.example\u0007链接\u001b]8;;\u0007',
  '👩‍👩‍👧‍👦'.repeat(200),
  `超长一行：${'长'.repeat(10_000)}`,
  '${7*7} {{7*7}} <%= 7*7 %> \') OR 1=1 --',
] as const;

/**
 * File names a member might really send. Their extensions are ones the sandbox has sample files for:
 * `合同\u202egpj.zip` is a zip that reads as `合同piz.jpg`.
 */
export const HOSTILE_FILE_NAMES = [
  '<img src=x onerror=alert(1)>.pdf',
  '合同\u202egpj.zip',
  '../../../../etc/passwd.pdf',
  'CON.docx',
] as const;

/** The hostile value for the record at `index`, or undefined: one record in `every`. */
export function hostileAt<T>(list: readonly T[], index: number, every: number): T | undefined {
  if (index % every !== every - 1) return undefined;
  return list[Math.floor(index / every) % list.length];
}

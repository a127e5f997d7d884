import { describe, expect, it } from 'vitest';
import { commanderMessage, helpItems, wrapColumns } from '../../src/cli/help-localize.ts';
import { displayWidth } from '../../src/cli/output.ts';
import { COMMAND_HELP_ZH, SELF_LOCALIZED } from '../../src/cli/help-text.ts';
import { buildProgram } from '../../src/cli/program.ts';
import { runCli } from '../helpers/cli.ts';

const HAN = /\p{Script=Han}/u;

describe('help in Chinese by default', () => {
  it('every command, option and argument of the tree has Chinese help', () => {
    const zh = helpItems(buildProgram('zh'));
    const en = helpItems(buildProgram('en'));
    expect(zh.map((i) => `${i.path}|${i.key}`)).toEqual(en.map((i) => `${i.path}|${i.key}`));
    const missing = zh.filter((item, k) => {
      if (!HAN.test(item.text)) return true;
      // The English may itself hold a Chinese word ("chat archive (会话内容存档)"): Chinese help is a translation.
      return !SELF_LOCALIZED.has(item.path.split(' ')[0]!) && item.text === en[k]!.text;
    });
    expect(missing.map((i) => `${i.kind} "${i.path}" ${i.key}: ${i.text}`), 'add them to src/cli/help-text.ts').toEqual([]);
  });

  it('has no table entry for a command, option or argument that does not exist', () => {
    const items = helpItems(buildProgram('en'));
    const known = new Set(items.map((i) => `${i.kind}|${i.path}|${i.key}`));
    const stale: string[] = [];
    for (const [path, entry] of Object.entries(COMMAND_HELP_ZH)) {
      if (!known.has(`command|${path}|${path}`)) stale.push(`command "${path}"`);
      for (const key of Object.keys(entry.options ?? {})) if (!known.has(`option|${path}|${key}`)) stale.push(`"${path}" ${key}`);
      for (const key of Object.keys(entry.arguments ?? {})) if (!known.has(`argument|${path}|${key}`)) stale.push(`"${path}" <${key}>`);
    }
    expect(stale).toEqual([]);
  });

  it('prints --help in Chinese by default and in English with --lang en', async () => {
    const zh = await runCli(['--help']);
    expect(zh.code).toBe(0);
    for (const word of ['用法：', '选项：', '命令：', '显示命令帮助', '输出语言', '拉取', '[选项]']) expect(zh.stdout).toContain(word);
    for (const word of ['Usage:', 'Options:', 'Commands:', 'display help']) expect(zh.stdout).not.toContain(word);

    const sub = await runCli(['archive', 'pull', '--help']);
    expect(sub.stdout).toContain('每次 GetChatData 拉取的消息数');
    expect(sub.stdout).toMatch(/（默认："1000"）/);

    const en = await runCli(['--help', '--lang', 'en']);
    expect(en.code).toBe(0);
    for (const word of ['Usage:', 'Options:', 'Commands:', 'display help for command', 'output language']) expect(en.stdout).toContain(word);
    expect(en.stdout).not.toMatch(/用法|选项|显示命令帮助/);
  }, 120_000);

  it('says "unknown command", "unknown option" and "missing argument" in Chinese, exit 2', async () => {
    const unknown = await runCli(['emploees']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("未知命令 'emploees'（是否要用 employees？）");
    expect(unknown.stderr).toContain('用法见 wecom-archive --help');
    expect(unknown.stderr).not.toMatch(/unknown|error:/i);

    const option = await runCli(['employees', '--limt', '3']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("未知选项 '--limt'");

    const missing = await runCli(['call']);
    expect(missing.stderr).toContain("缺少必需的参数 'endpoint'");

    const en = await runCli(['emploees', '--lang', 'en']);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain("unknown command 'emploees'");
  }, 120_000);

  it('translates each of commander\'s messages', () => {
    expect(commanderMessage("error: too many arguments for 'call'. Expected 1 argument but got 2.", 'zh')).toBe("命令 'call' 的参数过多：应为 1 个，实际为 2 个");
    expect(commanderMessage("error: option '--param <key=value>' argument missing", 'zh')).toBe("选项 '--param <key=value>' 缺少值");
    expect(commanderMessage("error: required option '--x <y>' not specified", 'zh')).toBe("缺少必需的选项 '--x <y>'");
    expect(commanderMessage("error: unknown option '--x'", 'en')).toBe("unknown option '--x'");
  });
});

describe('help layout', () => {
  it('counts a Chinese character as two columns and wraps Chinese text within the width', () => {
    expect(displayWidth('用法 ab')).toBe(7);
    const text = '对保存的原始信封重新计算哈希链；报告第一个断点（退出码 1），或报告正常及链头哈希 and some English words too';
    const lines = wrapColumns(text, 40).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    // Chinese punctuation does not start a line.
    for (const line of lines) expect(line).not.toMatch(/^[，。；：、）]/);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('moves a quoted default down whole with the punctuation after it, never splitting "8090"', () => {
    const text = '监听端口（0 = 随机空闲端口）（默认："8090"）';
    for (let width = 40; width <= 44; width++) {
      for (const line of wrapColumns(text, width).split('\n')) expect(line).not.toMatch(/^"?）|"8090$|^"）/);
    }
    expect(wrapColumns(text, 43)).toBe('监听端口（0 = 随机空闲端口）（默认：\n"8090"）');
  });
});

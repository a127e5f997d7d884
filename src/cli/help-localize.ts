import { Help, type Argument, type Command, type Option } from 'commander';
import type { Lang } from '../i18n/index.ts';
import { COMMAND_HELP_ZH, HELP_TITLES_ZH, SELF_LOCALIZED, SHARED_HELP_ZH } from './help-text.ts';
import { displayWidth } from './output.ts';

/**
 * Puts the CLI's help and commander's own messages in the user's language. Under zh the built tree's
 * English descriptions are replaced from the table in help-text.ts, commander's section titles and
 * messages are translated, and widths count a Chinese character as two columns (commander counts
 * one, which misaligns and overflows a 120-column terminal).
 */

/** Where a description comes from, for the completeness test. */
export interface HelpItem {
  path: string;
  kind: 'command' | 'option' | 'argument';
  key: string;
  text: string;
}

/** The command path of `cmd` under the program: '' for the program, 'archive pull'. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function optionKey(option: Option): string {
  return option.long ?? option.short ?? option.flags;
}

/** Every command, option and argument of the tree with its current description. */
export function helpItems(program: Command): HelpItem[] {
  const items: HelpItem[] = [];
  const visit = (cmd: Command) => {
    const path = commandPath(cmd);
    items.push({ path, kind: 'command', key: path, text: cmd.description() });
    for (const option of cmd.options) items.push({ path, kind: 'option', key: optionKey(option), text: option.description });
    for (const argument of cmd.registeredArguments) items.push({ path, kind: 'argument', key: argument.name(), text: argument.description });
    cmd.commands.forEach(visit);
  };
  visit(program);
  return items;
}

function chinese(path: string, kind: HelpItem['kind'], key: string, english: string): string | undefined {
  const entry = COMMAND_HELP_ZH[path];
  const specific = kind === 'command' ? entry?.description : kind === 'option' ? entry?.options?.[key] : entry?.arguments?.[key];
  return specific ?? SHARED_HELP_ZH[english];
}

/** Applies the language to the whole tree: descriptions, help layout and commander's messages. */
export function localizeHelp(program: Command, lang: Lang): void {
  const visit = (cmd: Command) => {
    const path = commandPath(cmd);
    cmd.configureHelp(helpConfiguration(lang));
    if (lang === 'zh' && !SELF_LOCALIZED.has(path.split(' ')[0]!)) {
      const own = chinese(path, 'command', path, cmd.description());
      if (own) cmd.description(own);
      for (const option of cmd.options) option.description = chinese(path, 'option', optionKey(option), option.description) ?? option.description;
      for (const argument of cmd.registeredArguments as Argument[]) {
        argument.description = chinese(path, 'argument', argument.name(), argument.description) ?? argument.description;
      }
    }
    cmd.commands.forEach(visit);
  };
  visit(program);
}

const EXTRA_WORDS_ZH: Array<[RegExp, string]> = [[/\bdefault: /g, '默认：'], [/\bchoices: /g, '可选：'], [/\bpreset: /g, '预设：'], [/\benv: /g, '环境变量：'], [/, /g, '，']];

function helpConfiguration(lang: Lang): Partial<Help> {
  const base = Help.prototype;
  const common: Partial<Help> = { displayWidth, boxWrap: wrapColumns };
  if (lang === 'en') return common;
  // Commander appends "(default: …, choices: …)" to a description.
  const extras = (text: string) => text.replace(/ ?\(((?:default|choices|preset|env): .*)\)$/,
    (_whole, inner: string) => `（${EXTRA_WORDS_ZH.reduce((s, [pattern, zh]) => s.replace(pattern, zh), inner)}）`);
  return {
    ...common,
    styleTitle: (title: string) => HELP_TITLES_ZH[title] ?? title,
    // Commander puts a space after "Usage:"; after a full-width colon it would be one space too many.
    formatHelp(cmd: Command, helper: Help) {
      return base.formatHelp.call(this, cmd, helper).replace(/^用法： /, '用法：');
    },
    commandUsage(cmd: Command) {
      return usageWords(base.commandUsage.call(this, cmd));
    },
    subcommandTerm(cmd: Command) {
      return usageWords(base.subcommandTerm.call(this, cmd));
    },
    // The help option and the implicit help command have commander's own English description.
    optionDescription(option: Option) {
      return extras(SHARED_HELP_ZH[option.description] ?? base.optionDescription.call(this, option));
    },
    argumentDescription(argument: Argument) {
      return extras(base.argumentDescription.call(this, argument));
    },
    subcommandDescription(cmd: Command) {
      const text = base.subcommandDescription.call(this, cmd);
      return SHARED_HELP_ZH[text] ?? text;
    },
  };
}

function usageWords(usage: string): string {
  return usage.replace('[options]', '[选项]').replace('[command]', '[命令]');
}


/**
 * Wraps to `width` columns at spaces, and also between Chinese characters (which have no spaces to
 * break at): commander's own wrapping would leave a long Chinese line to overflow the terminal.
 */
export function wrapColumns(text: string, width: number): string {
  if (width < 40) return text;
  return text.split(/\r?\n/).map((line) => wrapLine(line, width).join('\n')).join('\n');
}

const CLOSING_PUNCTUATION = /^[，。；：、）」』！？]$/;

function wrapLine(line: string, width: number): string[] {
  // A chunk is a run of non-space, non-wide characters with its leading spaces, or one wide character.
  const chunks = line.match(/\s*(?:[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+)/g);
  if (!chunks) return [line];
  const lines: string[] = [];
  let current = '';
  let last = '';
  for (const chunk of chunks) {
    if (current && displayWidth(current + chunk) > width) {
      // Chinese punctuation never starts a line: the chunk before it (a character, or a word such
      // as "8090") moves down with it.
      const carry = CLOSING_PUNCTUATION.test(chunk) && current.length > last.length ? last.trimStart() : '';
      lines.push(carry ? current.slice(0, current.length - last.length) : current);
      current = carry + chunk.trimStart();
    } else {
      current += chunk;
    }
    last = chunk;
  }
  lines.push(current);
  return lines;
}

/** Commander's error messages (as it words them in v14), in Chinese. */
const COMMANDER_MESSAGES_ZH: Array<[RegExp, string]> = [
  [/^error: unknown command '(.*)'/, "未知命令 '$1'"],
  [/^error: unknown option '(.*)'/, "未知选项 '$1'"],
  [/^error: missing required argument '(.*)'/, "缺少必需的参数 '$1'"],
  [/^error: too many arguments for '(.*)'\. Expected (\d+) arguments? but got (\d+)\./, "命令 '$1' 的参数过多：应为 $2 个，实际为 $3 个"],
  [/^error: too many arguments\. Expected (\d+) arguments? but got (\d+)\./, '参数过多：应为 $1 个，实际为 $2 个'],
  [/^error: option '(.*)' argument missing/, "选项 '$1' 缺少值"],
  [/^error: required option '(.*)' not specified/, "缺少必需的选项 '$1'"],
  [/^error: option '(.*)' argument '(.*)' is invalid\./, "选项 '$1' 的值 '$2' 无效。"],
  [/^error: command-argument value '(.*)' is invalid for argument '(.*)'\./, "参数 '$2' 的值 '$1' 无效。"],
  [/^error: (.*) cannot be used with (.*)/, '$1 不能与 $2 同时使用'],
  [/\n?\(Did you mean one of (.*)\?\)/, '（是否要用以下之一：$1？）'],
  [/\n?\(Did you mean (.*)\?\)/, '（是否要用 $1？）'],
];

/** Commander's message for `lang`, without its "error: " prefix. */
export function commanderMessage(text: string, lang: Lang): string {
  if (lang === 'en') return text.replace(/^error: /, '');
  let out = text;
  for (const [pattern, zh] of COMMANDER_MESSAGES_ZH) out = out.replace(pattern, zh);
  return out.replace(/^error: /, '');
}

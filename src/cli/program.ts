import { Command } from 'commander';
import { t, type Lang } from '../i18n/index.ts';
import { commands } from './commands/index.ts';
import { commanderMessage, localizeHelp } from './help-localize.ts';

const USAGE_HINT = { zh: '  用法见 wecom-archive --help', en: '  See wecom-archive --help for usage' };

/**
 * The CLI's command tree: a thin face over the services. Each command lives in its own file under
 * ./commands and registers itself; global options are read by every command through `contextFrom`.
 */
export function buildProgram(lang: Lang): Command {
  const program = new Command('wecom-archive')
    .description('WeCom (企业微信) chat archive, directory and customers in a database you own')
    .option('--config <file|folder>', 'config file (KEY=VALUE lines), or a folder of *.env files (one per corp); repeatable; when given, ./wecom.env is not read',
      (value: string, previous: string[] = []) => [...previous, value])
    .option('--corp <corp_id>', 'the corp to act on (needed only when several are configured); narrows lists and searches to it')
    .option('--lang <lang>', 'output language: zh (default) or en; also WECOM_ARCHIVE_LANG')
    .option('--json', 'machine-readable output')
    // Set before the commands are added so every subcommand inherits it: usage errors exit 2, like
    // every other user error, instead of commander's process.exit(1).
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`✖ ${commanderMessage(text.trimEnd(), lang)}\n${t(USAGE_HINT, lang)}\n`),
    })
    .showHelpAfterError(false);
  for (const register of commands) register(program);
  // After every command is registered: the help of the whole tree, in the user's language.
  localizeHelp(program, lang);
  return program;
}

import { Command, CommanderError } from 'commander';
import { configuredLang } from '../config/load.ts';
import { isLang, t, type Lang } from '../i18n/index.ts';
import { commands } from './commands/index.ts';

/**
 * The CLI: a thin face over the services. Each command lives in its own file under ./commands and
 * registers itself; global options are read by every command through `contextFrom`.
 */
export function buildProgram(lang: Lang): Command {
  const program = new Command('wecom-archive')
    .description('WeCom (企业微信) chat archive, directory and customers in a database you own')
    .option('--config <file>', 'config file (KEY=VALUE lines); when given, ./wecom.env is not read')
    .option('--lang <lang>', 'output language: zh (default) or en; also WECOM_ARCHIVE_LANG')
    .option('--json', 'machine-readable output')
    // Set before the commands are added so every subcommand inherits it: usage errors exit 2, like
    // every other user error, instead of commander's process.exit(1).
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`✖ ${text.replace(/^error: /, '')}${t(USAGE_HINT, lang)}\n`),
    })
    .showHelpAfterError(false);
  for (const register of commands) register(program);
  return program;
}

const USAGE_HINT = { zh: '  用法见 wecom-archive --help', en: '  See wecom-archive --help for usage' };

/** The language for commander's own messages, before any command has parsed its options. */
function argvLang(argv: string[]): Lang {
  const index = argv.indexOf('--lang');
  const flag = index >= 0 ? argv[index + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7);
  if (isLang(flag)) return flag;
  const configIndex = argv.indexOf('--config');
  return configuredLang(configIndex >= 0 ? argv[configIndex + 1] : undefined) ?? 'zh';
}

const lang = argvLang(process.argv);
try {
  await buildProgram(lang).parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // --help and --version end here too, with exit code 0.
  process.exitCode = err.exitCode === 0 ? 0 : 2;
}

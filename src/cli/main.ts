import { CommanderError } from 'commander';
import { configuredLang } from '../config/load.ts';
import { isLang, langFlag, type Lang } from '../i18n/index.ts';
import { buildProgram } from './program.ts';

/** The language for commander's own messages, before any command has parsed its options. */
function argvLang(argv: string[]): Lang {
  const flag = langFlag(argv);
  if (isLang(flag)) return flag;
  const configIndex = argv.indexOf('--config');
  return configuredLang(configIndex >= 0 ? argv[configIndex + 1] : undefined) ?? 'zh';
}

try {
  await buildProgram(argvLang(process.argv)).parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // --help and --version end here too, with exit code 0.
  process.exitCode = err.exitCode === 0 ? 0 : 2;
}

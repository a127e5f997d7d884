import { Command } from 'commander';
import { commands } from './commands/index.ts';

/**
 * The CLI: a thin face over the services. Each command lives in its own file under ./commands and
 * registers itself; global options are read by every command through `contextFrom`.
 */
export function buildProgram(): Command {
  const program = new Command('wecom-archive')
    .description('WeCom (企业微信) chat archive, directory and customers in a database you own')
    .option('--config <file>', 'config file (KEY=VALUE lines); when given, ./wecom.env is not read')
    .option('--lang <lang>', 'output language: zh (default) or en; also WECOM_ARCHIVE_LANG')
    .option('--json', 'machine-readable output')
    .showHelpAfterError()
    .enablePositionalOptions(false);
  for (const register of commands) register(program);
  return program;
}

await buildProgram().parseAsync(process.argv);

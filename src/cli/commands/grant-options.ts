import type { Command } from 'commander';

/**
 * --role and --department (repeatable), shared by `users add|role` and `tokens create`. The corps
 * granted come from the global --corp (a program option, so a subcommand cannot redefine it): one
 * corp id, or several separated by commas (`--corp ww1,ww2`); none grants every corp.
 */

export interface GrantOptions {
  role?: string;
  department?: string[];
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function grantOptions(command: Command, roleRequired: boolean): Command {
  const role = '--role <role>';
  const text = 'admin, auditor, manager or viewer';
  (roleRequired ? command.requiredOption(role, text) : command.option(role, `${text} (default auditor)`))
    .option('--department <id>', 'a department subtree granted, in each corp granted (repeatable; managers need one)', collect);
  return command;
}

/** The grant as the services take it (a department that is not a number is left for the service to refuse). */
export function grantInput(opts: GrantOptions, corp: string | undefined): { corps: string[]; departments: number[] } {
  const corps = (corp ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  return { corps, departments: (opts.department ?? []).map((d) => (/^\d+$/.test(d) ? Number(d) : NaN)) };
}

/** The password given on standard input (one line; the newline that ends it is not part of it). */
export async function readPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

import type { Command } from 'commander';
import { registerArchiveKeygen } from './keygen.ts';

/**
 * `wecom-archive archive …`: the chat archive (会话内容存档). Each subcommand lives in its own file
 * in this folder and is added to this list.
 */
export const archiveSubcommands: Array<(archive: Command) => void> = [registerArchiveKeygen];

export function registerArchive(program: Command): void {
  const archive = program.command('archive').description('chat archive (会话内容存档): keys, pull, verify');
  for (const register of archiveSubcommands) register(archive);
}

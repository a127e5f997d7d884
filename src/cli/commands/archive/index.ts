import type { Command } from 'commander';
import { registerArchiveCoverage } from './coverage.ts';
import { registerArchiveKeygen } from './keygen.ts';
import { registerArchiveMedia } from './media.ts';
import { registerArchivePull } from './pull.ts';
import { registerArchiveRetry } from './retry.ts';
import { registerArchiveStatus } from './status.ts';
import { registerArchiveVerify } from './verify.ts';
import { registerArchiveWatch } from './watch.ts';

/**
 * `wecom-archive archive …`: the chat archive (会话内容存档). Each subcommand lives in its own file
 * in this folder and is added to this list.
 */
export const archiveSubcommands: Array<(archive: Command) => void> = [
  registerArchiveKeygen, registerArchivePull, registerArchiveWatch, registerArchiveStatus, registerArchiveVerify, registerArchiveRetry,
  registerArchiveMedia, registerArchiveCoverage,
];

export function registerArchive(program: Command): void {
  const archive = program.command('archive').description('chat archive (会话内容存档): keys, pull, verify');
  for (const register of archiveSubcommands) register(archive);
}

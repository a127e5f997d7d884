import type { Command } from 'commander';

/** Every CLI command, in the order `--help` lists them. Each file exports one `register`. */
export const commands: Array<(program: Command) => void> = [];

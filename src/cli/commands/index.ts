import type { Command } from 'commander';
import { registerConfig } from './config.ts';
import { registerDoctor } from './doctor.ts';
import { registerInit } from './init.ts';

/** Every CLI command, in the order `--help` lists them. Each file exports one `register`. */
export const commands: Array<(program: Command) => void> = [registerInit, registerConfig, registerDoctor];

import type { Command } from 'commander';
import { registerArchive } from './archive/index.ts';
import { registerCall } from './call.ts';
import { registerConfig } from './config.ts';
import { registerDoctor } from './doctor.ts';
import { registerInit } from './init.ts';
import { registerSandbox } from './sandbox.ts';

/** Every CLI command, in the order `--help` lists them. Each file exports one `register`. */
export const commands: Array<(program: Command) => void> = [registerInit, registerConfig, registerDoctor, registerSandbox, registerArchive, registerCall];

import type { Command } from 'commander';
import { registerArchive } from './archive/index.ts';
import { registerBackup } from './backup.ts';
import { registerCall } from './call.ts';
import { registerConfig } from './config.ts';
import { registerConversation } from './conversation.ts';
import { registerConversations } from './conversations.ts';
import { registerCorps } from './corps.ts';
import { registerCustomers } from './customers.ts';
import { registerDirectoryQueries } from './directory-queries.ts';
import { registerDoctor } from './doctor.ts';
import { registerEvents } from './events.ts';
import { registerGroups } from './groups.ts';
import { registerInit } from './init.ts';
import { registerSandbox } from './sandbox.ts';
import { registerSearch } from './search.ts';
import { registerServe } from './serve.ts';
import { registerSync } from './sync.ts';
import { registerTokens } from './tokens.ts';
import { registerWorker } from './worker.ts';
import { registerUsers } from './users.ts';
import { registerAudit } from './audit.ts';

/** Every CLI command, in the order `--help` lists them. Each file exports one `register`. */
export const commands: Array<(program: Command) => void> = [registerInit, registerConfig, registerDoctor, registerSandbox, registerCorps, registerSync,
  registerDirectoryQueries, registerCustomers, registerGroups, registerArchive,
  registerSearch, registerConversations, registerConversation, registerEvents, registerCall,
  registerServe, registerTokens, registerUsers, registerAudit, registerWorker, registerBackup];

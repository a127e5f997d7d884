import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/types.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';

/**
 * The sandbox's own config file (`--config-out`), with environment overrides on top, as a user
 * would (`without` removes keys from the file): DATA_DIR points at a fresh temp folder so no token cache is shared between tests.
 */
export async function sandboxConfig(
  sandbox: Sandbox, overrides: Record<string, string> = {}, without: string[] = [],
): Promise<{ config: Config; file: string; env: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'wa-sandbox-config-'));
  const file = join(dir, 'wecom.env');
  await sandbox.writeConfig(file);
  if (without.length) {
    const kept = readFileSync(file, 'utf8').split('\n').filter((line) => !without.some((key) => line.startsWith(`${key}=`)));
    writeFileSync(file, kept.join('\n'), { mode: 0o600 });
  }
  const env = { DATA_DIR: join(dir, 'data'), ...overrides };
  const config = await loadConfig({ configFile: file, env, strict: false });
  return { config, file, env };
}

import { existsSync } from 'node:fs';
import { chmod, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { privateKeyConfigKey } from '../../config/keys.ts';
import { PROJECT_ROOT } from '../../util/project-root.ts';
import type { ArchiveKeyPair } from './keys.ts';

/**
 * What `--config-out` needs for the archive: the private keys as PEM files beside the config (owner
 * only, as any secret), one ARCHIVE_PRIVATE_KEY_<ver> line per publickey_ver, and the stand-in
 * Finance SDK the project builds (docs/standin-sdk.md) as FINANCE_SDK_PATH.
 */

/** Where scripts/build-native.mjs puts the stand-in library. */
export const STANDIN_SDK_PATH = join(PROJECT_ROOT, 'native', 'build', 'libWeWorkFinanceSdk_C.so');

export async function archiveConfigLines(configDir: string, corpId: string, keys: readonly ArchiveKeyPair[]): Promise<string[]> {
  const lines: string[] = [];
  for (const pair of keys) {
    // Named per corp: several sandboxes' configs in one folder (one deployment, several corps) must
    // not overwrite each other's keys.
    const file = resolve(configDir, `sandbox-archive-${corpId}-key-v${pair.version}.pem`);
    await writeFile(file, pair.privateKeyPem, { mode: 0o600 });
    // writeFile's mode applies only when it creates the file: an older copy keeps its mode otherwise.
    await chmod(file, 0o600);
    lines.push(`${privateKeyConfigKey(pair.version)}=${file}`);
  }
  lines.push(`FINANCE_SDK_PATH=${STANDIN_SDK_PATH}`);
  if (!existsSync(STANDIN_SDK_PATH)) process.stderr.write(`${NOT_BUILT}\n`);
  return lines;
}

/** `npm ci` builds the stand-in only when a C compiler is present (scripts/build-native.mjs). */
const NOT_BUILT = [
  `⚠ 替身 Finance SDK 尚未构建（${STANDIN_SDK_PATH}）：沙箱的会话存档需要它。安装 C 编译器（Debian/Ubuntu：sudo apt-get install gcc）后运行 node scripts/build-native.mjs。`,
  `⚠ The stand-in Finance SDK is not built (${STANDIN_SDK_PATH}); the sandbox's chat archive needs it. Install a C compiler (Debian/Ubuntu: sudo apt-get install gcc), then run node scripts/build-native.mjs.`,
].join('\n');

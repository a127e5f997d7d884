import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../util/errors.ts';
import { PROJECT_ROOT } from '../../util/project-root.ts';

/**
 * Where the stand-in Finance SDK (docs/standin-sdk.md) is built. For tests, the sandbox and the demo
 * only: product code loads whatever FINANCE_SDK_PATH names and never refers to the stand-in.
 */
const LIBRARY = join(PROJECT_ROOT, 'native', 'build', 'libWeWorkFinanceSdk_C.so');
const BUILD_SCRIPT = join(PROJECT_ROOT, 'scripts', 'build-native.mjs');

export function standinSdkPath(): string {
  return LIBRARY;
}

/**
 * Builds the stand-in if it is missing or out of date (the build script checks a content stamp, so
 * this is cheap when nothing changed) and returns its path. Throws a UserError when there is no C
 * compiler or the build fails.
 */
export function ensureStandinSdk(): string {
  const result = spawnSync(process.execPath, [BUILD_SCRIPT, '--quiet'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (result.status === 0 && existsSync(LIBRARY)) return LIBRARY;
  throw new UserError('archive_standin_build', {
    what: { zh: '无法构建替身 Finance SDK（沙箱会话存档需要它）。', en: 'Could not build the stand-in Finance SDK (the sandbox archive needs it).' },
    why: { zh: '{output}', en: '{output}' },
    fix: {
      zh: '安装 C 编译器（Debian/Ubuntu：sudo apt-get install gcc 或 build-essential），然后运行 node scripts/build-native.mjs。',
      en: 'Install a C compiler (Debian/Ubuntu: sudo apt-get install gcc, or build-essential), then run node scripts/build-native.mjs.',
    },
    vars: { output: (result.stderr || String(result.error ?? '')).trim().slice(-2000) },
  });
}

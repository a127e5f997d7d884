// Builds the stand-in Finance SDK (native/standin, a test and demo tool: docs/standin-sdk.md) into
// native/build/libWeWorkFinanceSdk_C.so. Runs as `postinstall`, so it must never break `npm ci`:
// without a C compiler it says what to install and exits 0. It rebuilds only when the sources, the
// flags or the compiler changed (a content stamp, not mtimes, which git checkouts reset).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'native', 'standin');
const outDir = join(root, 'native', 'build');
const output = join(outDir, 'libWeWorkFinanceSdk_C.so');
const stampFile = `${output}.stamp`;
// -fvisibility=hidden: only the 17 SDK functions (marked SDK_API) are exported, like Tencent's .so.
const FLAGS = ['-std=c11', '-D_GNU_SOURCE', '-O2', '-Wall', '-Wextra', '-fPIC', '-shared', '-fvisibility=hidden'];
const inPostinstall = process.env.npm_lifecycle_event === 'postinstall';
const quiet = process.argv.includes('--quiet');

function say(zh, en) {
  process.stderr.write(`wecom-archive: ${zh}\nwecom-archive: ${en}\n`);
}

function findCompiler() {
  const candidates = [process.env.CC, 'cc', 'gcc', 'clang'].filter(Boolean);
  for (const cc of candidates) {
    const probe = spawnSync(cc, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return { cc, version: probe.stdout.split('\n')[0] };
  }
  return undefined;
}

function main() {
  const files = readdirSync(sourceDir).filter((f) => /\.[ch]$/.test(f)).sort();
  const sources = files.filter((f) => f.endsWith('.c')).map((f) => join(sourceDir, f));
  const compiler = findCompiler();
  if (!compiler) {
    say(
      '未找到 C 编译器，跳过构建替身 Finance SDK（仅沙箱演示和测试需要；生产环境使用腾讯的 libWeWorkFinanceSdk_C.so）。' +
        '如需沙箱中的会话存档，请安装：Debian/Ubuntu 执行 `sudo apt-get install gcc`（或 build-essential），' +
        'CentOS/RHEL 执行 `sudo yum install gcc`，然后运行 `node scripts/build-native.mjs`。',
      'No C compiler found; skipping the stand-in Finance SDK (needed only for the sandbox demo and tests; ' +
        "production uses Tencent's libWeWorkFinanceSdk_C.so). To get the chat archive in the sandbox, install one: " +
        'Debian/Ubuntu `sudo apt-get install gcc` (or build-essential), CentOS/RHEL `sudo yum install gcc`, ' +
        'then run `node scripts/build-native.mjs`.',
    );
    return 0;
  }

  const hash = createHash('sha256').update(JSON.stringify({ flags: FLAGS, compiler }));
  for (const file of files) hash.update(file).update(readFileSync(join(sourceDir, file)));
  const stamp = hash.digest('hex');
  if (existsSync(output) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return 0;

  mkdirSync(outDir, { recursive: true });
  // Build beside the target and rename: parallel test workers may build at the same time, and a
  // process loading the library must never see a half-written file.
  const temp = `${output}.${process.pid}.tmp`;
  const result = spawnSync(compiler.cc, [...FLAGS, '-o', temp, ...sources], { encoding: 'utf8' });
  if (result.status !== 0) {
    rmSync(temp, { force: true });
    process.stderr.write(result.stderr || String(result.error ?? ''));
    say('构建替身 Finance SDK 失败（见上方编译器输出）。', 'Building the stand-in Finance SDK failed (compiler output above).');
    // A failed optional build must not fail `npm ci`; run by hand or by tests, it is an error.
    return inPostinstall ? 0 : 1;
  }
  renameSync(temp, output);
  writeFileSync(`${stampFile}.${process.pid}.tmp`, stamp);
  renameSync(`${stampFile}.${process.pid}.tmp`, stampFile);
  if (!quiet) say(`已构建替身 Finance SDK：${relative(root, output)}`, `Built the stand-in Finance SDK: ${relative(root, output)}`);
  return 0;
}

process.exitCode = main();

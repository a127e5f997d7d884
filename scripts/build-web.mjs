// Builds the web UI (web/, Preact + Vite) into web/dist, which `serve` sends at /. Runs as part of
// `postinstall`, so `npm ci` leaves a working UI. Without Vite (an install with --omit=dev) it says
// how to build it elsewhere and exits 0: the API still works, and the UI paths answer 503 saying so.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function say(zh, en) {
  process.stderr.write(`wecom-archive: ${zh}\nwecom-archive: ${en}\n`);
}

let vite;
try {
  vite = await import('vite');
} catch {
  say('未安装 Vite（可能用了 --omit=dev），跳过网页界面构建；在有开发依赖的环境中运行 npm run build:web 后复制 web/dist',
    'Vite is not installed (--omit=dev?): the web UI was not built; run npm run build:web where dev dependencies are installed and copy web/dist');
  process.exit(0);
}

const started = Date.now();
try {
  await vite.build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: process.argv.includes('--verbose') ? 'info' : 'warn' });
} catch (err) {
  say(`网页界面构建失败：${err?.message ?? err}`, `The web UI build failed: ${err?.message ?? err}`);
  process.exit(1);
}
if (!existsSync(join(root, 'web', 'dist', 'index.html'))) {
  say('网页界面构建后没有 web/dist/index.html', 'The web UI build left no web/dist/index.html');
  process.exit(1);
}
// The assets compressed once, at their best, beside themselves: serve sends foo.js.br or foo.js.gz to
// a browser that accepts it (@fastify/static's preCompressed), so no request pays for compression.
const assets = join(root, 'web', 'dist', 'assets');
for (const name of readdirSync(assets).filter((file) => /\.(js|css|svg|json)$/.test(file))) {
  const body = readFileSync(join(assets, name));
  if (body.length < 1024) continue;
  writeFileSync(join(assets, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  writeFileSync(join(assets, `${name}.gz`), gzipSync(body, { level: 9 }));
}
if (!process.argv.includes('--quiet')) {
  say(`已构建网页界面：web/dist（${Date.now() - started} 毫秒）`, `Built the web UI: web/dist (${Date.now() - started} ms)`);
}

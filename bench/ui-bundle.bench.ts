/**
 * `npm run bench:ui`: the web UI's first page, as a browser loads it. Builds web/ (unless
 * BENCH_NO_BUILD=1), then reads web/dist/index.html for the scripts it loads (entry and modulepreload)
 * and prints their gzipped size against DESIGN.md's target (under 150 KB), and the lazily loaded
 * chunks (the AMR decoder) beside them. A figure, not a test.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'web', 'dist');
const TARGET_KB = 150;

if (process.env.BENCH_NO_BUILD !== '1') execFileSync(process.execPath, [join(root, 'scripts', 'build-web.mjs'), '--quiet'], { stdio: 'inherit' });

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const firstPage = new Set([...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((m) => m[1]!));
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
const first = [...firstPage].reduce((sum, file) => sum + gz(file), 0);
process.stdout.write(`\nweb UI: first page JavaScript (gzip -9)\n`);
for (const file of firstPage) process.stdout.write(`  ${file.padEnd(40)} ${kb(gz(file)).padStart(10)}\n`);
process.stdout.write(`  ${'total'.padEnd(40)} ${kb(first).padStart(10)}   target < ${TARGET_KB} KB: ${first < TARGET_KB * 1024 ? 'met' : 'NOT met'}\n`);
process.stdout.write(`lazily loaded chunks (not on the first page)\n`);
for (const file of all.filter((f) => !firstPage.has(f))) process.stdout.write(`  ${file.padEnd(40)} ${kb(gz(file)).padStart(10)}\n`);

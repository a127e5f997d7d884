// Plain-JS bundles of the TypeScript entry points (esbuild), so that the CLI and the archive's SDK
// host run on bare Node: a command starts in about half the time it takes through tsx's
// loader. `npm ci` builds them (postinstall); each is rebuilt when any file it was built from is
// newer, so an edited checkout never runs stale code; without esbuild (an install with --omit=dev)
// the callers run the sources through tsx instead.
//
// Each build goes to a folder of its own, dist/<name>/<build>/, and dist/<name>/current.json names
// the newest: a process that started on an older build keeps loading its lazy chunks from there.
// Builds older than a day that are not current are removed.
// Plain JavaScript, because bin/wecom-archive reads it before any TypeScript can be loaded.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder: the nearest one above this module holding package.json. The same from
 * scripts/ and from inside a bundle (dist/cli/<build>/chunks/), where this code is bundled too.
 */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
const KEEP_OLD_BUILDS_MS = 24 * 3600_000;

/** What is bundled: the CLI (chunks loaded as its commands need them) and the SDK host (one file). */
const BUNDLES = {
  cli: { entry: 'src/cli/entry.ts', splitting: true },
  // koffi is CommonJS: give the ESM bundle a require() to load it with.
  'sdk-host': { entry: 'src/archive/sdk/host-main.ts', banner: "import { createRequire as __wa_createRequire } from 'node:module'; const require = __wa_createRequire(import.meta.url);" },
};

/** The entry file of the named bundle when it is there and none of its inputs changed since; else undefined. */
export function freshBundle(name) {
  const home = join(ROOT, 'dist', name);
  try {
    const { build, builtAt, inputs } = JSON.parse(readFileSync(join(home, 'current.json'), 'utf8'));
    const entry = join(home, build, 'entry.js');
    statSync(entry);
    return inputs.every((input) => statSync(join(ROOT, input)).mtimeMs <= builtAt) ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** The fresh bundle's entry, built first when needed; undefined when it cannot be built. */
export async function bundleEntry(name) {
  return freshBundle(name) ?? (await buildBundle(name));
}

/** Builds the named bundle into a new folder and makes it current; its entry, or undefined on failure. */
export async function buildBundle(name) {
  const spec = BUNDLES[name];
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const home = join(ROOT, 'dist', name);
  const builtAt = Date.now();
  const build = `${builtAt}-${process.pid}`;
  const outdir = join(home, build);
  try {
    mkdirSync(home, { recursive: true });
    const result = await esbuild.build({
      entryPoints: { entry: join(ROOT, spec.entry) }, outdir, bundle: true, platform: 'node', format: 'esm', target: 'node20',
      packages: 'external', metafile: true, logLevel: 'silent', sourcemap: 'linked',
      ...(spec.splitting ? { splitting: true, chunkNames: 'chunks/[name]-[hash]' } : {}),
      ...(spec.banner ? { banner: { js: spec.banner } } : {}),
    });
    const inputs = Object.keys(result.metafile.inputs).map((input) => relative(ROOT, resolve(input)));
    const temp = join(home, `current.json.${process.pid}.tmp`);
    writeFileSync(temp, JSON.stringify({ build, builtAt, inputs }));
    renameSync(temp, join(home, 'current.json'));
    removeOldBuilds(home, build);
    return join(outdir, 'entry.js');
  } catch {
    rmSync(outdir, { recursive: true, force: true });
    return undefined;
  }
}

function findRoot(start) {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

function removeOldBuilds(home, current) {
  for (const entry of readdirSync(home, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === current) continue;
    const dir = join(home, entry.name);
    if (Date.now() - statSync(dir).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(dir, { recursive: true, force: true });
  }
}

// `node scripts/bundle.mjs`: builds every bundle (postinstall).
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  for (const name of Object.keys(BUNDLES)) {
    if (!(await buildBundle(name))) {
      process.stderr.write(`wecom-archive: 未能预先打包 ${name}，命令将直接运行 TypeScript 源码（较慢）\nwecom-archive: could not bundle ${name}; commands will run the TypeScript sources (slower)\n`);
    }
  }
}

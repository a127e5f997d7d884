import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * What an SDK host process runs. Through tsx, each host carries a TypeScript loader thread (~40 MB
 * of its ~80 MB); a plain-JS bundle of host-main.ts (koffi left external) runs on bare Node instead.
 * The bundle is built by `npm ci` and rebuilt here when any of its sources is newer, so an edited
 * checkout never runs stale code; without esbuild the host falls back to tsx.
 */
export interface HostEntry {
  file: string;
  execArgv: string[];
}

const SOURCE = fileURLToPath(new URL('./host-main.ts', import.meta.url));
const ROOT = resolve(dirname(SOURCE), '../../..');
const BUNDLE = join(ROOT, 'dist', 'sdk-host.mjs');
const META = `${BUNDLE}.inputs.json`;
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let cached: Promise<HostEntry> | undefined;

export function hostEntry(): Promise<HostEntry> {
  cached ??= resolveEntry();
  return cached;
}

async function resolveEntry(): Promise<HostEntry> {
  if (fresh() || (await buildHostBundle())) return { file: BUNDLE, execArgv: [] };
  return { file: SOURCE, execArgv: ['--import', TSX_LOADER] };
}

/** The bundle exists and none of the files it was built from changed since. */
function fresh(): boolean {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(META, 'utf8')) as { builtAt: number; inputs: string[] };
    statSync(BUNDLE);
    return inputs.every((input) => statSync(join(ROOT, input)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

/** Bundles host-main.ts; written beside the target and renamed, as several processes may race. */
export async function buildHostBundle(): Promise<boolean> {
  try {
    const esbuild = await import('esbuild');
    const builtAt = Date.now();
    const temp = `${BUNDLE}.${process.pid}.tmp`;
    mkdirSync(dirname(BUNDLE), { recursive: true });
    const result = await esbuild.build({
      entryPoints: [SOURCE], outfile: temp, bundle: true, platform: 'node', format: 'esm', target: 'node20',
      external: ['koffi'], metafile: true, logLevel: 'silent',
      // koffi is CommonJS: give the ESM bundle a require() to load it with.
      banner: { js: "import { createRequire as __wa_createRequire } from 'node:module'; const require = __wa_createRequire(import.meta.url);" },
    });
    const inputs = Object.keys(result.metafile.inputs).map((input) => relative(ROOT, resolve(input)));
    writeFileSync(`${META}.${process.pid}.tmp`, JSON.stringify({ builtAt, inputs }));
    renameSync(temp, BUNDLE);
    renameSync(`${META}.${process.pid}.tmp`, META);
    return true;
  } catch {
    return false;
  }
}

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleEntry } from '../../../scripts/bundle.mjs';
import { PROJECT_ROOT } from '../../util/project-root.ts';

/**
 * What an SDK host process runs. Through tsx, each host carries a TypeScript loader thread (~40 MB
 * of its ~80 MB); a plain-JS bundle of host-main.ts (koffi left external) runs on bare Node instead.
 * The bundle is built by `npm ci` and rebuilt when any of its sources is newer (scripts/bundle.mjs),
 * so an edited checkout never runs stale code; without esbuild the host falls back to tsx.
 */
export interface HostEntry {
  file: string;
  execArgv: string[];
}

const SOURCE = join(PROJECT_ROOT, 'src', 'archive', 'sdk', 'host-main.ts');
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let cached: Promise<HostEntry> | undefined;

export function hostEntry(): Promise<HostEntry> {
  cached ??= resolveEntry();
  return cached;
}

async function resolveEntry(): Promise<HostEntry> {
  const bundle = await bundleEntry('sdk-host');
  return bundle ? { file: bundle, execArgv: [] } : { file: SOURCE, execArgv: ['--import', TSX_LOADER] };
}

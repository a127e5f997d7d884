/** scripts/bundle.mjs: the plain-JS bundles of the CLI and the SDK host. */
/** The project's folder (where package.json is), from the sources and from a bundle alike. */
export const ROOT: string;
export type BundleName = 'cli' | 'sdk-host';
export function freshBundle(name: BundleName): string | undefined;
export function bundleEntry(name: BundleName): Promise<string | undefined>;
export function buildBundle(name: BundleName): Promise<string | undefined>;

/**
 * The CLI's first module, in the sources (through tsx) and as the bundle's entry (scripts/bundle.mjs):
 * the archive ingest's garbage-collector settings (src/cli/heap.ts) must be set before any other
 * CLI module loads.
 */
const { tuneHeapFor } = await import('./heap.ts');
tuneHeapFor(process.argv.slice(2));
await import('./main.ts');

export {};

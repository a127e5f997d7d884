import { setFlagsFromString } from 'node:v8';

/**
 * Garbage-collector settings for the commands that ingest the archive (`archive pull`, `archive
 * watch`), which run for minutes to days. Each page's envelopes and records live across several
 * young-generation collections while the next page decrypts, so with V8's defaults the young
 * generation grows to 2 × 16 MB and the old one to 2-4× its live size: ~270 MB for a CLI whose live
 * heap is ~25 MB. With these two settings it stays ~170 MB, for ~10 µs more CPU per message (both
 * measured with `npm run bench:archive`):
 * - the young generation keeps its initial 2 × 1 MB (a growth factor of 1);
 * - the old generation grows by at most 50% between full collections (V8 allows up to 300%).
 * Neither is a cap: the heap still grows as far as the live data needs, so no command can run out
 * of memory because of them. Every other command keeps V8's defaults.
 *
 * bin/wecom-archive applies them before the CLI loads anything: loading grows the young generation,
 * and V8 clamps the growth factor to at least 2 whenever an isolate is created (tsx's loader thread
 * is one), so they are set after that thread has started and before the first CLI module loads.
 */
export const INGEST_V8_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=50'];

const INGEST_COMMANDS = new Set(['pull', 'watch']);
/** Global options followed by a value (program.ts): their value is not a command name. */
const VALUE_OPTIONS = new Set(['--config', '--lang']);

/** `archive pull` or `archive watch`, whatever global options come before or between. */
export function isIngestCommand(args: readonly string[]): boolean {
  const words = args.filter((arg, i) => !arg.startsWith('-') && !VALUE_OPTIONS.has(args[i - 1] ?? ''));
  return words[0] === 'archive' && INGEST_COMMANDS.has(words[1] ?? '');
}

/** Sets INGEST_V8_FLAGS for this process when `args` (argv after the script) name an ingest command. */
export function tuneHeapFor(args: readonly string[]): void {
  if (isIngestCommand(args)) for (const flag of INGEST_V8_FLAGS) setFlagsFromString(flag);
}

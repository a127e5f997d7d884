import type { Runtime } from './runtime.ts';

/**
 * "A callback was just written to the inbox", within one process: `serve` on SQLite applies it at
 * once instead of at the next poll. Across processes (`serve` and `worker` on PostgreSQL) the
 * workers' poll finds it; nothing depends on this signal arriving.
 */
const listeners = new WeakMap<Runtime, Set<() => void>>();

export function onInboxWritten(runtime: Runtime, listener: () => void): () => void {
  let set = listeners.get(runtime);
  if (!set) listeners.set(runtime, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export function inboxWritten(runtime: Runtime): void {
  for (const listener of listeners.get(runtime) ?? []) listener();
}

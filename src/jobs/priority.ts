import { getPriority, setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority by `increment` (a nice increment; the scheduler's lowest is
 * 19) and returns the niceness it now has. Lowering needs no privilege. A `worker` does this so that,
 * on a machine it shares with `serve`, the answers WeCom waits for (5 s, then it retries) get the
 * CPU first; the worker's own work only waits a little longer. On a machine of its own it changes
 * nothing.
 */
export function lowerPriority(increment: number): number {
  const target = Math.min(19, getPriority() + increment);
  if (target > getPriority()) setPriority(target);
  return getPriority();
}

/**
 * Virtual time for tests that never waits. `sleep(ms)` records the delay and parks the caller; once
 * everything runnable has run (a setImmediate turn), time jumps to the earliest wake-up and those
 * sleepers resume. Concurrent sleepers therefore share one timeline, as with real timers, and retry
 * backoffs, 45009 windows, rate-limit waits and token expiry are asserted exactly, in microseconds.
 */
export interface FakeClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  advance(ms: number): void;
  /** Every delay asked for, in order. */
  sleeps: number[];
}

export function fakeClock(start = Date.UTC(2025, 0, 1)): FakeClock {
  let current = start;
  const sleeps: number[] = [];
  const parked: Array<{ wake: number; resolve: () => void }> = [];
  let tickScheduled = false;

  const tick = () => {
    tickScheduled = false;
    if (parked.length === 0) return;
    current = Math.max(current, Math.min(...parked.map((p) => p.wake)));
    for (const sleeper of parked.filter((p) => p.wake <= current)) {
      parked.splice(parked.indexOf(sleeper), 1);
      sleeper.resolve();
    }
    schedule();
  };
  const schedule = () => {
    if (tickScheduled || parked.length === 0) return;
    tickScheduled = true;
    setImmediate(tick);
  };

  return {
    now: () => current,
    sleeps,
    advance: (ms) => {
      current += ms;
    },
    sleep: (ms) => {
      sleeps.push(ms);
      return new Promise<void>((resolve) => {
        parked.push({ wake: current + Math.max(0, ms), resolve });
        schedule();
      });
    },
  };
}

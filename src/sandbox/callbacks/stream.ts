import { STREAM, rngFor } from '../random.ts';
import { STREAM_WEIGHTS, type SimulationType } from './simulations.ts';

/**
 * `--events-per-minute`: a steady stream of simulated events for demos and soak tests. The events
 * due follow the sandbox clock (rate × time since the rate was set), so a frozen clock only moves
 * the stream when it is advanced, and the types come from the seed (weighted: removals are rarer):
 * the same seed, rate and clock give the same sequence. A timer calls `pump` every second; tests call it themselves.
 */

/** At most this many events per pump, so a big jump of the clock cannot stall the server. */
const MAX_PER_PUMP = 1000;
/** A type that cannot run now (nothing left to pick) gives way to another, this many times. */
const TRIES = 5;

export class EventStream<T> {
  rate = 0;
  private startMs = 0;
  private emitted = 0;
  private serial = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly seed: number,
    private readonly nowMs: () => number,
    private readonly run: (type: SimulationType) => T | undefined,
    private readonly intervalMs: number | false,
  ) {}

  setRate(rate: number): void {
    this.rate = rate;
    this.startMs = this.nowMs();
    this.emitted = 0;
    this.stop();
    if (rate > 0 && this.intervalMs !== false) {
      this.timer = setInterval(() => this.pump(), this.intervalMs);
      this.timer.unref();
    }
  }

  pump(): T[] {
    if (this.rate <= 0) return [];
    const due = Math.floor(((this.nowMs() - this.startMs) * this.rate) / 60_000) - this.emitted;
    const out: T[] = [];
    for (let k = 0; k < Math.min(due, MAX_PER_PUMP); k++) {
      this.emitted++;
      const rng = rngFor(this.seed, STREAM.simulation, 0x5742, ++this.serial);
      for (let tries = 0; tries < TRIES; tries++) {
        const result = this.run(rng.weighted(STREAM_WEIGHTS));
        if (result !== undefined) {
          out.push(result);
          break;
        }
      }
    }
    // Whatever is beyond the cap is skipped rather than owed.
    if (due > MAX_PER_PUMP) this.emitted += due - MAX_PER_PUMP;
    return out;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

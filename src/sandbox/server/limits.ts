import { endpoints, type EndpointName } from '../../wecom/endpoints.ts';
import type { SandboxClock } from '../clock.ts';
import type { LimitSettings } from '../options.ts';

/**
 * WeCom's frequency and concurrency limits (wecom-api.md §7), per corp and endpoint. Windows are
 * fixed minutes and hours of the sandbox clock: once a window is exhausted every call answers 45009
 * until the window ends, which is how WeCom's ban "for the window that was exceeded" behaves.
 */
interface Window {
  minute: number;
  minuteCount: number;
  hour: number;
  hourCount: number;
}

export class Limiter {
  private readonly windows = new Map<string, Window>();
  private readonly inFlight = new Map<string, number>();
  private readonly watchers = new Set<() => void>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly limits: () => LimitSettings,
  ) {}

  private limitsFor(name: EndpointName) {
    const settings = this.limits();
    const own = settings.perEndpoint[name] ?? {};
    const spec = endpoints[name] as { perMinute?: number; concurrencyLimited?: boolean };
    // An endpoint's own published limit (get_robot_info: 600/min) applies when it is stricter.
    const perMinute = Math.min(own.perMinute ?? settings.perMinute, spec.perMinute ?? Infinity);
    const capped = spec.concurrencyLimited || own.concurrency !== undefined;
    return {
      perMinute,
      perHour: own.perHour ?? settings.perHour,
      concurrency: capped ? own.concurrency ?? settings.concurrency : Infinity,
    };
  }

  /** Counts a call; false when the minute or hour window is already used up. */
  take(name: EndpointName): boolean {
    const limits = this.limitsFor(name);
    const now = this.clock.nowMs();
    const minute = Math.floor(now / 60_000);
    const hour = Math.floor(now / 3_600_000);
    const w = this.windows.get(name) ?? { minute, minuteCount: 0, hour, hourCount: 0 };
    if (w.minute !== minute) Object.assign(w, { minute, minuteCount: 0 });
    if (w.hour !== hour) Object.assign(w, { hour, hourCount: 0 });
    this.windows.set(name, w);
    if (w.minuteCount >= limits.perMinute || w.hourCount >= limits.perHour) return false;
    w.minuteCount++;
    w.hourCount++;
    return true;
  }

  /** Takes a concurrency slot; false (45033) when the endpoint's cap is already in flight. */
  acquire(name: EndpointName): boolean {
    const current = this.inFlight.get(name) ?? 0;
    if (current >= this.limitsFor(name).concurrency) return false;
    this.inFlight.set(name, current + 1);
    this.notify();
    return true;
  }

  release(name: EndpointName): void {
    this.inFlight.set(name, Math.max(0, (this.inFlight.get(name) ?? 0) - 1));
    this.notify();
  }

  inFlightCount(name: EndpointName): number {
    return this.inFlight.get(name) ?? 0;
  }

  /** Resolves once `count` calls of an endpoint are in flight (event-driven: tests need no sleeps). */
  waitForInFlight(name: EndpointName, count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.inFlightCount(name) < count) return;
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
      check();
    });
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }
}

import { findEndpoint, type EndpointName } from '../../wecom/endpoints.ts';
import { Rng, STREAM, hash32 } from '../random.ts';
import { NO_FAULTS, faultsSchema, parseSettings, type FaultSettings, type ScriptedFault } from '../options.ts';

/**
 * Injected failures: HTTP 5xx, dropped connections, slow answers and errcode -1 ("system busy"), as
 * fractions of calls, plus an exact script of faults for the next matching calls. The random ones
 * come from a generator seeded by (seed, settings generation) and drawn once per eligible call, so
 * the same calls in the same order meet the same faults on every run.
 */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'http5xx'; status: number }
  | { kind: 'drop' }
  | { kind: 'slow'; ms: number }
  | { kind: 'busy' }
  | { kind: 'errcode'; errcode: number };

export class FaultPlanner {
  private settings: FaultSettings = NO_FAULTS;
  private rng: Rng;
  private generation = 0;
  readonly injected: Record<string, number> = {};

  constructor(private readonly seed: number, initial?: Partial<FaultSettings>) {
    this.rng = new Rng(hash32(seed, STREAM.faults, 0));
    if (initial) this.set(initial);
  }

  current(): FaultSettings {
    return structuredClone(this.settings);
  }

  /** Replaces the settings (fields left out take the no-fault defaults) and restarts the sequence. */
  set(settings: Partial<FaultSettings>): void {
    this.settings = parseSettings(faultsSchema, { ...NO_FAULTS, ...settings }, 'faults');
    this.generation++;
    this.rng = new Rng(hash32(this.seed, STREAM.faults, this.generation));
  }

  private applies(target: string | undefined, name: EndpointName): boolean {
    return target === undefined || findEndpoint(target) === name;
  }

  decide(name: EndpointName): FaultDecision {
    const scripted = this.settings.next.findIndex((fault) => this.applies(fault.endpoint, name));
    if (scripted >= 0) {
      const [fault] = this.settings.next.splice(scripted, 1);
      return this.record(fromScript(fault, this.settings.slowMs));
    }
    const { http5xxRate, dropRate, slowRate, busyRate, endpoints } = this.settings;
    if (http5xxRate + dropRate + slowRate + busyRate === 0) return { kind: 'none' };
    if (endpoints.length > 0 && !endpoints.some((target) => this.applies(target, name))) return { kind: 'none' };
    let u = this.rng.next();
    const pick = (rate: number) => (u < rate ? true : ((u -= rate), false));
    if (pick(dropRate)) return this.record({ kind: 'drop' });
    if (pick(http5xxRate)) return this.record({ kind: 'http5xx', status: this.rng.pick([500, 502, 503, 504]) });
    if (pick(busyRate)) return this.record({ kind: 'busy' });
    if (pick(slowRate)) return this.record({ kind: 'slow', ms: this.settings.slowMs });
    return { kind: 'none' };
  }

  private record(decision: FaultDecision): FaultDecision {
    this.injected[decision.kind] = (this.injected[decision.kind] ?? 0) + 1;
    return decision;
  }
}

function fromScript(fault: ScriptedFault, slowMs: number): FaultDecision {
  switch (fault.kind) {
    case 'http5xx': return { kind: 'http5xx', status: fault.status ?? 502 };
    case 'drop': return { kind: 'drop' };
    case 'slow': return { kind: 'slow', ms: fault.ms ?? slowMs };
    case 'busy': return { kind: 'busy' };
    case 'errcode': return { kind: 'errcode', errcode: fault.errcode ?? -1 };
  }
}

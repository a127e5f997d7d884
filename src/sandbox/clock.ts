/**
 * The sandbox's clock. Token expiry, rate-limit windows and write timestamps follow it. Given a start
 * time it stands still (tests advance it explicitly, so expiry and window resets need no waiting);
 * otherwise it follows real time. Either way `advance` moves it forward.
 */
export interface SandboxClock {
  now(): Date;
  nowMs(): number;
  /** Unix seconds, as WeCom timestamps are. */
  nowSeconds(): number;
  advance(ms: number): void;
  set(at: Date): void;
  readonly frozen: boolean;
}

export function createClock(fixedAt?: Date): SandboxClock {
  let offset = 0;
  let fixed = fixedAt ? fixedAt.getTime() : undefined;
  const nowMs = () => (fixed !== undefined ? fixed : Date.now()) + offset;
  return {
    now: () => new Date(nowMs()),
    nowMs,
    nowSeconds: () => Math.floor(nowMs() / 1000),
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError('the sandbox clock only moves forward');
      offset += ms;
    },
    set(at) {
      if (fixed !== undefined) {
        fixed = at.getTime();
        offset = 0;
      } else offset = at.getTime() - Date.now();
    },
    get frozen() {
      return fixed !== undefined;
    },
  };
}

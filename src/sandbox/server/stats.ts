import type { CredentialKind } from '../../wecom/endpoints.ts';

/**
 * What the sandbox saw, for tests of other components: calls and errcodes per endpoint, tokens
 * issued per secret (the "one gettoken per expiry window" target is measured here), faults injected.
 */
export interface SandboxStats {
  calls: Record<string, number>;
  errcodes: Record<string, Record<string, number>>;
  tokensIssued: Partial<Record<CredentialKind, number>>;
  faults: Record<string, number>;
}

export class StatsRecorder {
  private readonly data: SandboxStats = { calls: {}, errcodes: {}, tokensIssued: {}, faults: {} };

  call(endpoint: string): void {
    this.data.calls[endpoint] = (this.data.calls[endpoint] ?? 0) + 1;
  }

  answer(endpoint: string, errcode: number): void {
    const codes = (this.data.errcodes[endpoint] ??= {});
    codes[errcode] = (codes[errcode] ?? 0) + 1;
  }

  tokenIssued(kind: CredentialKind): void {
    this.data.tokensIssued[kind] = (this.data.tokensIssued[kind] ?? 0) + 1;
  }

  snapshot(faults: Record<string, number>): SandboxStats {
    return structuredClone({ ...this.data, faults });
  }
}

/** Holds answers while paused: lets a test put N calls in flight at once without timing. */
export class Gate {
  private waiters: Array<() => void> = [];
  private paused = false;

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const release of this.waiters.splice(0)) release();
  }

  wait(): Promise<void> | undefined {
    return this.paused ? new Promise((resolve) => this.waiters.push(resolve)) : undefined;
  }
}

/**
 * Faults the archive can be told to produce, switched at runtime (by tests, or through
 * POST /__sandbox/archive/faults): a message whose envelope makes the stand-in library crash, hang
 * or return a code while decrypting it, and calls of the chatdata/media routes answered with the
 * X-Standin-Fault header (docs/standin-sdk.md) — the failures the real SDK shows in the wild
 * (archive-sdk.md §7) on demand.
 */

export type MessageFault = { kind: 'crash' } | { kind: 'hang' } | { kind: 'rc'; code: number };
export type ArchiveRoute = 'chatdata' | 'media';

/** `crash`, `hang` or `rc=NNNNN`; undefined when malformed. */
export function parseFault(text: unknown): MessageFault | undefined {
  if (text === 'crash' || text === 'hang') return { kind: text };
  const match = typeof text === 'string' ? /^rc=(\d{1,5})$/.exec(text) : null;
  return match ? { kind: 'rc', code: Number(match[1]) } : undefined;
}

export function describeFault(fault: MessageFault): string {
  return fault.kind === 'rc' ? `rc=${fault.code}` : fault.kind;
}

export interface FaultState {
  messages: Array<{ seq?: string; msgid?: string; fault: string }>;
  routes: Array<{ route: ArchiveRoute; fault: string; remaining: number }>;
}

export class ArchiveFaults {
  private readonly bySeq = new Map<string, MessageFault>();
  private readonly byMsgid = new Map<string, MessageFault>();
  private readonly routes = new Map<ArchiveRoute, { fault: MessageFault; remaining: number }>();

  /** While on, the message's envelope carries the fault's marker (WWSC, WWSH, WWSE+code). */
  onMessage(target: { seq?: number | bigint | string; msgid?: string }, fault: MessageFault | 'off'): void {
    if (target.seq !== undefined) {
      const key = BigInt(target.seq).toString();
      if (fault === 'off') this.bySeq.delete(key);
      else this.bySeq.set(key, fault);
    }
    if (target.msgid !== undefined) {
      if (fault === 'off') this.byMsgid.delete(target.msgid);
      else this.byMsgid.set(target.msgid, fault);
    }
  }

  /** The next `times` calls of the route answer with X-Standin-Fault. */
  onRoute(route: ArchiveRoute, fault: MessageFault, times = 1): void {
    if (times <= 0) this.routes.delete(route);
    else this.routes.set(route, { fault, remaining: times });
  }

  clear(): void {
    this.bySeq.clear();
    this.byMsgid.clear();
    this.routes.clear();
  }

  messageFault(seq: number, msgid: string): MessageFault | undefined {
    if (this.bySeq.size === 0 && this.byMsgid.size === 0) return undefined;
    return this.bySeq.get(String(seq)) ?? this.byMsgid.get(msgid);
  }

  /** The header value for this call of the route, if a fault is pending (counts the call). */
  takeRouteFault(route: ArchiveRoute): string | undefined {
    const pending = this.routes.get(route);
    if (!pending) return undefined;
    pending.remaining--;
    if (pending.remaining <= 0) this.routes.delete(route);
    return describeFault(pending.fault);
  }

  state(): FaultState {
    return {
      messages: [
        ...[...this.bySeq].map(([seq, fault]) => ({ seq, fault: describeFault(fault) })),
        ...[...this.byMsgid].map(([msgid, fault]) => ({ msgid, fault: describeFault(fault) })),
      ],
      routes: [...this.routes].map(([route, { fault, remaining }]) => ({ route, fault: describeFault(fault), remaining })),
    };
  }
}

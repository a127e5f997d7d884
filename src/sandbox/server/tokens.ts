import { randomBytes } from 'node:crypto';
import type { CredentialKind } from '../../wecom/endpoints.ts';
import { ERRCODE } from '../../wecom/errcodes.ts';
import type { SandboxClock } from '../clock.ts';

/**
 * access_tokens issued by the sandbox. Each gettoken issues a new token and earlier ones stay valid
 * until they expire (WeCom does not promise either way; clients must not rely on it). Expired tokens
 * are remembered for a while so they answer 42001 rather than 40014, as WeCom does.
 */
interface IssuedToken {
  kind: CredentialKind;
  expiresAtMs: number;
  revoked: boolean;
}

/** Long enough past expiry that a client still holding the token sees 42001. */
const REMEMBER_EXPIRED_MS = 24 * 3600_000;

export type TokenCheck = { ok: true; kind: CredentialKind } | { ok: false; errcode: typeof ERRCODE.INVALID_TOKEN | typeof ERRCODE.TOKEN_EXPIRED };

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  private issuedCount = 0;

  constructor(
    private readonly clock: SandboxClock,
    public ttlSeconds: number,
  ) {}

  issue(kind: CredentialKind): { token: string; expiresIn: number } {
    if (++this.issuedCount % 1000 === 0) this.prune();
    // Real tokens are opaque, URL-safe and long (up to 512 bytes reserved); 128 characters here.
    const token = randomBytes(96).toString('base64url');
    this.tokens.set(token, { kind, expiresAtMs: this.clock.nowMs() + this.ttlSeconds * 1000, revoked: false });
    return { token, expiresIn: this.ttlSeconds };
  }

  check(token: string): TokenCheck {
    const issued = this.tokens.get(token);
    if (!issued || issued.revoked) return { ok: false, errcode: ERRCODE.INVALID_TOKEN };
    if (this.clock.nowMs() >= issued.expiresAtMs) return { ok: false, errcode: ERRCODE.TOKEN_EXPIRED };
    return { ok: true, kind: issued.kind };
  }

  kindOf(token: string): CredentialKind | undefined {
    const result = this.check(token);
    return result.ok ? result.kind : undefined;
  }

  /** Revokes matching live tokens (all when no filter); returns how many. They then answer 40014. */
  revoke(filter: { kind?: CredentialKind; token?: string } = {}): number {
    let count = 0;
    for (const [token, issued] of this.tokens) {
      if (issued.revoked || (filter.kind && issued.kind !== filter.kind) || (filter.token && token !== filter.token)) continue;
      issued.revoked = true;
      count++;
    }
    return count;
  }

  private prune(): void {
    const horizon = this.clock.nowMs() - REMEMBER_EXPIRED_MS;
    for (const [token, issued] of this.tokens) if (issued.expiresAtMs < horizon) this.tokens.delete(token);
  }
}

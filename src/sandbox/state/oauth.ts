import { randomBytes } from 'node:crypto';
import type { SandboxClock } from '../clock.ts';

/**
 * OAuth codes and user_tickets (wecom-api.md §2.1 item 3). In WeCom a member's browser brings the
 * code; in the sandbox a test asks for one (`issueOAuthCode`) as if the member had just logged in.
 * Codes are single-use and live 5 minutes; tickets live 30 minutes.
 */
const CODE_TTL_MS = 5 * 60_000;
export const TICKET_TTL_SECONDS = 1800;

export class OAuthBook {
  private readonly codes = new Map<string, { userid: string; expiresAt: number }>();
  private readonly tickets = new Map<string, { userid: string; expiresAt: number }>();

  constructor(private readonly clock: SandboxClock) {}

  issueCode(userid: string): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { userid, expiresAt: this.clock.nowMs() + CODE_TTL_MS });
    return code;
  }

  /** The member behind a code, once; undefined for unknown, used or expired codes. */
  redeemCode(code: string): { userid: string; ticket: string } | undefined {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || entry.expiresAt <= this.clock.nowMs()) return undefined;
    const ticket = randomBytes(48).toString('base64url');
    this.tickets.set(ticket, { userid: entry.userid, expiresAt: this.clock.nowMs() + TICKET_TTL_SECONDS * 1000 });
    return { userid: entry.userid, ticket };
  }

  userOfTicket(ticket: string): string | undefined {
    const entry = this.tickets.get(ticket);
    return entry && entry.expiresAt > this.clock.nowMs() ? entry.userid : undefined;
  }
}

import type { Cast } from './cast.ts';
import { ARCHIVE_STREAM } from './cast.ts';
import { consentEventIndex, lastConsentEventAtOrBefore } from './schedule.ts';
import type { Timeline } from './timeline.ts';
import { hash32 } from '../random.ts';

/**
 * Customers' consent to archiving, consistent with the archive: the status check_single_agree
 * reports is the last agree/disagree message the archive holds for that customer and member, and
 * before any such message the company's generated consent. Consent event k concerns reachable
 * customer perm(k mod R) (an affine permutation), so "the last event for customer c before message i"
 * is arithmetic, not a scan.
 */

export interface ConsentStatus {
  agree: boolean;
  /** UTC ms of the change. */
  changedAt: number;
  /** The status comes from an agree/disagree message in the archive. */
  fromArchive: boolean;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Multiplicative inverse of a modulo m (extended Euclid); a and m coprime. */
function inverse(a: number, m: number): number {
  let [oldR, r] = [a, m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

export class ConsentBook {
  private readonly size: number;
  private readonly multiplier: number;
  private readonly inverseMultiplier: number;
  private readonly offset: number;

  constructor(private readonly cast: Cast, private readonly timeline: Timeline, seed: number) {
    this.size = cast.reachable.length;
    let multiplier = Math.max(1, Math.floor(this.size * 0.618));
    while (this.size > 1 && gcd(multiplier, this.size) !== 1) multiplier++;
    this.multiplier = multiplier;
    this.inverseMultiplier = this.size > 1 ? inverse(multiplier, this.size) : 1;
    this.offset = this.size > 0 ? hash32(seed, ARCHIVE_STREAM.permutation) % this.size : 0;
  }

  /** The (member, customer) pair consent event k is about; undefined when no customer is reachable. */
  eventPair(event: number): { employee: number; customer: number } | undefined {
    if (this.size === 0) return undefined;
    const position = (this.multiplier * (event % this.size) + this.offset) % this.size;
    const customer = this.cast.reachable[position];
    return { employee: this.cast.consentFollower(customer)!, customer };
  }

  /** Consent given outside the archive's own agree messages (a simulated msg_audit_approved). */
  private readonly approvals = new Map<string, number>();

  approve(employee: number, customer: number, atMs: number): void {
    this.approvals.set(`${employee}:${customer}`, atMs);
  }

  /** The consent between a member and a customer as of message index `atIndex`. */
  status(employee: number, customer: number, atIndex: number): ConsentStatus {
    const found = this.archived(employee, customer, atIndex);
    const approvedAt = this.approvals.get(`${employee}:${customer}`);
    return approvedAt !== undefined && approvedAt >= found.changedAt ? { agree: true, changedAt: approvedAt, fromArchive: false } : found;
  }

  private archived(employee: number, customer: number, atIndex: number): ConsentStatus {
    const position = this.cast.reachableIndexOf(customer);
    if (position >= 0 && this.cast.consentFollower(customer) === employee) {
      const first = (this.inverseMultiplier * ((position - this.offset + this.size) % this.size)) % this.size;
      const last = lastConsentEventAtOrBefore(atIndex);
      if (last >= first) {
        const event = first + Math.floor((last - first) / this.size) * this.size;
        return { agree: event % 2 === 0, changedAt: this.timeline.msgtime(consentEventIndex(event)), fromArchive: true };
      }
    }
    const base = this.cast.company.consent(employee, customer);
    // The company's consent predates the archive: a change time inside or after it would contradict it.
    const changedAt = Math.min(base.changedAt * 1000, this.timeline.start - 86_400_000);
    return { agree: base.agree, changedAt, fromArchive: false };
  }
}

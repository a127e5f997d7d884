import { MSGTYPES, type MsgTypeName } from '../../archive/msgtypes.ts';

/**
 * The archive's rhythm, as index arithmetic. Messages come in blocks of BLOCK consecutive messages
 * of one conversation (a short exchange). Every SHOWCASE_PERIOD messages one slot walks through every
 * type of msgtypes.ts in turn, so any stretch of SHOWCASE_CYCLE messages holds every type — the
 * 5-day window of even a small archive therefore shows all of them. Consent events (agree/disagree)
 * happen only in their showcase slots, which lets the consent a customer gave at any moment be
 * computed without scanning the archive.
 */

export const BLOCK = 6;
export const SHOWCASE_PERIOD = 8 * BLOCK;
/** Position of the showcase slot inside its block: odd, so a showcase revoke recalls the even slot before it. */
export const SHOWCASE_OFFSET = 3;
export const SHOWCASE_TYPES: readonly MsgTypeName[] = MSGTYPES.map((spec) => spec.name);
export const SHOWCASE_CYCLE = SHOWCASE_TYPES.length * SHOWCASE_PERIOD;

const AGREE_POSITION = SHOWCASE_TYPES.indexOf('agree');
const DISAGREE_POSITION = SHOWCASE_TYPES.indexOf('disagree');
// Event numbers follow time only if agree comes before disagree in the cycle.
if (!(AGREE_POSITION >= 0 && AGREE_POSITION < DISAGREE_POSITION)) throw new Error('msgtypes.ts: agree must precede disagree');

export function showcaseType(index: number): MsgTypeName | undefined {
  if (index % SHOWCASE_PERIOD !== SHOWCASE_OFFSET) return undefined;
  return SHOWCASE_TYPES[Math.floor(index / SHOWCASE_PERIOD) % SHOWCASE_TYPES.length];
}

/** Consent events are numbered 0, 1, 2, … in time order: even ones are agree, odd ones disagree. */
export function consentEventIndex(event: number): number {
  const cycle = Math.floor(event / 2);
  const position = event % 2 === 0 ? AGREE_POSITION : DISAGREE_POSITION;
  return (cycle * SHOWCASE_TYPES.length + position) * SHOWCASE_PERIOD + SHOWCASE_OFFSET;
}

/** The consent event sent at `index`, if that slot is one. */
export function consentEventAt(index: number): number | undefined {
  const type = showcaseType(index);
  if (type !== 'agree' && type !== 'disagree') return undefined;
  const cycle = Math.floor(Math.floor(index / SHOWCASE_PERIOD) / SHOWCASE_TYPES.length);
  return cycle * 2 + (type === 'agree' ? 0 : 1);
}

/** The last consent event sent at or before `index`; -1 when none yet. */
export function lastConsentEventAtOrBefore(index: number): number {
  if (index < 0) return -1;
  let event = 2 * Math.floor(index / SHOWCASE_CYCLE) + 1;
  while (event >= 0 && consentEventIndex(event) > index) event--;
  return event;
}

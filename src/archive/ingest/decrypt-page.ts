import type { SdkPool } from '../sdk/pool.ts';
import type { ChatDataEnvelope, DecryptResult } from '../sdk/protocol.ts';
import { isRetryableResult, prepareMessage, type PreparedMessage } from './records.ts';

/**
 * Decrypts envelopes through the SDK pool (RSA unwrap + DecryptData in the host processes, spread
 * over every core) and turns each outcome into what is stored. A DecryptData code that the SDK's
 * FAQ calls transient gets a couple more tries before the message is stored as failed.
 */

const EXTRA_TRIES = 2;

export async function decryptEnvelopes(pool: SdkPool, envelopes: readonly ChatDataEnvelope[]): Promise<PreparedMessage[]> {
  const results: DecryptResult[] = await pool.decryptEnvelopes([...envelopes]);
  for (let attempt = 0; attempt < EXTRA_TRIES; attempt++) {
    const again: number[] = [];
    results.forEach((r, i) => { if (isRetryableResult(r)) again.push(i); });
    if (again.length === 0) break;
    const retried = await pool.decryptEnvelopes(again.map((i) => envelopes[i]!));
    again.forEach((index, k) => { results[index] = retried[k]!; });
  }
  return envelopes.map((envelope, i) => prepareMessage(envelope, results[i]!));
}

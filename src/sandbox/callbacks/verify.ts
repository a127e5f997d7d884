import { randomInt } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { MsgCrypt } from '../../wecom/callback/crypto.ts';
import type { CallbackKind } from '../../wecom/callback/events.ts';

/**
 * The URL check WeCom makes when an admin saves a callback URL (wecom-api.md §5.1/§5.3): a GET with
 * `msg_signature`, `timestamp`, `nonce` and an encrypted `echostr`, to be answered within 1 s with
 * the decrypted echostr exactly (no quotes, no BOM, no trailing newline).
 */

export interface VerifyResult {
  kind: CallbackKind;
  url: string;
  ok: boolean;
  /** The HTTP status, when the receiver answered. */
  status?: number;
  /** Why it failed: a network error, `timed out`, or what the answer was instead. */
  problem?: string;
}

const ANSWER_WITHIN_MS = 1000;

export async function verifyUrl(kind: CallbackKind, url: string, crypt: MsgCrypt, timestamp: string): Promise<VerifyResult> {
  const plain = String(randomInt(1, 2 ** 47));
  const echostr = crypt.encrypt(plain);
  const nonce = String(randomInt(1_000_000_000, 10_000_000_000));
  const query = new URLSearchParams({ msg_signature: crypt.signature(timestamp, nonce, echostr), timestamp, nonce, echostr });
  try {
    const { status, body } = await get(`${url}?${query}`);
    if (status !== 200) return { kind, url, ok: false, status, problem: `answered HTTP ${status}` };
    if (body !== plain) return { kind, url, ok: false, status, problem: `answered ${JSON.stringify(body.slice(0, 60))}, not the decrypted echostr as-is` };
    return { kind, url, ok: true, status };
  } catch (err) {
    return { kind, url, ok: false, problem: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (clearTimeout(timer), resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error('timed out (WeCom waits 1 s)')), ANSWER_WITHIN_MS);
    req.on('error', (err) => (clearTimeout(timer), reject(err)));
    req.end();
  });
}

import { constants, privateDecrypt } from 'node:crypto';
import type { Sandbox } from '../../src/sandbox/index.ts';

/** Helpers for talking to the sandbox archive the way the stand-in Finance SDK does (docs/standin-sdk.md). */

export interface ChatDataAnswer {
  errcode: number;
  errmsg: string;
  chatdata?: Array<{ seq: number; msgid: string; publickey_ver: number; encrypt_random_key: string; encrypt_chat_msg: string }>;
}

export async function postJson(sandbox: Sandbox, path: string, body: unknown): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
}

export async function chatdata(sandbox: Sandbox, seq: number | string, limit: number, override: Record<string, unknown> = {}): Promise<ChatDataAnswer> {
  const body = { corpid: sandbox.corpId, secret: sandbox.secrets.archive, seq: String(seq), limit, ...override };
  return (await postJson(sandbox, '/__finance/chatdata', body)).json() as Promise<ChatDataAnswer>;
}

export async function media(sandbox: Sandbox, sdkfileid: string, indexbuf: string, override: Record<string, unknown> = {}): Promise<Response> {
  return postJson(sandbox, '/__finance/media', { corpid: sandbox.corpId, secret: sandbox.secrets.archive, sdkfileid, indexbuf, ...override });
}

/**
 * RSA-PKCS#1 v1.5 decryption the way the product does it on Node 20 (archive-sdk.md §2.3): raw RSA,
 * then the type-2 padding checked and stripped here. Throws if the padding is not there (wrong key).
 */
export function rsaUnwrap(privateKeyPem: string, encryptRandomKey: string): string {
  const block = privateDecrypt({ key: privateKeyPem, padding: constants.RSA_NO_PADDING }, Buffer.from(encryptRandomKey, 'base64'));
  if (block[0] !== 0x00 || block[1] !== 0x02) throw new Error('not PKCS#1 v1.5 type 2');
  const separator = block.indexOf(0x00, 2);
  if (separator < 10) throw new Error('padding too short');
  return block.subarray(separator + 1).toString('latin1');
}

export async function archiveToken(sandbox: Sandbox): Promise<string> {
  const answer = await (await fetch(`${sandbox.url}/cgi-bin/gettoken?corpid=${sandbox.corpId}&corpsecret=${sandbox.secrets.archive}`)).json() as { access_token: string };
  return answer.access_token;
}

export async function callApi(sandbox: Sandbox, token: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const url = `${sandbox.url}/cgi-bin/${path}${path.includes('?') ? '&' : '?'}access_token=${token}`;
  const response = body === undefined ? await fetch(url) : await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  return response.json() as Promise<Record<string, unknown>>;
}

import { parseJson } from '../../wecom/json.ts';
import type { ChatDataEnvelope, PullOutcome } from './protocol.ts';

/** The SDK's output is not what GetChatData documents; the message names the field, never content. */
export class ChatDataParseError extends Error {}

function fail(message: string): never {
  throw new ChatDataParseError(message);
}

/** Checks the shape of GetChatData's JSON; `chatdata` may be missing when caught up (§2.1). */
export function parseChatData(text: string): PullOutcome {
  let doc: unknown;
  try {
    doc = parseJson(text);
  } catch {
    fail('GetChatData output is not JSON');
  }
  if (!doc || typeof doc !== 'object') fail('GetChatData output is not a JSON object');
  const { errcode, errmsg, chatdata } = doc as Record<string, unknown>;
  const code = typeof errcode === 'bigint' ? Number(errcode) : errcode;
  if (typeof code !== 'number') fail('GetChatData output has no errcode');
  if (chatdata !== undefined && chatdata !== null && !Array.isArray(chatdata)) fail('chatdata is not an array');
  const envelopes = ((chatdata ?? []) as unknown[]).map((item, index): ChatDataEnvelope => {
    const e = (item ?? {}) as Record<string, unknown>;
    const seq = toBigIntOrUndefined(e.seq);
    const ver = typeof e.publickey_ver === 'bigint' ? Number(e.publickey_ver) : e.publickey_ver;
    if (seq === undefined || typeof e.msgid !== 'string' || typeof ver !== 'number' ||
        typeof e.encrypt_random_key !== 'string' || typeof e.encrypt_chat_msg !== 'string') {
      fail(`chatdata[${index}] is missing a field`);
    }
    return { seq, msgid: e.msgid, publickeyVer: ver, encryptRandomKey: e.encrypt_random_key, encryptChatMsg: e.encrypt_chat_msg };
  });
  return { errcode: code, errmsg: typeof errmsg === 'string' ? errmsg : '', chatdata: envelopes };
}

/** A JSON integer (number, bigint or decimal string) as a bigint; undefined if it is not one. */
function toBigIntOrUndefined(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return undefined;
}

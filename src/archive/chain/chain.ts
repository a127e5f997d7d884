import { createHash } from 'node:crypto';

/**
 * The archive's hash chain: evidence that the stored archive is complete and unaltered.
 *
 *   genesis(corp) = SHA-256( "wecom-archive/chain/v1" ‖ ns(corp_id) )
 *   hash_i        = SHA-256( hash_{i-1} ‖ ns(seq) ‖ ns(msgid) ‖ ns(publickey_ver) ‖
 *                            ns(encrypt_random_key) ‖ ns(encrypt_chat_msg) )
 *
 * over each corp's messages in seq order, where hash_{i-1} is the 32 raw bytes of the previous link
 * (the genesis for the first message), seq and publickey_ver are written in decimal, and
 * ns(x) = <byte length of x in decimal> ":" <UTF-8 bytes of x> "," (a netstring: no separator can be
 * forged inside a field). Hashes are stored as lowercase hex.
 *
 * It covers the ENVELOPE exactly as WeCom sent it, never the decrypted record: a message stored
 * encrypted (missing key, quarantined, failed) and decrypted later keeps its link, so the chain
 * computed at ingest stays valid for ever, and anyone holding the envelopes can recompute it without
 * our keys or our SDK. Computed here in TypeScript so SQLite and PostgreSQL agree byte for byte.
 */

export const CHAIN_VERSION = 'wecom-archive/chain/v1';

/** The fields of a GetChatData item the chain covers (archive-sdk.md §2.1). */
export interface ChainEnvelope {
  seq: bigint;
  msgid: string;
  publickeyVer: number;
  encryptRandomKey: string;
  encryptChatMsg: string;
}

function netstring(value: string): string {
  return `${Buffer.byteLength(value, 'utf8')}:${value},`;
}

/** The link before a corp's first message. */
export function genesisHash(corpId: string): string {
  return createHash('sha256').update(CHAIN_VERSION, 'latin1').update(netstring(corpId), 'utf8').digest('hex');
}

/** The canonical bytes of an envelope, as the chain hashes them (one string: hashed in one update). */
export function canonicalEnvelope(envelope: ChainEnvelope): string {
  return netstring(envelope.seq.toString()) + netstring(envelope.msgid) + netstring(String(envelope.publickeyVer)) +
    netstring(envelope.encryptRandomKey) + netstring(envelope.encryptChatMsg);
}

/**
 * hash_i from hash_{i-1} (hex) and message i's envelope: the bytes of canonicalEnvelope, fed in parts
 * so the two big fields go to the hash as they are instead of being copied into one ~1 KB string per
 * message first (the ingest hashes every message it stores).
 */
export function linkHash(previous: string, envelope: ChainEnvelope): string {
  if (!HEX64.test(previous)) throw new TypeError('previous link must be 64 lowercase hex characters');
  const { encryptRandomKey: key, encryptChatMsg: msg } = envelope;
  return createHash('sha256').update(Buffer.from(previous, 'hex'))
    .update(netstring(envelope.seq.toString()) + netstring(envelope.msgid) + netstring(String(envelope.publickeyVer)) +
      `${Buffer.byteLength(key, 'utf8')}:`, 'utf8')
    .update(key, 'utf8')
    .update(`,${Buffer.byteLength(msg, 'utf8')}:`, 'latin1')
    .update(msg, 'utf8')
    .update(',', 'latin1')
    .digest('hex');
}

const HEX64 = /^[0-9a-f]{64}$/;

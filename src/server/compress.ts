import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Bodies made per request (the API's JSON, problem+json) compressed for the clients that accept it:
 * a conversation page of a large group repeats the same names on every message, and brotli sends
 * about a tenth of it. The UI's assets are compressed once, at build (scripts/build-web.mjs), and sent
 * as they are by @fastify/static. Streams (media, exports) and small bodies go unchanged. Compression
 * runs on libuv's thread pool, so the event loop keeps answering callbacks meanwhile.
 */

export type ContentCoding = 'br' | 'gzip';

/** Below this, the headers and the compressor's framing cost about what compression saves. */
export const COMPRESS_MIN_BYTES = 1024;
const COMPRESSIBLE = /^(application\/([\w.+-]*\+)?json|text\/)/i;
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
// Quality 4: near gzip's speed with a better ratio; 11 (the default) takes tens of ms on a page.
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };

/** The coding to answer in, from Accept-Encoding (q-values honoured, brotli preferred); undefined: as is. */
export function negotiateEncoding(header: string | string[] | undefined): ContentCoding | undefined {
  const accepted = new Map<string, number>();
  for (const part of [header ?? ''].flat().join(',').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const quality = (coding: ContentCoding) => accepted.get(coding) ?? (accepted.has('*') ? accepted.get('*')! : 0);
  const best = (['br', 'gzip'] as const).filter((coding) => quality(coding) > 0).sort((a, b) => quality(b) - quality(a));
  return best[0];
}

export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.hasHeader('content-encoding') || !COMPRESSIBLE.test(String(reply.getHeader('content-type') ?? ''))) return payload;
    // Caches must keep the compressed and the plain answer apart, whichever this one is.
    varyOnEncoding(reply);
    if (Buffer.byteLength(payload) < COMPRESS_MIN_BYTES) return payload;
    const coding = negotiateEncoding(request.headers['accept-encoding']);
    if (!coding) return payload;
    const body = coding === 'br' ? await brotli(payload, BROTLI) : await gzipped(payload);
    reply.header('content-encoding', coding);
    reply.removeHeader('content-length');
    return body;
  });
}

function varyOnEncoding(reply: FastifyReply): void {
  const vary = String(reply.getHeader('vary') ?? '');
  if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) reply.header('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}

import { createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHUNK_BYTES } from '../../src/sandbox/archive/media.ts';

/**
 * A pass-through in front of the sandbox, where the stand-in SDK sends its media calls: it counts
 * GetMediaData calls per file and can corrupt a chunk on the wire (one byte flipped), the way a
 * broken download shows up as an md5 mismatch. Files are known by a hash of their sdkfileid, so a
 * failing assertion never prints one.
 */

export function fileKey(sdkfileid: string): string {
  return createHash('sha256').update(sdkfileid).digest('hex').slice(0, 16);
}

interface Corruption {
  /** Chunk number (0-based, by the indexbuf's start) to damage. */
  chunk: number;
  /** How many more times; Infinity for every time. */
  times: number;
}

export interface MediaProxy {
  url: string;
  /** GetMediaData calls per file key, in order, as the indexbuf's start offset (0 for ''). */
  calls: Map<string, number[]>;
  corrupt(sdkfileid: string, chunk: number, times: number): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startMediaProxy(upstream: string): Promise<MediaProxy> {
  const target = new URL(upstream);
  const calls = new Map<string, number[]>();
  const corruptions = new Map<string, Corruption>();
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      let key: string | undefined;
      let start = 0;
      if (req.url === '/__finance/media') {
        const json = JSON.parse(body.toString('utf8')) as { sdkfileid?: string; indexbuf?: string };
        key = fileKey(json.sdkfileid ?? '');
        start = Number(/^Range:bytes=(\d+)-/.exec(json.indexbuf ?? '')?.[1] ?? 0);
        calls.set(key, [...(calls.get(key) ?? []), start]);
      }
      const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (part: Buffer) => chunks.push(part));
        answer.on('end', () => {
          const data = Buffer.concat(chunks);
          const rule = key ? corruptions.get(key) : undefined;
          if (rule && rule.times > 0 && data.length > 0 && Math.floor(start / CHUNK_BYTES) === rule.chunk) {
            rule.times--;
            data[Math.floor(data.length / 2)] ^= 0xff;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(data);
        });
      });
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    corrupt: (sdkfileid, chunk, times) => corruptions.set(fileKey(sdkfileid), { chunk, times }),
    reset: () => {
      calls.clear();
      corruptions.clear();
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

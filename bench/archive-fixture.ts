import { createWriteStream, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { SandboxArchive } from '../src/sandbox/archive/archive.ts';
import type { KeyRotation } from '../src/sandbox/archive/envelope.ts';
import { loadKeyPairs, type ArchiveKeyPair } from '../src/sandbox/archive/keys.ts';
import { DAY_MS, Timeline } from '../src/sandbox/archive/timeline.ts';
import { generateCompany } from '../src/sandbox/index.ts';

/**
 * The archive benchmark's WeCom: N envelopes sealed once by the sandbox's own generator (every
 * message type, RSA under two key versions, the stand-in cipher) into a JSON-lines file cached in the
 * temp dir, and a minimal HTTP server answering the stand-in SDK's POST /__finance/chatdata from that
 * file. Serving a page is a file read: WeCom's CPU must not be billed to the product under test.
 */

export const BENCH_SEED = 7;
const VERSIONS = [1, 2];
/** Ends before the bench runs; spans 4 days: everything is inside WeCom's 5-day window at any time. */
const END = Date.parse('2026-03-02T00:00:00Z');

export interface Fixture {
  count: number;
  corpId: string;
  file: string;
  /** Byte offset of each line, and the file's length at the end. */
  offsets: Float64Array;
  keys: ArchiveKeyPair[];
}

function paths(count: number) {
  const dir = join(tmpdir(), 'wecom-archive-bench');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = join(dir, `envelopes-seed${BENCH_SEED}-n${count}`);
  return { data: `${base}.jsonl`, index: `${base}.idx` };
}

async function generate(count: number, keys: ArchiveKeyPair[], data: string, index: string, corp: ReturnType<typeof generateCompany>) {
  const spanMs = 4 * DAY_MS;
  const timeline = new Timeline({ seed: BENCH_SEED, count, end: END, spanMs });
  const rotations: KeyRotation[] = VERSIONS.map((version, k) => ({ version, from: k === 0 ? -Infinity : timeline.start + (spanMs * k) / VERSIONS.length }));
  const archive = new SandboxArchive({ company: corp, seed: BENCH_SEED, timeline, keys, rotations, now: () => new Date(END) });
  const offsets = new Float64Array(count + 1);
  const out = createWriteStream(`${data}.tmp`);
  let position = 0;
  for (let i = 0; i < count; i++) {
    const line = Buffer.from(`${JSON.stringify(archive.seal(i))}\n`);
    offsets[i] = position;
    position += line.length;
    if (!out.write(line)) await once(out, 'drain');
    if (i > 0 && i % 100_000 === 0) process.stderr.write(`  sealed ${i.toLocaleString('en')} / ${count.toLocaleString('en')}\n`);
  }
  offsets[count] = position;
  out.end();
  await once(out, 'finish');
  writeFileSync(index, Buffer.from(offsets.buffer));
  renameSync(`${data}.tmp`, data);
}

/** The fixture for `count` messages, generated on first use (a minute or two per million). */
export async function loadFixture(count: number): Promise<Fixture> {
  const keys = await loadKeyPairs(BENCH_SEED, VERSIONS);
  const company = generateCompany(BENCH_SEED, 'small');
  const { data, index } = paths(count);
  if (!existsSync(data) || !existsSync(index)) {
    process.stderr.write(`Sealing ${count.toLocaleString('en')} envelopes into ${data} (once)…\n`);
    await generate(count, keys, data, index, company);
  }
  const raw = readFileSync(index);
  const offsets = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
  return { count, corpId: company.corpId, file: data, offsets, keys };
}

/** POST /__finance/chatdata over the fixture: seq is index + 1, an exclusive cursor, ≤ 1000 per page. */
export async function serveFixture(fixture: Fixture, secret: string): Promise<{ url: string; server: Server }> {
  const fd = openSync(fixture.file, 'r');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { secret: string; seq: string; limit: number };
      if (req.url !== '/__finance/chatdata' || body.secret !== secret) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"errcode":40001,"errmsg":"invalid credential"}');
        return;
      }
      const from = Math.min(fixture.count, Number(body.seq));
      const to = Math.min(fixture.count, from + Math.min(1000, body.limit));
      const start = fixture.offsets[from]!;
      const lines = Buffer.alloc(fixture.offsets[to]! - start);
      if (lines.length > 0) readSync(fd, lines, 0, lines.length, start);
      // JSON lines → array elements: every newline but the last becomes a comma.
      for (let i = 0; i < lines.length - 1; i++) if (lines[i] === 0x0a) lines[i] = 0x2c;
      const payload = Buffer.concat([Buffer.from('{"errcode":0,"errmsg":"ok","chatdata":['), lines.subarray(0, Math.max(0, lines.length - 1)), Buffer.from(']}')]);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': payload.length }).end(payload);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

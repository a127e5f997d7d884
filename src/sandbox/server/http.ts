import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { findEndpoint } from '../../wecom/endpoints.ts';
import { redactText } from '../../util/redact.ts';
import type { RawRoute } from '../extension.ts';
import type { FaultPlanner } from './faults.ts';
import { normalizeIp } from './ip.ts';
import { answerApiCall, errorAnswer, type PipelineDeps } from './pipeline.ts';

/**
 * The sandbox's HTTP face (node:http, no framework): `/cgi-bin/<path>` for every catalogue endpoint,
 * `/__sandbox/…` for control, and raw routes from extensions. Faults are applied here, before the
 * pipeline, because they stand for the network and WeCom's front end rather than its rules.
 */
export interface HttpDeps extends PipelineDeps {
  faults: FaultPlanner;
  rawRoutes: RawRoute[];
  control(method: string, path: string, body: Buffer): Promise<{ status: number; body: unknown }>;
}

/** Bodies above this are refused; WeCom's largest requests (100-item lists) are a few KB. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) };
  // WeCom repeats errcode/errmsg in headers; only ASCII may go into a header.
  const answer = body as { errcode?: unknown; errmsg?: unknown };
  if (typeof answer?.errcode === 'number') {
    headers['Error-Code'] = answer.errcode;
    headers['Error-Msg'] = String(answer.errmsg).replace(/[^\x20-\x7e]/g, '?');
  }
  res.writeHead(status, headers);
  res.end(text);
}

async function handle(deps: HttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const method = req.method ?? 'GET';
  const ip = normalizeIp(req.socket.remoteAddress);
  const body = await readBody(req);

  const raw = deps.rawRoutes.find((r) => r.method === method && r.path === url.pathname);
  if (raw) return void (await raw.handle(req, res, body));
  if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
    const answer = await deps.control(method, url.pathname, body);
    return sendJson(res, answer.status, answer.body);
  }
  const name = url.pathname.startsWith('/cgi-bin/') ? findEndpoint(url.pathname) : undefined;
  if (!name) return sendJson(res, 404, errorAnswer(deps, 40058, `unknown api path ${url.pathname}`, ip));

  deps.stats.call(name);
  const fault = deps.faults.decide(name);
  if (fault.kind === 'drop') return void req.socket.destroy();
  if (fault.kind === 'http5xx') {
    res.writeHead(fault.status, { 'Content-Type': 'text/html' });
    return void res.end(`<html><body><h1>${fault.status}</h1>sandbox injected fault</body></html>`);
  }
  let answer;
  if (fault.kind === 'busy' || fault.kind === 'errcode') {
    answer = errorAnswer(deps, fault.kind === 'busy' ? -1 : fault.errcode, undefined, ip);
  } else {
    const query = Object.fromEntries(url.searchParams);
    const extraDelayMs = fault.kind === 'slow' ? fault.ms : 0;
    answer = await answerApiCall(deps, { name, method, query, body, ip, extraDelayMs });
  }
  deps.stats.answer(name, answer.errcode);
  sendJson(res, 200, answer);
}

export function createSandboxServer(deps: HttpDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      // A bug in the sandbox, not a WeCom answer: say so plainly (redacted) instead of hanging.
      const message = redactText(err instanceof Error ? err.message : String(err));
      if (!res.headersSent) sendJson(res, 500, { error: `sandbox internal error: ${message}` });
      else res.destroy();
    });
  });
}

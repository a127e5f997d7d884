import type { ServerResponse } from 'node:http';
import { ERRCODE } from '../../wecom/errcodes.ts';
import type { RawRoute, SandboxContext } from '../extension.ts';
import { MAX_LIMIT, MEDIA_RC, type SandboxArchive } from './archive.ts';
import { parseFault, type ArchiveRoute } from './faults.ts';
import { wecomAnswer } from '../server/api-error.ts';

/**
 * The HTTP face of the sandbox archive, exactly as the stand-in Finance SDK speaks it
 * (docs/standin-sdk.md): POST /__finance/chatdata and /__finance/media, plus the fault switch
 * POST /__sandbox/archive/faults (GET shows what is switched on).
 */

/** Business errors of the chatdata JSON (two layers, archive-sdk.md §1.5). */
const ERR = {
  invalidSecret: wecomAnswer(ERRCODE.INVALID_SECRET),
  invalidCorpId: wecomAnswer(ERRCODE.INVALID_CORP_ID),
  apiForbidden: wecomAnswer(ERRCODE.API_FORBIDDEN, 'not the chat archive secret'),
  invalidParameter: wecomAnswer(ERRCODE.INVALID_PARAMETER),
};

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, ...headers });
  res.end(body);
}

/** The stand-in library reads only the header on these answers; the body stays empty. */
function sendHeaderOnly(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, { 'Content-Length': 0, ...headers });
  res.end();
}

function readJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Which error, if any, a (corpid, secret) pair deserves: only the archive secret may pull. */
function credentialError(ctx: SandboxContext, request: Record<string, unknown>) {
  if (request.corpid !== ctx.corpId) return ERR.invalidCorpId;
  const secret = request.secret;
  if (secret === ctx.secrets.archive) return undefined;
  return Object.values(ctx.secrets).includes(secret as string) ? ERR.apiForbidden : ERR.invalidSecret;
}

function parseSeq(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  return undefined;
}

function routeFault(archive: SandboxArchive, res: ServerResponse, route: ArchiveRoute): boolean {
  const fault = archive.faults.takeRouteFault(route);
  if (fault) sendHeaderOnly(res, { 'X-Standin-Fault': fault });
  return fault !== undefined;
}

export function archiveRoutes(ctx: SandboxContext, archive: SandboxArchive): RawRoute[] {
  const chatdata: RawRoute = {
    method: 'POST',
    path: '/__finance/chatdata',
    handle(_req, res, body) {
      if (routeFault(archive, res, 'chatdata')) return;
      const request = readJson(body);
      if (!request) return sendJson(res, 200, ERR.invalidParameter);
      const denied = credentialError(ctx, request);
      if (denied) return sendJson(res, 200, denied);
      const seq = parseSeq(request.seq);
      const limit = request.limit;
      if (seq === undefined || typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
        return sendJson(res, 200, ERR.invalidParameter);
      }
      sendJson(res, 200, { errcode: 0, errmsg: 'ok', chatdata: archive.pull(seq, limit) });
    },
  };

  const media: RawRoute = {
    method: 'POST',
    path: '/__finance/media',
    handle(_req, res, body) {
      if (routeFault(archive, res, 'media')) return;
      const request = readJson(body);
      const rc = (code: number) => sendHeaderOnly(res, { 'X-Standin-Rc': String(code) });
      if (!request || credentialError(ctx, request)) return rc(MEDIA_RC.badRequest);
      const { sdkfileid, indexbuf = '' } = request;
      if (typeof sdkfileid !== 'string' || !sdkfileid || typeof indexbuf !== 'string') return rc(MEDIA_RC.badRequest);
      const chunk = archive.mediaChunk(sdkfileid, indexbuf);
      if ('rc' in chunk) return rc(chunk.rc);
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': chunk.data.length,
        'X-Outindexbuf': chunk.outindexbuf,
        'X-Is-Finish': chunk.finished ? '1' : '0',
      });
      res.end(chunk.data);
    },
  };

  const faults: RawRoute = {
    method: 'POST',
    path: '/__sandbox/archive/faults',
    handle(_req, res, body) {
      const request = readJson(body);
      const problem = request ? applyFaultRequest(archive, request) : 'body must be a JSON object';
      if (problem) return sendJson(res, 400, { ...ERR.invalidParameter, errmsg: problem });
      sendJson(res, 200, { errcode: 0, errmsg: 'ok', faults: archive.faults.state() });
    },
  };

  const showFaults: RawRoute = {
    method: 'GET',
    path: '/__sandbox/archive/faults',
    handle(_req, res) {
      sendJson(res, 200, { errcode: 0, errmsg: 'ok', faults: archive.faults.state() });
    },
  };

  return [chatdata, media, faults, showFaults];
}

/**
 * `{"clear":true}`, `{"message":{"seq":"12"|"msgid":"…","fault":"crash"|"hang"|"rc=10008"|"off"}}`,
 * `{"route":{"route":"chatdata"|"media","fault":"crash"|"hang"|"rc=10001","times":2}}`; any
 * combination, applied in that order. Returns what is wrong with the request, if anything.
 */
function applyFaultRequest(archive: SandboxArchive, request: Record<string, unknown>): string | undefined {
  const { message, route } = request as { message?: Record<string, unknown>; route?: Record<string, unknown> };
  if (request.clear === true) archive.faults.clear();
  if (message !== undefined) {
    const fault = message.fault === 'off' ? 'off' : parseFault(message.fault);
    const seq = message.seq === undefined ? undefined : parseSeq(message.seq);
    const msgid = typeof message.msgid === 'string' ? message.msgid : undefined;
    if (!fault) return 'message.fault must be crash, hang, rc=NNNNN or off';
    if (seq === undefined && msgid === undefined) return 'message needs seq or msgid';
    archive.faults.onMessage({ seq, msgid }, fault);
  }
  if (route !== undefined) {
    const fault = parseFault(route.fault);
    const times = route.times ?? 1;
    if (route.route !== 'chatdata' && route.route !== 'media') return 'route.route must be chatdata or media';
    if (!fault || typeof times !== 'number' || !Number.isInteger(times)) return 'route needs fault (crash, hang, rc=NNNNN) and integer times';
    archive.faults.onRoute(route.route, fault, times);
  }
  return undefined;
}

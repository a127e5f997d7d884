/**
 * Entry of an SDK host process (forked by host-process.ts). It loads the Finance SDK, creates one
 * handle and reuses it (archive-sdk.md §1.6), and answers one request at a time over IPC. Private keys
 * and the secret arrive over IPC, never through argv or env (both are visible in /proc).
 */
import { KeyRing } from '../keys/keyring.ts';
import { RsaUnwrapError } from '../keys/rsa.ts';
import { isUserError } from '../../util/errors.ts';
import { ChatDataParseError, parseChatData } from './chatdata.ts';
import { openFinanceLibrary, type FinanceLibrary } from './finance-lib.ts';
import type {
  DecryptItem, HostErrorPayload, HostRequest, ItemOutcome, MediaChunk, PullOutcome,
} from './protocol.ts';

class HostFailure extends Error {
  constructor(readonly payload: HostErrorPayload) {
    super(payload.kind);
  }
}

let lib: FinanceLibrary | undefined;
let sdk: unknown;
let keys = KeyRing.fromKeys([]);
let busy = false;

function ready(): { lib: FinanceLibrary; sdk: unknown } {
  if (!lib) throw new HostFailure({ kind: 'bad-request', message: 'not initialised' });
  return { lib, sdk };
}

function init(req: Extract<HostRequest, { op: 'init' }>): { pid: number } {
  try {
    lib = openFinanceLibrary(req.libraryPath);
  } catch (err) {
    throw new HostFailure({ kind: 'load', message: (err as Error).message });
  }
  sdk = lib.newSdk();
  const rc = lib.init(sdk, req.corpId, req.secret);
  if (rc !== 0) throw new HostFailure({ kind: 'rc', rc });
  try {
    keys = KeyRing.fromPems(req.keys);
  } catch (err) {
    const code = isUserError(err) ? err.code : 'archive.key.unparseable';
    throw new HostFailure({ kind: 'keys', code, message: code });
  }
  return { pid: process.pid };
}

async function pull(req: Extract<HostRequest, { op: 'pull' }>): Promise<PullOutcome> {
  const { lib, sdk } = ready();
  const out = await lib.getChatData(sdk, req.seq, req.limit, req.proxy, req.passwd, req.timeoutSec);
  if (out.rc !== 0) throw new HostFailure({ kind: 'rc', rc: out.rc });
  try {
    return parseChatData(out.data.toString('utf8'));
  } catch (err) {
    if (err instanceof ChatDataParseError) throw new HostFailure({ kind: 'parse', message: err.message });
    throw err;
  }
}

async function media(req: Extract<HostRequest, { op: 'media' }>): Promise<MediaChunk> {
  const { lib, sdk } = ready();
  const out = await lib.getMediaData(sdk, req.indexbuf, req.sdkfileid, req.proxy, req.passwd, req.timeoutSec);
  if (out.rc !== 0) throw new HostFailure({ kind: 'rc', rc: out.rc });
  return { data: out.data, nextIndexbuf: out.outIndex, finished: out.finished };
}

/** The NUL-terminated key for DecryptData, or the reason there is none. */
function keyOf(item: DecryptItem): Buffer | ItemOutcome {
  if ('key' in item) return Buffer.from(`${item.key}\0`, 'latin1');
  if (!keys.has(item.ver)) return { ok: false, reason: 'no-key' };
  try {
    return Buffer.concat([keys.unwrapBytes(item.ver, item.erk), Buffer.alloc(1)]);
  } catch (err) {
    if (isUserError(err) || err instanceof RsaUnwrapError) return { ok: false, reason: 'unwrap' };
    throw err;
  }
}

/**
 * RSA of the next message runs on this thread while DecryptData of the previous one runs on a koffi
 * worker: the async call's overhead hides behind the RSA work instead of adding to it.
 */
async function decrypt(items: DecryptItem[]): Promise<ItemOutcome[]> {
  const { lib } = ready();
  const results: ItemOutcome[] = new Array(items.length);
  let inFlight: Promise<void> | undefined;
  for (let i = 0; i < items.length; i++) {
    const key = keyOf(items[i]);
    if (inFlight) await inFlight;
    inFlight = undefined;
    if (!Buffer.isBuffer(key)) {
      results[i] = key;
      continue;
    }
    inFlight = lib.decryptData(key, items[i].msg).then((out) => {
      results[i] = out.rc === 0 ? { ok: true, json: out.data.toString('utf8') } : { ok: false, reason: 'sdk', code: out.rc };
    });
  }
  if (inFlight) await inFlight;
  return results;
}

async function handle(req: HostRequest): Promise<unknown> {
  switch (req.op) {
    case 'init': return init(req);
    case 'pull': return pull(req);
    case 'media': return media(req);
    case 'decrypt': return decrypt(req.items);
    default: throw new HostFailure({ kind: 'bad-request', message: `unknown op ${(req as { op: string }).op}` });
  }
}

let queue: Promise<void> = Promise.resolve();

process.on('message', (message: { id: number } & HostRequest) => {
  queue = queue.then(async () => {
    busy = true;
    try {
      process.send!({ id: message.id, ok: true, result: await handle(message) });
    } catch (err) {
      const error: HostErrorPayload = err instanceof HostFailure
        ? err.payload
        : { kind: 'bad-request', message: err instanceof Error ? err.message : String(err) };
      process.send!({ id: message.id, ok: false, error });
    } finally {
      busy = false;
    }
  });
});

// The product went away (or closes the pool): release the handle unless a call may still use it
// (DestroySdk during a call is one of the SDK's known crashes, §7), then leave.
process.on('disconnect', () => {
  if (lib && sdk && !busy) lib.destroySdk(sdk);
  process.exit(0);
});

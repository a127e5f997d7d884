import { findEndpoint } from '../wecom/endpoints.ts';
import { loadUndici, type FetchLike } from '../wecom/transport.ts';
import type { Tally } from './tally.ts';

/**
 * A fetch for the WeCom client that counts every HTTP attempt (retries included) per endpoint, with
 * its latency and errcode. It sits under the client's retry and rate-limit layers, so it sees exactly
 * what went over the wire: the run summary's request counts and the benchmark's 45009/45033 counts
 * come from here. It reads only the path (never the query string, which carries the access_token).
 */
export function meteredFetch(tally: Tally, inner?: FetchLike): FetchLike {
  return async (url, init) => {
    const send = inner ?? ((await loadUndici()).fetch as unknown as FetchLike);
    const endpoint = findEndpoint(new URL(url).pathname) ?? 'unknown';
    const started = performance.now();
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await send(url, init);
    } catch (err) {
      tally.request(endpoint, performance.now() - started, 0);
      throw err;
    }
    const text = await response.text();
    tally.request(endpoint, performance.now() - started, errcodeOf(text));
    return { status: response.status, text: async () => text };
  };
}

/** WeCom puts errcode first; a look at the head of the body is enough and avoids a second parse. */
function errcodeOf(body: string): number {
  const match = /"errcode"\s*:\s*(-?\d+)/.exec(body.slice(0, 200));
  return match ? Number(match[1]) : 0;
}

import { Pool } from 'undici';

/**
 * An open-loop load: requests start on a fixed schedule (rate per second) whatever the server's
 * answers, as WeCom's pushes do. A closed loop (send, wait, send) would slow down with the server
 * and hide its queueing; here a slow answer shows as latency. Latency is measured from the planned
 * start, so a late start (the generator itself behind) counts against the result, never for it.
 */

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  sent: number;
  /** Answers with the expected status. */
  ok: number;
  /** Every other status or a transport error, by status or error code. */
  failures: Record<string, number>;
  latenciesMs: number[];
  /** Requests per second actually completed. */
  rate: number;
}

export interface LoadOptions {
  origin: string;
  rate: number;
  seconds: number;
  request: (index: number) => LoadRequest;
  expectStatus?: number;
  connections?: number;
}

export async function openLoop(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(options.origin, { connections: options.connections ?? 32, keepAliveTimeout: 30_000 });
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let ok = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const planned = started + i * interval;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const request = options.request(i);
    inFlight.push(
      pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body })
        .then(async (response) => {
          await response.body.dump();
          latencies.push(performance.now() - planned);
          if (response.statusCode === (options.expectStatus ?? 200)) ok += 1;
          else failures[response.statusCode] = (failures[response.statusCode] ?? 0) + 1;
        })
        .catch((err: { code?: string }) => {
          failures[err.code ?? 'error'] = (failures[err.code ?? 'error'] ?? 0) + 1;
        }),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { sent: total, ok, failures, latenciesMs: latencies, rate: total / elapsed };
}

/** The p-th percentile (nearest rank) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

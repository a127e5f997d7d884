import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import pino from 'pino';
import type { Runtime } from '../services/runtime.ts';
import { buildServer } from './app.ts';
import { createLogger } from './logger.ts';
import { API } from './routes/index.ts';

/**
 * `serve`'s process: the server listening on the deployment's address (SERVER_HOST, SERVER_PORT,
 * unless overridden), its log on stderr (stdout stays for the command's own answer), and the
 * background work beside it. `close()` shuts down in order: stop accepting and finish the requests
 * in flight, then stop the background work; the caller then closes the runtime (releasing leases).
 */

/** What runs beside the server (the jobs: src/jobs startBackground); stopped after the server. */
export interface Background {
  stop(): Promise<void>;
}

export interface StartOptions {
  host?: string;
  port?: number;
  /** pino level (default info). */
  logLevel?: string;
  /** Starts the background work once the server listens (helper JOBS: `startBackground(runtime, log)`). */
  background?: (runtime: Runtime, log: Logger) => Promise<Background | void>;
}

export interface RunningServer {
  app: FastifyInstance;
  /** Where it listens, e.g. http://127.0.0.1:8080 (the actual port when 0 was asked). */
  url: string;
  /** PUBLIC_URL, else `url`: what admins are shown (callback URLs). */
  publicUrl: string;
  openapiUrl: string;
  log: Logger;
  close(): Promise<void>;
}

export async function startServer(runtime: Runtime, options: StartOptions = {}): Promise<RunningServer> {
  const settings = runtime.deployment.server;
  const host = options.host ?? settings?.host ?? '127.0.0.1';
  const port = options.port ?? settings?.port ?? 8080;
  const log = createLogger({ level: options.logLevel, destination: pino.destination({ fd: 2, sync: true }) });
  const app = await buildServer(runtime, { logger: log, publicUrl: settings?.publicUrl ?? `http://${hostForUrl(host)}:${port}`, trustProxy: settings?.trustProxy });
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${hostForUrl(host)}:${actualPort}`;
  const publicUrl = settings?.publicUrl ?? url;
  let background: Background | void = undefined;
  try {
    background = await options.background?.(runtime, log);
  } catch (err) {
    await app.close();
    throw err;
  }
  log.info({ url, publicUrl }, 'listening');
  const drain = drainOnClose(app);
  let closing: Promise<void> | undefined;
  return {
    app, url, publicUrl, openapiUrl: `${publicUrl}${API}/openapi.json`, log,
    close() {
      closing ??= (async () => {
        log.info('shutting down: finishing the requests in flight');
        drain();
        await app.close();
        if (background) await background.stop();
        log.info('stopped');
        await new Promise<void>((resolve) => log.flush(() => resolve()));
      })();
      return closing;
    },
  };
}

/**
 * Fastify's close waits for every connection to end, and closes only those idle at that moment: a
 * keep-alive connection whose request was in flight would stay open after its answer. So from the
 * shutdown on, each answer asks the client to close (Connection: close) and its socket is closed
 * once the answer is sent.
 */
function drainOnClose(app: FastifyInstance): () => void {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  const release = () => setImmediate(() => app.server.closeIdleConnections());
  app.server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (draining) response.shouldKeepAlive = false;
    inFlight.add(response);
    response.on('close', () => inFlight.delete(response));
    response.on('finish', () => { if (draining) release(); });
  });
  return () => {
    draining = true;
    for (const response of inFlight) if (!response.headersSent) response.shouldKeepAlive = false;
  };
}

/** 0.0.0.0 and :: listen everywhere; the URL shown is the loopback one. An IPv6 address goes in brackets. */
function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

import fastifySwagger from '@fastify/swagger';
import { createSerializerCompiler, jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from '@fastify/type-provider-zod';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { asActor } from '../services/access.ts';
import { NO_ACCESS_CONTEXT, type Runtime } from '../services/runtime.ts';
import { DEFAULT_AUTHENTICATORS, registerAuth, type Authenticator } from './auth.ts';
import { registerCompression } from './compress.ts';
import { handleError, handleNotFound } from './problem.ts';
import { ROUTE_MODULES, type RouteDeps, type RouteModule } from './routes/index.ts';

/**
 * The HTTP face: Fastify with zod-validated routes, one auth gate, problem+json errors and an
 * OpenAPI 3.1 document generated from the routes. Built, not listening: `serve` listens; tests
 * `inject()`. Every request uses the one runtime given (its store opened on first use).
 */

export interface ServerOptions {
  /** A pino logger (createLogger); default: no log. */
  logger?: Logger;
  /** The external base URL (PUBLIC_URL); default http://127.0.0.1:8080. */
  publicUrl?: string;
  /** Fastify's trustProxy (TRUST_PROXY). */
  trustProxy?: boolean | number | string;
  /** Who may call; tried in order (default: API tokens, then the session cookie). */
  authenticators?: readonly Authenticator[];
  /** The route modules (default: every one, routes/index.ts). */
  routes?: readonly RouteModule[];
  /** Largest request body accepted, bytes (default 1 MiB). */
  bodyLimit?: number;
}

/** A route as registered: what the tests and the OpenAPI check walk. */
export interface RegisteredRoute {
  method: string;
  url: string;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, HEAD excluded, in registration order. */
    registeredRoutes: RegisteredRoute[];
  }
}

/** Error responses are documented as what they are: application/problem+json. */
function problemContentType<T>(spec: T): T {
  const paths = (spec as { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>> }).paths ?? {};
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        const json = response.content?.['application/json'];
        if (Number(status) >= 400 && json) response.content = { 'application/problem+json': json };
      }
    }
  }
  return spec;
}

export async function buildServer(runtime: Runtime, options: ServerOptions = {}): Promise<FastifyInstance> {
  const publicUrl = (options.publicUrl ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger | undefined,
    // A hop count is valid (proxy-addr), though Fastify's types leave it out.
    trustProxy: (options.trustProxy ?? false) as boolean | string,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Stop keep-alive connections that are idle at close, so a shutdown waits only for requests in flight.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  // bigint (an archive seq, a 64-bit id) is written as decimal text, as the CLI's --json writes it.
  app.setSerializerCompiler(createSerializerCompiler({ replacer: (_key, value) => (typeof value === 'bigint' ? value.toString() : value) }));
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  // Every answer says how long the server took (auth, the service, serialisation), so a client, a
  // proxy's log or bench/ui-api.bench.ts can tell server time from the network's. Timed here, before
  // the auth hook: Fastify's reply.elapsedTime stays 0 unless a logger or onResponse hook is set.
  const started = new WeakMap<object, number>();
  app.addHook('onRequest', async (request) => {
    started.set(request, performance.now());
  });
  registerCompression(app); // before the timing below, which then counts it
  app.addHook('onSend', async (request, reply, payload) => {
    const from = started.get(request);
    if (from !== undefined) reply.header('server-timing', `app;dur=${(performance.now() - from).toFixed(2)}`);
    return payload;
  });

  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, public: Boolean(route.config?.public) });
    }
  });

  registerAuth(app, runtime, options.authenticators ?? DEFAULT_AUTHENTICATORS);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'wecom-archive',
        version: '1',
        description: 'The REST API of wecom-archive: what the CLI reads, as the CLI\'s --json shapes. Errors are RFC 9457 problem+json in the language of Accept-Language (zh default, en).',
      },
      servers: [{ url: publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token: wecom-archive tokens create --name <name>' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => problemContentType(jsonSchemaTransformObject(document)),
  });

  // Routes hand their services request.runtime (the caller's); this one is anonymous, for public routes.
  const deps: RouteDeps = { runtime: asActor(runtime, { kind: 'anonymous' }, NO_ACCESS_CONTEXT), publicUrl };
  for (const module of options.routes ?? ROUTE_MODULES) await module(app, deps);
  await app.ready();
  return app;
}

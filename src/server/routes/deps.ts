import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../services/runtime.ts';

/** What every route module gets: the process's shared runtime (store opened lazily) and how the server is reached. */
export interface RouteDeps {
  runtime: Runtime;
  /** The external base URL (PUBLIC_URL, else the listening address), without a trailing slash. */
  publicUrl: string;
}

/** A route module: registers its routes (full paths, e.g. `${API}/corps`) on the app. */
export type RouteModule = (app: FastifyInstance, deps: RouteDeps) => Promise<void>;

/** Every REST route lives under this prefix. */
export const API = '/api/v1';

import { archiveRoutes } from './archive.ts';
import { auditRoutes } from './audit.ts';
import { callbackRoutes } from './callbacks.ts';
import { corpsRoutes } from './corps.ts';
import type { RouteModule } from './deps.ts';
import { directoryRoutes } from './directory.ts';
import { docsRoutes } from './docs.ts';
import { eventRoutes } from './events.ts';
import { healthRoutes } from './health.ts';
import { mediaRoutes } from './media.ts';
import { readingRoutes } from './reading.ts';
import { sessionRoutes } from './session.ts';
import { syncRoutes } from './sync.ts';
import { uiRoutes } from './ui.ts';

export { API, type RouteDeps, type RouteModule } from './deps.ts';

/**
 * Every route module, in the order the OpenAPI document lists them: the one list. A module
 * registers full paths (`${API}/…`); a route reachable without a token says `config: { public: true }`.
 */
export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  docsRoutes,
  sessionRoutes,
  corpsRoutes,
  directoryRoutes,
  readingRoutes,
  archiveRoutes,
  syncRoutes,
  eventRoutes,
  auditRoutes,
  callbackRoutes,
  mediaRoutes,
  // Last: the web UI (its index.html for the UI's own paths, and its assets).
  uiRoutes,
];

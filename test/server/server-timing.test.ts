import { NO_JOBS } from '../helpers/deployment.ts';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.ts';
import { runtimeOf } from '../../src/services/runtime.ts';

/**
 * Every answer carries `Server-Timing: app;dur=<ms>` (the UI bench reads server time from it): a
 * route's, an auth refusal's and an unknown path's. No store is needed for any of them. The value is
 * checked for its shape only, never against a time.
 */

const SHAPE = /^app;dur=\d+(\.\d+)?$/;

describe('Server-Timing', () => {
  it('is on every answer, with a number of milliseconds', async () => {
    const runtime = runtimeOf({ corps: [], dataDir: '/nonexistent/wa-server-timing', databaseUrl: undefined, lang: 'zh', files: [], problems: [], jobs: NO_JOBS });
    const app = await buildServer(runtime);
    try {
      for (const [url, status] of [['/healthz', 200], ['/api/v1/corps', 401], ['/no/such/path', 404]] as const) {
        const res = await app.inject({ url });
        expect(res.statusCode, url).toBe(status);
        const header = String(res.headers['server-timing']);
        expect(header, url).toMatch(SHAPE);
        expect(Number(header.slice('app;dur='.length)), url).toBeGreaterThanOrEqual(0);
      }
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});

import type { Deployment } from '../../src/config/deployment.ts';

/** A hand-built deployment's schedule: no background job runs unless a test starts one itself. */
export const NO_JOBS: Deployment['jobs'] = { syncIntervalHours: 0, reconcileIntervalHours: 0, archivePollSeconds: 0, workerNice: 0 };

import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';

/** The background jobs' keys: their defaults, and the values refused (with the key named). */
describe('job schedule keys', () => {
  const load = (env: Record<string, string>) => loadConfig({ env: { CORP_ID: 'ww0123456789abcdef', ...env }, cwd: '/nonexistent', strict: false });

  it('default to a sync every 6 h, a reconciliation every 24 h and an archive poll every 30 s', async () => {
    const config = await load({});
    expect([config.syncIntervalHours, config.reconcileIntervalHours, config.archivePollSeconds]).toEqual([6, 24, 30]);
  });

  it('take 0 (off) and the divisors of 24', async () => {
    const config = await load({ SYNC_INTERVAL_HOURS: '0', RECONCILE_INTERVAL_HOURS: '12', ARCHIVE_POLL_SECONDS: '0' });
    expect([config.syncIntervalHours, config.reconcileIntervalHours, config.archivePollSeconds]).toEqual([0, 12, 0]);
    expect(config.problems).toEqual([]);
  });

  it('refuse other values, naming the key', async () => {
    const config = await load({ SYNC_INTERVAL_HOURS: '5', RECONCILE_INTERVAL_HOURS: 'daily', ARCHIVE_POLL_SECONDS: '-1' });
    expect(config.problems.map((p) => [p.severity, p.key])).toEqual([
      ['error', 'SYNC_INTERVAL_HOURS'], ['error', 'RECONCILE_INTERVAL_HOURS'], ['error', 'ARCHIVE_POLL_SECONDS'],
    ]);
    await expect(loadConfig({ env: { CORP_ID: 'ww0123456789abcdef', SYNC_INTERVAL_HOURS: '5' }, cwd: '/nonexistent' })).rejects.toThrow();
  });
});

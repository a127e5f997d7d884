import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { startBackground } from '../../src/jobs/index.ts';
import { dbEnv, startArchiveWorld, type ArchiveWorld } from '../archive/helpers.ts';
import { describeDatabases } from '../helpers/databases.ts';
import { bossSchema, collectingLog, jobEvents, runtimeFor, waitUntil, type LogEntry } from './helpers.ts';

/**
 * A msgaudit_notify applied from the inbox pulls that corp's archive at once, not at the next poll;
 * a nudge runs the inbox at once. processInbox is the callbacks' (a stand-in here, telling which
 * corps were notified).
 */

const inbox = vi.hoisted(() => ({ notify: [] as string[], passes: 0 }));
vi.mock('../../src/services/events.ts', () => ({
  processInbox: async () => {
    inbox.passes++;
    const archiveNotified = inbox.notify.splice(0);
    return { applied: archiveNotified.length, failed: 0, parked: 0, archiveNotified };
  },
}));

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
beforeAll(async () => { world = await startArchiveWorld({ messages: 300 }, 19); });
afterAll(() => world?.close());
let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  cleanups = [];
});

describeDatabases('archive notification', (getDatabase, dialect) => it('pulls a notified corp at once, and a nudge runs the inbox at once', async () => {
  const database = getDatabase();
  const schema = dialect === 'postgres' ? bossSchema() : undefined;
  if (schema) cleanups.push(() => schema.drop());
  inbox.passes = 0;
  // An hour between polls and between inbox passes: only the notification and the nudge can explain a second run.
  const rt = await runtimeFor(world.configFile, { ...dbEnv(database), SYNC_INTERVAL_HOURS: '0', RECONCILE_INTERVAL_HOURS: '0', ARCHIVE_POLL_SECONDS: '3600' });
  cleanups.push(() => rt.close());
  const entries: LogEntry[] = [];
  const background = await startBackground(rt, collectingLog(entries, 'serve'), { inboxPollMs: 3_600_000, pgBossSchema: schema?.name, queuePollMs: 100 });
  cleanups.push(() => background.stop());
  const queue = `archive-${world.sandbox.corpId}`;
  const ends = () => jobEvents(entries, queue).filter(([, kind]) => kind === 'end').length;
  await waitUntil(() => ends() === 1 && inbox.passes >= 1, 'the first poll and inbox pass');

  inbox.notify.push(world.sandbox.corpId);
  background.nudgeInbox();
  await waitUntil(() => ends() === 2, 'the pull the notification asked for');
  expect(entries.some((e) => e.message === 'inbox events applied' && (e.fields.archiveNotified as string[]).includes(world.sandbox.corpId))).toBe(true);
  expect(entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
  await background.stop();
}));

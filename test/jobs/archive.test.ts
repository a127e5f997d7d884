import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { startBackground, type Background } from '../../src/jobs/index.ts';
import type { Runtime } from '../../src/services/runtime.ts';
import { acquireLease } from '../../src/store/lease.ts';
import { dbEnv, dumpOf, SANDBOX_NOW, startArchiveWorld, type ArchiveWorld } from '../archive/helpers.ts';
import { describeDatabases } from '../helpers/databases.ts';
import { bossSchema, collectingLog, jobEvents, neverOverlapped, runtimeFor, waitUntil, type LogEntry } from './helpers.ts';

/**
 * The archive poll in the background: pull then media, every ARCHIVE_POLL_SECONDS, one puller per
 * corp. Two workers on one PostgreSQL store never pull the corp at once and both keep running; a
 * corp whose lease another process holds is said once (not an error) and pulled once it is free;
 * stop() during a pull waits for it and releases the lease.
 */

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

let world: ArchiveWorld;
beforeAll(async () => { world = await startArchiveWorld({ messages: 1500 }, 17); });
beforeEach(() => world.sandbox.clock.set(new Date(SANDBOX_NOW)));
afterAll(() => world?.close());

let cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  cleanups = [];
});

const NO_SYNC = { SYNC_INTERVAL_HOURS: '0', RECONCILE_INTERVAL_HOURS: '0', ARCHIVE_POLL_SECONDS: '1' };

describeDatabases('background archive', (getDatabase, dialect) => {
  const corpId = () => world.sandbox.corpId;
  const queue = () => `archive-${corpId()}`;

  async function worker(entries: LogEntry[], who: string, schema?: string): Promise<{ rt: Runtime; background: Background }> {
    const rt = await runtimeFor(world.configFile, { ...dbEnv(getDatabase()), ...NO_SYNC });
    cleanups.push(() => rt.close());
    const background = await startBackground(rt, collectingLog(entries, who), { pgBossSchema: schema, queuePollMs: 100 });
    cleanups.push(() => background.stop());
    return { rt, background };
  }

  function schemaFor(): string | undefined {
    if (dialect === 'sqlite') return undefined;
    const schema = bossSchema();
    cleanups.push(() => schema.drop());
    return schema.name;
  }

  const stored = async () => (await dumpOf(getDatabase(), corpId())).messages.length;
  const problems = (entries: LogEntry[]) => entries.filter((e) => e.level === 'warn' || e.level === 'error');

  // Several workers share a queue only on PostgreSQL (on SQLite a worker is refused: serve runs the jobs).
  if (dialect === 'postgres') it('two workers: one pulls at a time, both keep running, everything is stored once', async () => {
    const schema = schemaFor();
    const entries: LogEntry[] = [];
    await worker(entries, 'a', schema);
    await worker(entries, 'b', schema);
    const before = world.archive.instance!.archive.window();
    await waitUntil(async () => (await stored()) === before.last - before.first + 1, 'the first pull');
    // Two hours pass at WeCom: new messages arrive, and a later poll (on either worker) pulls them.
    world.sandbox.clock.advance(2 * 3_600_000);
    const after = world.archive.instance!.archive.window();
    expect(after.last).toBeGreaterThan(before.last);
    const total = after.last - before.first + 1;
    await waitUntil(async () => (await stored()) === total, 'the messages that arrived later');
    const ran = (who: string) => jobEvents(entries, queue()).some(([w, kind]) => w === who && kind === 'start');
    await waitUntil(() => ran('a') && ran('b'), 'archive jobs on both workers');
    expect(neverOverlapped(jobEvents(entries, queue()))).toBe(true);
    expect(problems(entries)).toEqual([]);
  });

  it('a corp whose lease another process holds is said once, not as an error, and pulled once free', async () => {
    const entries: LogEntry[] = [];
    const { rt } = await (async () => {
      const held = await acquireLease(await (await runtimeFor(world.configFile, dbEnv(getDatabase()))).store(), `archive-${corpId()}`);
      cleanups.push(() => held.release());
      const made = await worker(entries, 'a', schemaFor());
      await waitUntil(() => jobEvents(entries, queue()).filter(([, kind]) => kind === 'end').length >= 3, 'three polls while the lease is held');
      expect(entries.filter((e) => e.message.includes('standing by') && e.level === 'info')).toHaveLength(1);
      expect(problems(entries)).toEqual([]);
      expect(await stored()).toBe(0);
      await held.release();
      return made;
    })();
    await waitUntil(async () => (await stored()) === world.archive.instance!.archive.availableCount(), 'the pull once the lease is free');
    expect(problems(entries)).toEqual([]);
    expect(rt.corpIds).toEqual([corpId()]);
  });

  it('stop() during a pull waits for it, then the lease is free', async () => {
    const entries: LogEntry[] = [];
    const { rt, background } = await worker(entries, 'a', schemaFor());
    await waitUntil(() => jobEvents(entries, queue()).some(([, kind]) => kind === 'start'), 'a pull to start');
    await background.stop();
    const events = jobEvents(entries, queue());
    expect(events.at(-1)![1]).toBe('end');
    expect(neverOverlapped(events)).toBe(true);
    expect(entries.at(-1)!.message).toBe('background jobs stopped');
    const lease = await acquireLease(await rt.store(), `archive-${corpId()}`);
    await lease.release();
    expect(problems(entries)).toEqual([]);
  });
});

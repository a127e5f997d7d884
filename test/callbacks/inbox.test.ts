import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { backoffMs, listEvents, MAX_ATTEMPTS, processInbox, replayEvents, showEvent } from '../../src/services/events.ts';
import { runtimeOf } from '../../src/services/runtime.ts';
import { inboxRepository } from '../../src/store/inbox.repository.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import { deliver, eventXml, openWorld, type World } from './helpers.ts';

/**
 * Applying the inbox without WeCom: delete_party and msgaudit_notify need no API call, and the corp
 * here has no secret, so any event that reads from WeCom fails at once (a deterministic failure).
 */

/** Each at its own CreateTime: the same change of the same record in the same second is one event (a retry). */
let second = Math.floor(Date.now() / 1000) - 200;
const party = (world: World, changeType: string, id: number, extra: Record<string, string> = {}) =>
  deliver(world, 'contacts', eventXml(world.corpId, { Event: 'change_contact', ChangeType: changeType, Id: String(id), ...extra }, (second += 1)));

async function statuses(world: World): Promise<Array<[number, string, string]>> {
  const store = await world.runtime.store();
  const rows = await store.db.selectFrom('callback_inbox').select(['id', 'event_kind', 'status']).orderBy('id').execute();
  return rows.map((r) => [Number(r.id), r.event_kind, r.status]);
}

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`processInbox [${dialect}]`, () => {
    let world: World;
    beforeEach(async () => { world = await openWorld(dialect); });
    afterEach(async () => { await world?.close(); });

    it('applies events, keeps them as rows, and reports the corps whose archive to pull', async () => {
      await party(world, 'delete_party', 7);
      await deliver(world, 'archive', eventXml(world.corpId, { Event: 'msgaudit_notify', AgentID: '2000004' }));
      const run = await processInbox(world.runtime);
      expect(run).toEqual({ applied: 2, failed: 0, parked: 0, archiveNotified: [world.corpId] });
      const list = await listEvents(world.runtime, { limit: 10 });
      expect(list.events.map((e) => [e.eventKind, e.status, e.effect.change])).toEqual([
        ['msgaudit_notify', 'applied', 'archive_notified'], ['change_contact.delete_party', 'applied', 'deleted'],
      ]);
      expect(list.events[1]!.effect).toEqual({ entity: 'departments', record: '7', actor: null, change: 'deleted' });
      expect(await processInbox(world.runtime)).toEqual({ applied: 0, failed: 0, parked: 0, archiveNotified: [] });
    });

    it('retries with backoff, parks after MAX_ATTEMPTS, holds back later events of the record, and replays', async () => {
      await party(world, 'update_party', 5, { Name: 'x' }); // needs department/get: fails (no secret)
      await party(world, 'delete_party', 5); // same record: waits for the first
      await party(world, 'delete_party', 6); // another record: not held back
      let clock = Date.now() + 1;
      const now = () => clock;
      expect(await processInbox(world.runtime, { now })).toMatchObject({ applied: 1, failed: 1, parked: 0 });
      expect((await statuses(world)).map((s) => s[2])).toEqual(['failed', 'pending', 'applied']);

      for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
        const failed = (await showEvent(world.runtime, 1));
        expect(failed.attempts).toBe(attempt);
        expect(failed.nextAttemptAt).toBe(clock + backoffMs(attempt));
        expect(failed.lastError).toMatch(/./);
        clock += backoffMs(attempt) - 1;
        expect(await processInbox(world.runtime, { now })).toMatchObject({ applied: 0, failed: 0, parked: 0 });
        clock += 1;
        const run = await processInbox(world.runtime, { now });
        expect(run).toMatchObject(attempt + 1 === MAX_ATTEMPTS ? { applied: 1, failed: 0, parked: 1 } : { applied: 0, failed: 1, parked: 0 });
      }
      // Parked, the first no longer holds the record: the delete went through in the same run.
      expect((await statuses(world)).map((s) => s[2])).toEqual(['parked', 'applied', 'applied']);
      expect((await listEvents(world.runtime, { status: 'parked', limit: 5 })).events.map((e) => e.id)).toEqual([1]);

      expect(await replayEvents(world.runtime, { parked: true })).toEqual({ ok: true, replayed: [1] });
      expect(await showEvent(world.runtime, 1)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await replayEvents(world.runtime, { ids: [2, 3] })).toEqual({ ok: true, replayed: [] }); // applied ones stay
    });

    it('a batch whose shared write fails applies the others alone and fails only the bad event', async () => {
      for (const id of [21, 22, 23]) await party(world, 'delete_party', id);
      const store = await world.runtime.store();
      // The second event's `applied` mark is refused by the database, inside the batch's transaction.
      if (dialect === 'postgres') {
        await sql`create function refuse_second() returns trigger language plpgsql as $$ begin raise exception 'injected write failure'; end $$`.execute(store.db);
        await sql`create trigger refuse_second before update on callback_inbox for each row when (new.status = 'applied' and new.id = 2) execute function refuse_second()`.execute(store.db);
      } else {
        await sql`create trigger refuse_second before update of status on callback_inbox when new.status = 'applied' and new.id = 2 begin select raise(abort, 'injected write failure'); end`.execute(store.db);
      }
      expect(await processInbox(world.runtime)).toMatchObject({ applied: 2, failed: 1, parked: 0 });
      expect(await statuses(world)).toEqual([[1, 'change_contact.delete_party', 'applied'], [2, 'change_contact.delete_party', 'failed'], [3, 'change_contact.delete_party', 'applied']]);
      expect((await showEvent(world.runtime, 2)).lastError).toMatch(/injected write failure/);
    });

    it('a worker whose claim lapsed and was taken over cannot apply the event a second time', async () => {
      await party(world, 'delete_party', 9);
      const store = await world.runtime.store();
      const start = Date.now() + 1;
      const [stale] = await inboxRepository.claim(store.db, { limit: 1, now: start, leaseMs: 1000, token: 'worker-a' });
      expect(stale).toBeDefined();
      expect(await processInbox(world.runtime, { now: () => start + 500 })).toMatchObject({ applied: 0 }); // still held
      expect(await processInbox(world.runtime, { now: () => start + 1001 })).toMatchObject({ applied: 1 }); // lapsed: taken over
      const effect = { entity: null, record: null, actor: null, change: 'twice' };
      expect(await store.db.transaction().execute((trx) => inboxRepository.markApplied(trx, stale!.id, 'worker-a', start, effect))).toBe(false);
      expect(await showEvent(world.runtime, stale!.id)).toMatchObject({ status: 'applied', effect: { change: 'deleted' } });
    });

    it('pages the list backwards with before and says when it is truncated', async () => {
      for (let id = 1; id <= 5; id++) await party(world, 'delete_party', id);
      const first = await listEvents(world.runtime, { limit: 2 });
      expect([first.events.map((e) => e.id), first.truncated]).toEqual([[5, 4], true]);
      const last = await listEvents(world.runtime, { limit: 3, before: 3 });
      expect([last.events.map((e) => e.id), last.truncated]).toEqual([[2, 1], false]);
      await expect(showEvent(world.runtime, 99)).rejects.toMatchObject({ code: 'event_unknown' });
    });

    if (dialect === 'postgres') it('applies each event exactly once with several workers at once', async () => {
      const events = 120;
      for (let i = 0; i < events; i++) await party(world, 'delete_party', 1000 + (i % 40)); // 40 records, 3 events each
      const workers = Array.from({ length: 4 }, () => runtimeOf(world.runtime.deployment));
      try {
        const applied = await Promise.all(workers.map(async (rt) => {
          let count = 0;
          for (;;) {
            const run = await processInbox(rt, { limit: 7 });
            count += run.applied;
            expect(run.failed).toBe(0);
            if (run.applied === 0) {
              // Others may still hold claims of records that block this worker: done when nothing is left.
              const left = await listEvents(rt, { status: 'pending', limit: 1 });
              if (left.events.length === 0) return count;
            }
          }
        }));
        expect(applied.reduce((a, b) => a + b, 0)).toBe(events);
        expect(applied.filter((n) => n > 0).length).toBeGreaterThan(1);
        expect((await statuses(world)).every((s) => s[2] === 'applied')).toBe(true);
      } finally {
        await Promise.all(workers.map((rt) => rt.close()));
      }
    }, 60_000);
  });
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { asActor } from '../../src/services/access.ts';
import { listEvents, processInbox, showEvent } from '../../src/services/events.ts';
import { NO_ACCESS_CONTEXT } from '../../src/services/runtime.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import { runCli } from '../helpers/cli.ts';
import { bareServer, deliver, eventXml, openWorld, type World } from './helpers.ts';

/** The faces over the inbox: `events` in the CLI, /api/v1/events on a bare Fastify. */

async function seed(world: World): Promise<void> {
  const at = Math.floor(Date.now() / 1000) - 10;
  await deliver(world, 'contacts', eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'delete_party', Id: '4' }, at));
  await deliver(world, 'contacts', eventXml(world.corpId, { Event: 'change_contact', ChangeType: 'delete_party', Id: '5' }, at + 1));
  await deliver(world, 'archive', eventXml(world.corpId, { Event: 'msgaudit_notify' }, at + 2));
  await processInbox(world.runtime);
  // As if event 2 had failed MAX_ATTEMPTS times.
  const store = await world.runtime.store();
  await store.db.updateTable('callback_inbox').set({ status: 'parked', attempts: 8, last_error: 'boom' }).where('id', '=', 2).execute();
}

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`events faces [${dialect}]`, () => {
    let world: World;
    beforeEach(async () => { world = await openWorld(dialect); await seed(world); });
    afterEach(async () => { await world?.close(); });

    it('the CLI lists, filters, shows and replays', async () => {
      const file = join(world.database.dataDir, 'wecom.env');
      writeFileSync(file, [`CORP_ID=${world.corpId}`, `DATA_DIR=${world.database.dataDir}`, ...(world.database.databaseUrl ? [`DATABASE_URL=${world.database.databaseUrl}`] : [])].join('\n'));
      const cli = (...args: string[]) => runCli(['--config', file, ...args]);

      const list = await cli('events', '--json');
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout).events.map((e: { id: number; status: string }) => [e.id, e.status])).toEqual([[3, 'applied'], [2, 'parked'], [1, 'applied']]);
      const table = await cli('events', '--status', 'parked');
      expect(table.stdout).toContain('已搁置');
      expect(table.stdout).toContain('boom');
      expect(table.stdout).not.toContain('msgaudit_notify');
      const show = await cli('events', 'show', '3', '--lang', 'en');
      expect(show.stdout).toContain('msgaudit_notify (archive)');
      expect(show.stdout).toContain('<Event><![CDATA[msgaudit_notify]]></Event>');
      const replay = await cli('events', 'replay', '--parked', '--json');
      expect(JSON.parse(replay.stdout)).toEqual({ ok: true, replayed: [2] });
      const again = await cli('events', 'replay', '1');
      expect(again.stdout).toContain('没有可重放的事件');
      const bad = await cli('events', '--status', 'lost');
      expect(bad.code).toBe(2);
    }, 60_000);

    it('shows an auditor limited to other corps none of this corp\'s events, as if there were none', async () => {
      const actor = { kind: 'token' as const, tokenId: 't', name: 'other-corp', role: 'auditor' as const, corps: ['wwSomeOtherCorp'], departments: [] };
      const elsewhere = asActor(world.runtime, actor, NO_ACCESS_CONTEXT);
      expect((await listEvents(elsewhere, { limit: 10 })).events).toEqual([]);
      await expect(showEvent(elsewhere, 3)).rejects.toMatchObject({ code: 'event_unknown' });
      const here = asActor(world.runtime, { ...actor, corps: [world.corpId] }, NO_ACCESS_CONTEXT);
      expect((await listEvents(here, { limit: 10 })).events.map((e) => e.id)).toEqual([3, 2, 1]);
      expect((await showEvent(here, 3)).eventKind).toBe('msgaudit_notify');
    });

    describe('the API', () => {
      let app: FastifyInstance;
      beforeEach(async () => { app = await bareServer(world.runtime); });
      afterEach(async () => { await app?.close(); });

      it('GET /api/v1/events lists with filters and validates them; POST /api/v1/events/replay replays', async () => {
        const parked = await app.inject({ method: 'GET', url: '/api/v1/events?status=parked&limit=5' });
        expect(parked.statusCode).toBe(200);
        expect(parked.json()).toMatchObject({ ok: true, truncated: false, events: [{ id: 2, status: 'parked', lastError: 'boom', effect: { entity: 'departments', record: '5' } }] });
        const page = await app.inject({ method: 'GET', url: '/api/v1/events?limit=1&before=3' });
        expect(page.json()).toMatchObject({ events: [{ id: 2 }], truncated: true });
        for (const url of ['/api/v1/events?status=lost', '/api/v1/events?limit=0', '/api/v1/events?limit=abc', '/api/v1/events?nope=1']) {
          expect((await app.inject({ method: 'GET', url })).statusCode).toBe(400);
        }
        const replay = await app.inject({ method: 'POST', url: '/api/v1/events/replay', payload: { ids: [2, 3] } });
        expect(replay.json()).toEqual({ ok: true, replayed: [2] });
        expect((await app.inject({ method: 'POST', url: '/api/v1/events/replay', payload: { ids: [] } })).statusCode).toBe(400);
        expect((await app.inject({ method: 'POST', url: '/api/v1/events/replay', payload: { parked: true } })).json()).toEqual({ ok: true, replayed: [] });
      });

      it('the callback route answers WeCom on the same server, and refusals carry no body', async () => {
        const res = await app.inject({ method: 'POST', url: `/callback/${world.corpId}/nope`, payload: '<xml/>', headers: { 'content-type': 'text/xml' } });
        expect([res.statusCode, res.body]).toEqual([404, '']);
        const big = await app.inject({ method: 'POST', url: `/callback/${world.corpId}/contacts`, payload: 'x'.repeat(70_000), headers: { 'content-type': 'text/xml' } });
        expect([big.statusCode, big.body]).toEqual([413, '']);
      });
    });
  });
}

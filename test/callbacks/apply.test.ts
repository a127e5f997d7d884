import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { listEvents, processInbox } from '../../src/services/events.ts';
import type { Store } from '../../src/store/database.ts';
import { upsertRecords } from '../../src/store/records.ts';
import { customerRecord, groupRecord, relationRecord } from '../../src/sync/map-customers.ts';
import { departmentRecord, employeeRecord, memberTagRecord } from '../../src/sync/map-directory.ts';
import type { CallbackKind } from '../../src/config/keys.ts';
import type { User } from '../../src/wecom/types-directory.ts';
import type { BatchGetByUserRes, GroupchatGetRes } from '../../src/wecom/types-customer.ts';
import { DIALECTS, skipDialect } from '../helpers/databases.ts';
import { canonicalDump, startTestSandbox, syncWith } from '../sync/helpers.ts';
import { deliver, eventXml, openWorld, type World } from './helpers.ts';

/**
 * Every event family applied against the sandbox, then the proof: a full sync over the result
 * changes nothing, so the store equals what a fresh full sync gives. Records that exist only in
 * the store (deleted in "WeCom") are planted first; the sandbox's own state is changed through its
 * API (which sends no callback, as in WeCom), and the events that WeCom would send are delivered.
 */

type Entry = BatchGetByUserRes['external_contact_list'][number];

async function plantGhosts(store: Store, corpId: string, follower: string): Promise<void> {
  const ghost = (userid: string) => employeeRecord({ userid, name: '幽灵', department: [1] } as User);
  await upsertRecords(store.db, 'employees', corpId, [ghost('ghost1'), ghost('ghost2')], null);
  await upsertRecords(store.db, 'departments', corpId, [departmentRecord({ id: 99999, name: '幻', parentid: 1, order: 1 })], null);
  const entry = { external_contact: { external_userid: 'wmghost', name: '幻客', type: 1 }, follow_info: { userid: follower, createtime: 1 } } as Entry;
  await upsertRecords(store.db, 'customers', corpId, [customerRecord(entry)], null);
  await upsertRecords(store.db, 'follow_relations', corpId, [relationRecord(entry)], null);
  const group = { group_chat: { chat_id: 'wrghost', name: '幻群', owner: follower, create_time: 1, member_list: [], admin_list: [] } } as unknown as GroupchatGetRes;
  await upsertRecords(store.db, 'customer_groups', corpId, [groupRecord(group, 0)], null);
  await upsertRecords(store.db, 'member_tags', corpId, [memberTagRecord(99999, '幻', { tagname: '幻', userlist: [{ userid: 'ghost1', name: '' }], partylist: [] })], null);
}

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`applying every event family against the sandbox [${dialect}]`, () => {
    let sandbox: Sandbox;
    let world: World;
    let store: Store;
    beforeAll(async () => {
      sandbox = await startTestSandbox();
      world = await openWorld(dialect, { sandbox });
      store = await world.runtime.store();
      await syncWith(store, sandbox);
    }, 120_000);
    afterAll(async () => { await world?.close(); await sandbox?.close(); });

    it('leaves the store as a fresh full sync would, and keeps who did what', async () => {
      const corpId = world.corpId;
      const live = <T>(rows: T[]) => rows;
      const relations = live(await store.db.selectFrom('follow_relations').select(['userid', 'external_userid']).where('deleted_at', 'is', null).orderBy('userid').orderBy('external_userid').limit(3).execute());
      const [rel, rel2] = relations as [typeof relations[0], typeof relations[0]];
      const employee = (await store.db.selectFrom('employees').select('userid').where('deleted_at', 'is', null).where('userid', '<>', rel.userid).orderBy('userid').executeTakeFirstOrThrow()).userid;
      const department = (await store.db.selectFrom('departments').select('department_id').where('department_id', '<>', 1).orderBy('department_id').executeTakeFirstOrThrow()).department_id;
      const group = (await store.db.selectFrom('customer_groups').select('chat_id').orderBy('chat_id').executeTakeFirstOrThrow()).chat_id;
      const memberTag = await store.db.selectFrom('member_tags').select('tag_id').orderBy('tag_id').executeTakeFirst();
      await plantGhosts(store, corpId, rel.userid);

      // Changes people make in WeCom (through the API here: no callback is sent for them).
      const client = await world.runtime.client(corpId);
      await client.call('externalcontact.remark', { userid: rel.userid, external_userid: rel.external_userid, remark: '回调改过' });
      const added = await client.call('externalcontact.addCorpTag', { group_name: '回调测试组', tag: [{ name: '新标签' }] });
      const newTag = added.tag_group.tag[0]!.id;
      await client.call('externalcontact.markTag', { userid: rel.userid, external_userid: rel.external_userid, add_tag: [newTag] });
      await client.call('externalcontact.editCorpTag', { id: newTag, name: '改名标签' });

      const events: Array<[CallbackKind, Record<string, string | number | string[]>]> = [
        ['contacts', { Event: 'change_contact', ChangeType: 'delete_user', UserID: 'ghost1' }],
        ['contacts', { Event: 'change_contact', ChangeType: 'update_user', UserID: 'ghost2', NewUserID: employee }],
        ['contacts', { Event: 'change_contact', ChangeType: 'create_user', UserID: employee, Name: 'x' }],
        ['contacts', { Event: 'change_contact', ChangeType: 'update_party', Id: String(department), Name: 'y' }],
        ['app', { Event: 'change_contact', ChangeType: 'create_party', Id: String(department), Name: 'y', ParentId: '1', Order: 1 }],
        ['contacts', { Event: 'change_contact', ChangeType: 'delete_party', Id: '99999' }],
        ['contacts', { Event: 'change_contact', ChangeType: 'update_tag', TagId: '99999', DelUserItems: 'ghost1' }],
        ...(memberTag ? [['contacts', { Event: 'change_contact', ChangeType: 'update_tag', TagId: String(memberTag.tag_id), AddUserItems: employee }] as [CallbackKind, Record<string, string>]] : []),
        ['customer', { Event: 'change_external_contact', ChangeType: 'del_external_contact', UserID: rel.userid, ExternalUserID: 'wmghost' }],
        ['customer', { Event: 'change_external_contact', ChangeType: 'edit_external_contact', UserID: rel.userid, ExternalUserID: rel.external_userid }],
        ['customer', { Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: rel2.userid, ExternalUserID: rel2.external_userid, State: 's', WelcomeCode: 'w' }],
        ['customer', { Event: 'change_external_contact', ChangeType: 'add_half_external_contact', UserID: rel2.userid, ExternalUserID: rel2.external_userid, State: 's2' }],
        ['customer', { Event: 'change_external_contact', ChangeType: 'del_follow_user', UserID: rel2.userid, ExternalUserID: rel2.external_userid }],
        ['customer', { Event: 'change_external_contact', ChangeType: 'transfer_fail', UserID: rel2.userid, ExternalUserID: rel2.external_userid, FailReason: 'customer_refused' }],
        ['customer', { Event: 'change_external_contact', ChangeType: 'msg_audit_approved', UserID: rel.userid, ExternalUserID: rel.external_userid, WelcomeCode: 'w' }],
        ['customer', { Event: 'change_external_chat', ChangeType: 'create', ChatId: group }],
        ...['add_member', 'del_member', 'change_owner', 'change_name', 'change_notice'].map((detail, i) => ['customer', {
          Event: 'change_external_chat', ChangeType: 'update', ChatId: group, UpdateDetail: detail, JoinScene: 0, MemChangeCnt: 1,
          MemChangeList: [`wm${i}`], LastMemVer: `v${i}`, CurMemVer: `v${i + 1}`,
        }] as [CallbackKind, Record<string, string | number | string[]>]),
        ['customer', { Event: 'change_external_chat', ChangeType: 'dismiss', ChatId: 'wrghost' }],
        ['customer', { Event: 'change_external_tag', ChangeType: 'create', Id: added.tag_group.group_id, TagType: 'tag_group' }],
        ['customer', { Event: 'change_external_tag', ChangeType: 'update', Id: newTag, TagType: 'tag' }],
        ['customer', { Event: 'change_external_tag', ChangeType: 'delete', Id: 'etgone', TagType: 'tag' }],
        ['customer', { Event: 'change_external_tag', ChangeType: 'shuffle', Id: '' }],
        ['archive', { Event: 'msgaudit_notify', AgentID: '2000004' }],
      ];
      for (const [kind, fields] of events) expect((await deliver(world, kind, eventXml(corpId, fields))).status).toBe(200);

      const run = await processInbox(world.runtime, { limit: 1000 });
      expect(run).toEqual({ applied: events.length, failed: 0, parked: 0, archiveNotified: [corpId] });

      const ghosts = await store.db.selectFrom('employees').select(['userid', 'deleted_at']).where('userid', 'in', ['ghost1', 'ghost2']).orderBy('userid').execute();
      expect(ghosts.map((g) => g.deleted_at !== null)).toEqual([true, true]);
      const gone = await store.db.selectFrom('customers').select('deleted_at').where('external_userid', '=', 'wmghost').executeTakeFirstOrThrow();
      expect(gone.deleted_at).not.toBeNull();
      const remark = await store.db.selectFrom('follow_relations').select('remark').where('userid', '=', rel.userid).where('external_userid', '=', rel.external_userid).executeTakeFirstOrThrow();
      expect(remark.remark).toBe('回调改过');
      const consent = await store.db.selectFrom('archive_consents').selectAll().where('external_userid', '=', rel.external_userid).where('source', '=', 'callback').execute();
      expect(consent).toMatchObject([{ party_kind: 'employee', party_id: rel.userid, status: 'Agree' }]);
      const { events: applied } = await listEvents(world.runtime, { limit: 100 });
      expect(applied.find((e) => e.eventKind === 'change_external_contact.del_external_contact')!.effect)
        .toEqual({ entity: 'follow_relations', record: `${rel.userid}/wmghost`, actor: rel.userid, change: 'deleted_by_member' });
      expect(applied.find((e) => e.eventKind === 'change_external_contact.del_follow_user')!.effect)
        .toMatchObject({ actor: rel2.external_userid, change: 'deleted_by_customer' });

      // The proof: a full sync over the result finds nothing to change.
      const afterEvents = await canonicalDump(store.db, corpId);
      await syncWith(store, sandbox);
      expect(await canonicalDump(store.db, corpId)).toEqual(afterEvents);
    }, 120_000);

    it('with the contact-sync secret alone (refused details, 48009): members and departments as the sync reads them', async () => {
      const contactsOnly = await openWorld(dialect, { sandbox, withoutKeys: ['APP_SECRET'] });
      try {
        const own = await contactsOnly.runtime.store();
        await syncWith(own, sandbox, { kinds: ['contacts', 'customer'], scopes: ['directory'] });
        const department = (await own.db.selectFrom('departments').select('department_id').where('department_id', '<>', 1).orderBy('department_id').executeTakeFirstOrThrow()).department_id;
        const before = await canonicalDump(own.db, contactsOnly.corpId);
        const userid = (await own.db.selectFrom('employees').select('userid').orderBy('userid').executeTakeFirstOrThrow()).userid;
        await own.db.updateTable('departments').set({ hash: 'stale' }).where('department_id', '=', department).execute();
        await own.db.updateTable('employees').set({ hash: 'stale' }).where('userid', '=', userid).execute();
        for (const fields of <Array<Record<string, string>>>[
          { Event: 'change_contact', ChangeType: 'update_party', Id: String(department), Name: 'x' },
          { Event: 'change_contact', ChangeType: 'update_user', UserID: userid, Position: 'x' },
          { Event: 'change_contact', ChangeType: 'update_tag', TagId: '1', AddUserItems: userid },
        ]) await deliver(contactsOnly, 'contacts', eventXml(contactsOnly.corpId, fields));
        const run = await processInbox(contactsOnly.runtime);
        expect(run, JSON.stringify((await listEvents(contactsOnly.runtime, { limit: 3 })).events)).toMatchObject({ applied: 3, failed: 0 });
        expect(await canonicalDump(own.db, contactsOnly.corpId)).toEqual(before);
      } finally {
        await contactsOnly.close();
      }
    }, 120_000);
  });
}

import { afterAll, beforeAll, expect, it } from 'vitest';
import { consentHistory, coverageReport } from '../../src/archive/coverage/report.ts';
import { refreshCoverage } from '../../src/archive/coverage/refresh.ts';
import { renderCoverage } from '../../src/archive/coverage/render.ts';
import { conversationTitle, listConversations, participantIds } from '../../src/archive/reading/conversations.ts';
import type { SandboxArchive } from '../../src/sandbox/archive/archive.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { runSync } from '../../src/sync/run.ts';
import { clientFromConfig } from '../../src/wecom/client.ts';
import { describeStores } from '../helpers/databases.ts';
import { sandboxConfig } from '../helpers/sandbox-config.ts';
import { ingestWindow, NOW, startCoverageSandbox } from './helpers.ts';

/**
 * Coverage against the sandbox, whose company has members without an archive licence, customers who
 * refuse, internal groups and robots; the truth each answer is checked against comes from the
 * sandbox's own generator.
 */

let sandbox: Sandbox;
let archive: SandboxArchive;

beforeAll(async () => {
  ({ sandbox, archive } = await startCoverageSandbox());
});
afterAll(() => sandbox?.close());

describeStores('archive coverage against the sandbox', (getStore) => {
  it('lists the unarchived members, the refusing customers with their time, and names groups and robots', async () => {
    const { db } = getStore();
    const { config } = await sandboxConfig(sandbox);
    const corpId = config.corpId!;
    const client = clientFromConfig(config, { retryPolicy: 'test' });
    try {
      // Customer groups are deliberately not synced: their names must come through 301059 → externalcontact.
      expect((await runSync({ store: getStore(), corpId, client, scopes: ['directory', 'customers'] })).status).toBe('succeeded');
      await ingestWindow(db, corpId, archive);
      const outcome = await refreshCoverage({ db, corpId, client, now: () => NOW.getTime() });
      expect(outcome.permits).toMatchObject({ ok: true, skipped: [] });
      expect(outcome.names).toMatchObject({ ok: true, skipped: [] });
      expect(outcome.consent).toMatchObject({ ok: true, skipped: [] });
    } finally {
      await client.close();
    }
    const { company } = sandbox;
    const report = await coverageReport(db, corpId, 1000);

    // Members: the permit list is exactly the licensed members; the others are listed by name.
    const licensed = archive.generator.cast.licensed;
    expect(report.permits.permitted).toBe(licensed.length);
    const directory = (await db.selectFrom('employees').select('userid').where('deleted_at', 'is', null).execute()).map((e) => e.userid);
    const unlicensed = directory.filter((id) => company.employeeByUserid(id)!.archiveLicense === 0).sort();
    expect(unlicensed.length).toBeGreaterThan(0);
    expect(report.permits.notArchived.map((p) => p.id).sort()).toEqual(unlicensed);
    expect(report.permits.notArchived[0]!.name).toBe(company.employeeByUserid(report.permits.notArchived[0]!.id)!.name);
    expect(report.permits.archived + unlicensed.length).toBe(report.permits.directory);

    // Consent: every (customer, member or group) the sandbox says refuses, with WeCom's time.
    const atIndex = archive.timeline.lastAtOrBefore(NOW.getTime());
    const status = (employee: number, customer: number) => archive.generator.consent.status(employee, customer, atIndex);
    const expected = new Map<string, number>();
    const conversations = await db.selectFrom('conversations').select(['conversation_id', 'kind']).execute();
    for (const c of conversations) {
      if (c.kind === 'single') {
        const people = participantIds(c.conversation_id, 'single');
        const member = people.map((id) => company.employeeByUserid(id)).find(Boolean);
        const customer = people.map((id) => company.customerByExternalUserid(id)).find(Boolean);
        if (!member || !customer) continue;
        const s = status(member.index, customer.index);
        if (!s.agree) expected.set(`${customer.external_userid}|employee|${member.userid}`, s.changedAt);
      } else if (company.groupByChatId(c.conversation_id)) {
        for (const id of company.groupByChatId(c.conversation_id)!.memberCustomerIds) {
          const customer = company.customerByExternalUserid(id)!;
          const s = status(archive.generator.cast.consentFollower(customer.index) ?? company.followersOf(customer.index)[0]!, customer.index);
          if (!s.agree) expected.set(`${id}|room|${c.conversation_id}`, s.changedAt);
        }
      }
    }
    expect(expected.size).toBeGreaterThan(0);
    expect(report.consent.refusingTotal).toBe(expected.size);
    for (const refusal of report.consent.refusing) {
      const changedAt = expected.get(`${refusal.customer.id}|${refusal.party.kind}|${refusal.party.id}`);
      expect(changedAt, refusal.customer.id).toBeDefined();
      // WeCom's answer is in seconds; a disagree message in the archive carries the exact ms.
      expect(refusal.time).toBe(refusal.source === 'api' ? Math.floor(changedAt! / 1000) * 1000 : changedAt);
      expect(refusal.customer.name).toBe(company.customerByExternalUserid(refusal.customer.id)!.name);
    }
    // The archive's own disagree messages are kept with their time, whatever WeCom says later.
    const disagreements = await db.selectFrom('messages').select(['msgid', 'msgtime']).where('msgtype', '=', 'disagree').execute();
    expect(disagreements.length).toBeGreaterThan(0);
    for (const message of disagreements) {
      const row = await db.selectFrom('archive_consents').selectAll().where('msgid', '=', message.msgid).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'Disagree', source: 'message', status_change_time: message.msgtime, party_kind: 'employee' });
    }
    // …and on the customer's record, beside what WeCom answered, with the member's name.
    const refused = disagreements[0]!;
    const row = await db.selectFrom('archive_consents').selectAll().where('msgid', '=', refused.msgid).executeTakeFirstOrThrow();
    const history = await consentHistory(db, corpId, row.external_userid);
    expect(history).toContainEqual(expect.objectContaining({
      status: 'Disagree', source: 'message', time: refused.msgtime, msgid: refused.msgid,
      party: { kind: 'employee', id: row.party_id, name: company.employeeByUserid(row.party_id)!.name },
    }));
    expect(history.some((h) => h.source === 'api')).toBe(true);
    expect(history.map((h) => h.time)).toEqual([...history.map((h) => h.time)].sort((a, b) => b - a));
    expect(report.consent.fromMessages).toBe(await db.selectFrom('messages').select('msgid')
      .where('msgtype', 'in', ['agree', 'disagree']).execute().then((r) => r.length));

    // Names: internal groups through msgaudit, customer groups through externalcontact, robots.
    const groups = conversations.filter((c) => c.kind === 'group');
    const internal = groups.filter((g) => company.internalGroupByRoomid(g.conversation_id));
    expect(internal.length).toBeGreaterThan(0);
    expect(report.names).toMatchObject({ groups: groups.length, unnamedTotal: 0, byType: { internal: internal.length, customer: groups.length - internal.length } });
    const listed = await listConversations(db, corpId, { kind: 'group', limit: 1000 });
    for (const summary of listed) {
      const truth = company.internalGroupByRoomid(summary.id)?.name ?? company.groupByChatId(summary.id)!.name;
      expect(conversationTitle(summary, 'zh')).toBe(truth);
      expect(summary.room?.type).toBe(company.internalGroupByRoomid(summary.id) ? 'internal' : 'customer');
    }
    expect(report.names.robots.length).toBeGreaterThan(0);
    for (const robot of report.names.robots) expect(robot).toMatchObject({ name: company.robotById(robot.id)!.name, error: null });

    const text = renderCoverage(report, 'zh');
    expect(text).toContain(`未开启存档（${unlicensed.length}）`);
    expect(text).toContain(report.permits.notArchived[0]!.name!);
    expect(text).toContain(`客户${report.consent.refusing[0]!.customer.name}`);
    // A cut list says how many it left out and how to see them; `--all` shows every one.
    const refusalLines = (rendered: string) => report.consent.refusing.filter((r) => rendered.includes(`客户${r.customer.name}`)).length;
    const short = renderCoverage(report, 'zh', undefined, 2);
    expect(report.consent.refusingTotal).toBeGreaterThan(2);
    expect(short).toContain(`…另有 ${report.consent.refusingTotal - 2} 项（加 --all 查看全部）`);
    expect(refusalLines(renderCoverage(report, 'zh', undefined, Infinity))).toBe(report.consent.refusing.length);
    expect(renderCoverage(report, 'zh', undefined, Infinity)).not.toContain('--all');
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { coverageDoctorChecks } from '../../src/archive/coverage/doctor.ts';
import { refreshCoverage } from '../../src/archive/coverage/refresh.ts';
import { coverageReport } from '../../src/archive/coverage/report.ts';
import { formatTime } from '../../src/archive/reading/time.ts';
import type { SandboxArchive } from '../../src/sandbox/archive/archive.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { openStore } from '../../src/store/open.ts';
import { runSync } from '../../src/sync/run.ts';
import { clientFromConfig } from '../../src/wecom/client.ts';
import { runCli } from '../helpers/cli.ts';
import { createTestDatabase, DIALECTS, skipDialect } from '../helpers/databases.ts';
import { sandboxConfig } from '../helpers/sandbox-config.ts';
import { ingestOne, ingestWindow, NOW, startCoverageSandbox } from './helpers.ts';

/**
 * What WeCom refuses does not stop the refresh: a member who left (60111) costs only their pairs,
 * customer groups without customer-contact access stay unnamed with the reason; `doctor`,
 * `archive coverage` and `archive status` show it.
 */

// A sync and several real CLI processes per test; the bound is a safety net for a loaded machine, not a timing claim.
vi.setConfig({ testTimeout: 180_000 });

let sandbox: Sandbox;
let archive: SandboxArchive;

beforeAll(async () => {
  ({ sandbox, archive } = await startCoverageSandbox());
});
afterAll(() => sandbox?.close());

for (const dialect of DIALECTS) {
  describe.skipIf(skipDialect(dialect))(`coverage with refusals [${dialect}]`, () => {
    it('skips what WeCom refuses, keeps the rest; doctor, archive coverage and archive status show it', async () => {
      const database = await createTestDatabase(dialect);
      let unseen = '';
      const where = { DATA_DIR: database.dataDir, ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}) };
      const { config, file, env } = await sandboxConfig(sandbox, where);
      const corpId = config.corpId!;
      const store = await openStore({ dataDir: database.dataDir, databaseUrl: database.databaseUrl });
      const full = clientFromConfig(config, { retryPolicy: 'test' });
      // Only the archive secret: customer groups cannot be named through externalcontact.
      const archiveOnly = clientFromConfig(config, { retryPolicy: 'test', secrets: { archive: config.secrets.archive } });
      try {
        const { db } = store;
        await runSync({ store, corpId, client: full, scopes: ['directory', 'customers'] });
        const { last } = await ingestWindow(db, corpId, archive);
        const customer = sandbox.company.customer(0).external_userid;
        await ingestOne(db, corpId, BigInt(last + 2), {
          msgid: 'ghost-1', action: 'send', from: 'ghostuser', tolist: [customer], roomid: '', msgtime: NOW.getTime() - 1000,
          msgtype: 'text', text: { content: '我已离职' },
        });

        const outcome = await refreshCoverage({ db, corpId, client: archiveOnly, now: () => NOW.getTime() });
        expect(outcome.consent.ok).toBe(true);
        expect(outcome.consent.skipped).toEqual([expect.stringMatching(new RegExp(`^ghostuser ↔ ${customer}: 60111 `))]);
        const singles = await db.selectFrom('conversations').select('conversation_id').where('kind', '=', 'single').execute();
        const pairs = singles.filter((c) => c.conversation_id.split('|').some((id) => sandbox.company.customerByExternalUserid(id))
          && c.conversation_id.split('|').some((id) => sandbox.company.employeeByUserid(id)));
        expect(outcome.consent.counts.pairs).toBe(pairs.length);
        expect(outcome.names.ok).toBe(true);

        const report = await coverageReport(db, corpId);
        const customerGroups = (await db.selectFrom('conversations').select('conversation_id').where('kind', '=', 'group').execute())
          .filter((c) => sandbox.company.groupByChatId(c.conversation_id));
        expect(customerGroups.length).toBeGreaterThan(0);
        expect(report.names.unnamedTotal).toBe(customerGroups.length);
        expect(report.names.byType.customer).toBe(customerGroups.length);
        expect(report.names.unnamed[0]!.error).toMatch(/CUSTOMER_SECRET|APP_SECRET/);
        // Their consent is still asked with the archive secret alone.
        expect(outcome.consent.counts.rooms).toBe(customerGroups.length);

        const checks = await coverageDoctorChecks({ clientOptions: { retryPolicy: 'test' } })(config);
        const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
        const unlicensed = report.permits.notArchived;
        expect(byId['archive.coverage_members']).toMatchObject({ status: 'warn', vars: { count: unlicensed.length, total: report.permits.directory } });
        expect(String(byId['archive.coverage_members']!.vars!.names)).toContain(`${unlicensed[0]!.name} (${unlicensed[0]!.id})`);
        expect(byId['archive.coverage_consent']).toMatchObject({ status: 'warn', vars: { count: report.consent.refusingTotal } });
        expect(byId['archive.coverage_names']).toMatchObject({ status: 'warn', vars: { groups: customerGroups.length, robots: 0 } });

        const withConsent = new Set((await db.selectFrom('archive_consents').select('external_userid').execute()).map((r) => r.external_userid));
        unseen = (await db.selectFrom('customers').select('external_userid').orderBy('external_userid').execute())
          .map((r) => r.external_userid).find((id) => !withConsent.has(id))!;
        expect(unseen).toBeDefined();
      } finally {
        await full.close();
        await archiveOnly.close();
        await store.close();
      }

      // The CLI, with every secret: the groups get their names; the ghost's pair is still skipped.
      const run = await runCli(['--config', file, '--json', 'archive', 'coverage'], { env });
      expect(run.code, run.stderr).toBe(0);
      const body = JSON.parse(run.stdout);
      expect(body.coverage.names.unnamedTotal).toBe(0);
      expect(body.refresh.consent.skipped).toEqual([expect.stringContaining('ghostuser')]);
      const status = await runCli(['--config', file, 'archive', 'status'], { env });
      expect(status.stdout).toMatch(new RegExp(`存档成员（刷新于 [^）]+）：通讯录 ${body.coverage.permits.directory} 人中 ${body.coverage.permits.archived} 人开启了会话存档`));
      expect(status.stdout).toContain(`拒绝 ${body.coverage.consent.refusingTotal}`);
      expect(status.stdout).toContain(`拒绝存档：客户${body.coverage.consent.refusing[0].customer.name} 对 `);

      // The refusal on the customer's own record, beside the rest of their history, as JSON and as a table.
      const refusal = body.coverage.consent.refusing[0];
      const record = await runCli(['--config', file, '--json', 'customers', refusal.customer.id], { env });
      expect(record.code, record.stderr).toBe(0);
      const { consent } = JSON.parse(record.stdout) as { consent: Array<{ status: string; time: number; source: string; party: { id: string } }> };
      expect(consent).toContainEqual(expect.objectContaining({ status: 'Disagree', time: refusal.time, source: refusal.source, party: refusal.party }));
      expect(consent.map((c) => c.time)).toEqual([...consent.map((c) => c.time)].sort((a, b) => b - a));
      const table = await runCli(['--config', file, 'customers', refusal.customer.id], { env });
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toContain('会话存档同意记录（最新在前）');
      expect(table.stdout).toMatch(new RegExp(`${refusal.party.name}[^\\n]*拒绝[^\\n]*${formatTime(refusal.time)}`));
      const none = await runCli(['--config', file, '--lang', 'en', 'customers', unseen], { env });
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout).toContain('(none yet: this customer has not appeared in the archive');
      await database.drop();
    });
  });
}
